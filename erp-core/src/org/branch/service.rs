use super::dto::*;
use super::model::Branch;
use super::repo;
use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::db::{now, write_tx, DbConnection};
use crate::error::{AppError, Validator};
use crate::ids::{BranchId, CompanyId};
use crate::org::check_site;
use crate::org::company;
use crate::pagination::ListParams;

const ENTITY: &str = "branch";

fn to_response(b: &Branch) -> Result<BranchResponse, AppError> {
    Ok(BranchResponse {
        id: b.id,
        company_id: b.company_id,
        code: b.code.clone(),
        name: b.name.clone(),
        currency: b.currency.clone(),
        time_zone: b.time_zone.clone(),
        address: b.address(),
        active: b.active,
        version: b.version,
        created_at: b.created_at.and_utc(),
        updated_at: b.updated_at.and_utc(),
    })
}

/// A branch the actor may see; others do not exist for them (404).
pub fn load_visible(
    conn: &mut DbConnection,
    actor: &Actor,
    id: BranchId,
) -> Result<Branch, AppError> {
    if !actor.sees_branch(&id) {
        return Err(AppError::NotFound(ENTITY));
    }
    repo::find(conn, id, actor.company_id)?.ok_or(AppError::NotFound(ENTITY))
}

/// Adds an error on `field` unless `branch` is one of the company's and one the actor works in.
pub fn check_workable(
    conn: &mut DbConnection,
    v: &mut Validator,
    actor: &Actor,
    field: &str,
    branch: BranchId,
) -> Result<(), AppError> {
    if !actor.sees_branch(&branch) || !repo::exists_in_company(conn, branch, actor.company_id)? {
        v.add(field, "no such branch, or not one you work in");
    }
    Ok(())
}

/// The branch a document is booked to: when named, one the actor works in; when not, the
/// actor must be one who works in every branch (a record of no branch is theirs alone).
pub fn check_booking(
    conn: &mut DbConnection,
    v: &mut Validator,
    actor: &Actor,
    branch: Option<BranchId>,
) -> Result<(), AppError> {
    match branch {
        Some(b) => check_workable(conn, v, actor, "branch_id", b),
        None => {
            if !actor.sees_all_branches() {
                v.add("branch_id", "name one of your branches");
            }
            Ok(())
        }
    }
}

/// Makes a branch row of `company`; used by the API and by first start.
pub fn new_branch(
    company: &company::model::Company,
    id: BranchId,
    req: &CreateBranchRequest,
) -> Result<Branch, AppError> {
    let mut v = Validator::new();
    v.code("code", &req.code, 32);
    check_site(
        &mut v,
        Some(&req.name),
        req.currency.as_deref(),
        req.time_zone.as_deref(),
        Some(&req.address),
    );
    v.finish()?;
    let at = now();
    let mut b = Branch {
        id,
        company_id: company.id,
        code: req.code.clone(),
        name: req.name.trim().to_string(),
        currency: req
            .currency
            .clone()
            .unwrap_or_else(|| company.currency.clone()),
        time_zone: req
            .time_zone
            .clone()
            .unwrap_or_else(|| company.time_zone.clone()),
        address_line1: None,
        address_line2: None,
        city: None,
        region: None,
        postal_code: None,
        country: None,
        active: true,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    b.set_address(req.address.clone());
    Ok(b)
}

pub fn create_branch(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateBranchRequest,
) -> Result<BranchResponse, AppError> {
    actor.require("org.branch.write")?;
    write_tx(conn, |conn| {
        let company =
            company::repo::find(conn, actor.company_id)?.ok_or(AppError::NotFound("company"))?;
        let branch = new_branch(&company, req.id.unwrap_or_default(), &req)?;
        if repo::code_taken(conn, branch.company_id, &branch.code)? {
            return Err(AppError::conflict(
                "duplicate_code",
                format!("a branch with code '{}' exists", branch.code),
            ));
        }
        repo::insert(conn, &branch)?;
        let out = to_response(&branch)?;
        audit::record(conn, actor, ENTITY, branch.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_branch(
    conn: &mut DbConnection,
    actor: &Actor,
    id: BranchId,
) -> Result<BranchResponse, AppError> {
    actor.require("org.branch.read")?;
    to_response(&load_visible(conn, actor, id)?)
}

pub fn list_branches(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
) -> Result<BranchPage, AppError> {
    actor.require("org.branch.read")?;
    let page = params.validate()?;
    let allowed = actor.visible_branches();
    let rows = repo::list(conn, actor.company_id, allowed.as_deref(), &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |b| b.id);
    Ok(BranchPage {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}

pub fn update_branch(
    conn: &mut DbConnection,
    actor: &Actor,
    id: BranchId,
    expected_version: i64,
    req: UpdateBranchRequest,
) -> Result<BranchResponse, AppError> {
    actor.require("org.branch.write")?;
    let mut v = Validator::new();
    check_site(
        &mut v,
        req.name.as_deref(),
        req.currency.as_deref(),
        req.time_zone.as_deref(),
        req.address.as_ref(),
    );
    v.finish()?;
    write_tx(conn, |conn| {
        let mut b = load_visible(conn, actor, id)?;
        if b.version != expected_version {
            return Err(AppError::VersionMismatch { current: b.version });
        }
        let before = to_response(&b)?;
        if let Some(n) = &req.name {
            b.name = n.trim().to_string();
        }
        if let Some(c) = &req.currency {
            b.currency = c.clone();
        }
        if let Some(tz) = &req.time_zone {
            b.time_zone = tz.clone();
        }
        if let Some(a) = &req.address {
            b.set_address(a.clone());
        }
        if let Some(active) = req.active {
            b.active = active;
        }
        b.version += 1;
        b.updated_at = now();
        if !repo::update_versioned(conn, &b, expected_version)? {
            return Err(AppError::VersionMismatch { current: b.version });
        }
        let after = to_response(&b)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            b.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

/// A branch's postal address on one line ("Hafenstraße 1, 20457 Hamburg, DE"), as a
/// document's "deliver to" prints it; `None` when the branch has none.
pub fn address_line(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: BranchId,
) -> Result<Option<String>, AppError> {
    let b = repo::find(conn, id, company_id)?.ok_or(AppError::NotFound(ENTITY))?;
    let lines = crate::pdf::Party::with_address("", &b.address(), None).lines;
    Ok((!lines.is_empty()).then(|| lines.join(", ")))
}
