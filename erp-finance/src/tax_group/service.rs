//! Tax groups: create, change (name, active), list; and what a group charges on a line.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::Percent;
use erp_core::pagination::ListParams;

use super::dto::*;
use super::model::{TaxGroupMemberRow, TaxGroupRow};
use super::repo;
use crate::account::service::{READ, WRITE};
use crate::ids::{TaxGroupId, TaxId};
use crate::tax;
use crate::tax::dto::TaxKind;
use crate::tax::model::TaxRow;

const ENTITY: &str = "fin_tax_group";

/// A group with its members' taxes, in order, each with its compound flag.
pub struct Expanded {
    pub group: TaxGroupRow,
    pub members: Vec<(TaxRow, bool)>,
}

/// The groups of these ids in the company, each with its members' taxes.
pub fn expand(
    conn: &mut DbConnection,
    company_id: CompanyId,
    ids: &[TaxGroupId],
) -> Result<Vec<Expanded>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let groups = repo::find_many(conn, company_id, ids)?;
    let group_ids: Vec<TaxGroupId> = groups.iter().map(|g| g.id).collect();
    let members = repo::members_of(conn, &group_ids)?;
    let tax_ids: Vec<TaxId> = members.iter().map(|m| m.tax_id).collect();
    let taxes = tax::repo::find_many(conn, company_id, &tax_ids)?;
    groups
        .into_iter()
        .map(|group| {
            let members = members
                .iter()
                .filter(|m| m.group_id == group.id)
                .map(|m| {
                    let t = taxes
                        .iter()
                        .find(|t| t.id == m.tax_id)
                        .ok_or_else(|| AppError::Internal(format!("tax {} missing", m.tax_id)))?;
                    Ok((t.clone(), m.compound))
                })
                .collect::<Result<_, AppError>>()?;
            Ok(Expanded { group, members })
        })
        .collect()
}

fn to_response(e: &Expanded) -> Result<TaxGroupResponse, AppError> {
    let g = &e.group;
    Ok(TaxGroupResponse {
        id: g.id,
        code: g.code.clone(),
        name: g.name.clone(),
        members: e
            .members
            .iter()
            .map(|(t, compound)| {
                Ok(TaxGroupMemberResponse {
                    tax_id: t.id,
                    code: t.code.clone(),
                    name: t.name.clone(),
                    kind: enum_from_db(&t.kind)?,
                    rate: Percent::from_scaled(t.rate),
                    compound: *compound,
                })
            })
            .collect::<Result<_, AppError>>()?,
        active: g.active,
        version: g.version,
        created_at: g.created_at.and_utc(),
        updated_at: g.updated_at.and_utc(),
    })
}

fn load(conn: &mut DbConnection, company: CompanyId, id: TaxGroupId) -> Result<Expanded, AppError> {
    expand(conn, company, &[id])?
        .pop()
        .ok_or(AppError::NotFound("tax_group"))
}

pub fn create_tax_group(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateTaxGroupRequest,
) -> Result<TaxGroupResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let code = req.code.trim().to_string();
        let mut v = Validator::new();
        v.code("code", &code, 32);
        v.text("name", &req.name, 200);
        if !(2..=10).contains(&req.members.len()) {
            v.add("members", "a group has two to ten taxes");
        }
        let ids: Vec<TaxId> = req.members.iter().map(|m| m.tax_id).collect();
        let taxes = tax::repo::find_many(conn, company, &ids)?;
        for (i, m) in req.members.iter().enumerate() {
            let f = |name: &str| format!("members[{i}].{name}");
            if ids[..i].contains(&ids[i]) {
                v.add(f("tax_id"), "the tax is in the group already");
            }
            match taxes.iter().find(|t| t.id == ids[i]) {
                None => v.add(f("tax_id"), "no such tax in the company"),
                Some(t) if !t.active => v.add(f("tax_id"), "the tax is inactive"),
                Some(t) if t.price_included => v.add(
                    f("tax_id"),
                    "a price-included tax is a line's only tax, never in a group",
                ),
                Some(t) if m.compound && t.kind == enum_to_db(&TaxKind::Withholding) => {
                    v.add(f("compound"), "withholding is never a tax on tax")
                }
                Some(_) => {}
            }
        }
        if !req.members.is_empty() && req.members.iter().all(|m| m.compound) {
            v.add(
                "members",
                "a compound tax is charged on the others: at least one member is not compound",
            );
        }
        v.finish()?;
        if repo::code_taken(conn, company, &code)? {
            return Err(AppError::conflict(
                "duplicate_code",
                format!("the tax group code '{code}' is taken"),
            ));
        }
        let id = req.id.unwrap_or_default();
        if repo::exists(conn, id)? {
            return Err(AppError::conflict(
                "duplicate_id",
                "a tax group with this id exists",
            ));
        }
        let at = now();
        let row = TaxGroupRow {
            id,
            company_id: company,
            code,
            name: req.name.trim().to_string(),
            active: true,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        let members: Vec<TaxGroupMemberRow> = req
            .members
            .iter()
            .enumerate()
            .map(|(seq, m)| TaxGroupMemberRow {
                group_id: id,
                seq: seq as i32,
                tax_id: m.tax_id,
                compound: m.compound,
            })
            .collect();
        repo::insert(conn, &row, &members)?;
        let out = to_response(&load(conn, company, id)?)?;
        audit::record(conn, actor, ENTITY, id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn update_tax_group(
    conn: &mut DbConnection,
    actor: &Actor,
    id: TaxGroupId,
    expected_version: i64,
    req: UpdateTaxGroupRequest,
) -> Result<TaxGroupResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let mut e = load(conn, company, id)?;
        if e.group.version != expected_version {
            return Err(AppError::VersionMismatch {
                current: e.group.version,
            });
        }
        let before = to_response(&e)?;
        let mut v = Validator::new();
        if let Some(name) = &req.name {
            v.text("name", name, 200);
        }
        v.finish()?;
        let row = &mut e.group;
        if let Some(name) = &req.name {
            row.name = name.trim().to_string();
        }
        if let Some(a) = req.active {
            row.active = a;
        }
        row.version += 1;
        row.updated_at = now();
        if !repo::update_versioned(conn, row, expected_version)? {
            return Err(AppError::VersionMismatch {
                current: expected_version + 1,
            });
        }
        let after = to_response(&e)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            e.group.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

pub fn get_tax_group(
    conn: &mut DbConnection,
    actor: &Actor,
    id: TaxGroupId,
) -> Result<TaxGroupResponse, AppError> {
    actor.require(READ)?;
    to_response(&load(conn, actor.company_id, id)?)
}

pub fn list_tax_groups(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
) -> Result<TaxGroupPage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    let company = actor.company_id;
    let rows = repo::list(conn, company, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    let ids: Vec<TaxGroupId> = rows.iter().map(|r| r.id).collect();
    let mut expanded = expand(conn, company, &ids)?;
    // In the page's order.
    expanded.sort_by_key(|a| a.group.id);
    Ok(TaxGroupPage {
        items: expanded.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}
