//! Pay structures: which pay components a group of employees is paid by. A contract names its
//! structure; a pay run computes each payslip with the structure of the contract in force at
//! the end of the month (or on the last day employed), and with every active component of the
//! company for a contract that names none.

use std::collections::{HashMap, HashSet};

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;

use super::dto::*;
use super::model::{ComponentRow, StructureComponentRow, StructureRow};
use super::repo;
use super::service::{READ, WRITE};
use crate::error::HrError;
use crate::ids::{PayComponentId, PayStructureId};

const ENTITY: &str = "hr_pay_structures";

/// The component ids of each structure named.
pub(crate) fn members(
    conn: &mut DbConnection,
    structure_ids: &[PayStructureId],
) -> Result<HashMap<PayStructureId, HashSet<PayComponentId>>, AppError> {
    let mut out: HashMap<PayStructureId, HashSet<PayComponentId>> = HashMap::new();
    for row in repo::structure_components(conn, structure_ids)? {
        out.entry(row.structure_id)
            .or_default()
            .insert(row.component_id);
    }
    Ok(out)
}

fn respond(
    row: &StructureRow,
    members: &HashSet<PayComponentId>,
    components: &[ComponentRow],
) -> Result<PayStructureResponse, AppError> {
    Ok(PayStructureResponse {
        id: row.id,
        code: row.code.clone(),
        name: row.name.clone(),
        components: components
            .iter()
            .filter(|c| members.contains(&c.id))
            .map(|c| {
                Ok(StructureComponent {
                    id: c.id,
                    code: c.code.clone(),
                    name: c.name.clone(),
                    kind: enum_from_db(&c.kind)?,
                    active: c.active,
                })
            })
            .collect::<Result<_, AppError>>()?,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

fn one(conn: &mut DbConnection, row: &StructureRow) -> Result<PayStructureResponse, AppError> {
    let members = members(conn, std::slice::from_ref(&row.id))?;
    let components = repo::components(conn, row.company_id)?;
    respond(
        row,
        members.get(&row.id).unwrap_or(&HashSet::new()),
        &components,
    )
}

/// Checks the component ids (each once, each the company's) and makes the rows.
fn check_members(
    conn: &mut DbConnection,
    v: &mut Validator,
    company_id: CompanyId,
    structure_id: PayStructureId,
    ids: &[PayComponentId],
) -> Result<Vec<StructureComponentRow>, AppError> {
    let known: HashSet<PayComponentId> = repo::components(conn, company_id)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    v.check(
        !ids.is_empty(),
        "component_ids",
        "name at least one pay component",
    );
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (i, &id) in ids.iter().enumerate() {
        let field = format!("component_ids[{i}]");
        if !known.contains(&id) {
            v.add(field, "no such pay component");
        } else if !seen.insert(id) {
            v.add(field, "is named twice");
        } else {
            rows.push(StructureComponentRow {
                structure_id,
                component_id: id,
            });
        }
    }
    Ok(rows)
}

pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreatePayStructureRequest,
) -> Result<PayStructureResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    let code = req.code.trim().to_string();
    write_tx(conn, |conn| {
        let at = now();
        let row = StructureRow {
            id: req.id.unwrap_or_default(),
            company_id: company,
            code: code.clone(),
            name: req.name.trim().to_string(),
            version: 1,
            created_at: at,
            updated_at: at,
        };
        let mut v = Validator::new();
        v.code("code", &code, 32);
        v.text("name", &req.name, 200);
        let rows = check_members(conn, &mut v, company, row.id, &req.component_ids)?;
        v.finish()?;
        if repo::structure_code_taken(conn, company, &code)? {
            return Err(HrError::DuplicateCode {
                what: "pay structure",
                code,
            }
            .into());
        }
        repo::insert_structure(conn, &row)?;
        repo::set_structure_components(conn, row.id, &rows)?;
        let out = one(conn, &row)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PayStructureId,
    expected_version: i64,
    req: UpdatePayStructureRequest,
) -> Result<PayStructureResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let mut row =
            repo::find_structure(conn, company, id)?.ok_or(AppError::NotFound("pay structure"))?;
        if row.version != expected_version {
            return Err(AppError::VersionMismatch {
                current: row.version,
            });
        }
        let before = one(conn, &row)?;
        let mut v = Validator::new();
        if let Some(n) = &req.name {
            v.text("name", n, 200);
            row.name = n.trim().to_string();
        }
        let rows = match &req.component_ids {
            Some(ids) => Some(check_members(conn, &mut v, company, row.id, ids)?),
            None => None,
        };
        v.finish()?;
        row.version += 1;
        row.updated_at = now();
        if !repo::update_structure_versioned(conn, &row, expected_version)? {
            return Err(AppError::VersionMismatch {
                current: expected_version + 1,
            });
        }
        if let Some(rows) = rows {
            repo::set_structure_components(conn, row.id, &rows)?;
        }
        let after = one(conn, &row)?;
        audit::updated(conn, actor, ENTITY, row.id, &before, &after)?;
        Ok(after)
    })
}

pub fn get(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PayStructureId,
) -> Result<PayStructureResponse, AppError> {
    actor.require(READ)?;
    let row = repo::find_structure(conn, actor.company_id, id)?
        .ok_or(AppError::NotFound("pay structure"))?;
    one(conn, &row)
}

pub fn list(conn: &mut DbConnection, actor: &Actor) -> Result<PayStructureList, AppError> {
    actor.require(READ)?;
    let company = actor.company_id;
    let rows = repo::structures(conn, company)?;
    let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
    let members = members(conn, &ids)?;
    let components = repo::components(conn, company)?;
    let empty = HashSet::new();
    Ok(PayStructureList {
        items: rows
            .iter()
            .map(|r| respond(r, members.get(&r.id).unwrap_or(&empty), &components))
            .collect::<Result<_, _>>()?,
    })
}
