//! Departments: create, change (re-parent within the branch, never into a cycle), list, read.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::filter;
use erp_core::ids::{BranchId, CompanyId};
use erp_core::org::branch;
use erp_core::pagination::ListParams;

use super::dto::*;
use super::model::DepartmentRow;
use super::repo::{self, DepartmentFilter};
use crate::error::HrError;
use crate::ids::{DepartmentId, EmployeeId};
use crate::wire;

pub use crate::rights::EMPLOYEE_READ as READ;
pub use crate::rights::EMPLOYEE_WRITE as WRITE;
const ENTITY: &str = "hr_departments";

pub fn to_response(row: &DepartmentRow) -> Result<DepartmentResponse, AppError> {
    Ok(DepartmentResponse {
        id: row.id,
        code: row.code.clone(),
        name: row.name.clone(),
        branch_id: row.branch_id,
        parent_id: row.parent_id,
        cost_center: row.cost_center.clone(),
        manager_id: row.manager_id,
        active: row.active,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// A list's department filter: a department the actor sees, or 404.
pub fn check_filter(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Option<DepartmentId>,
) -> Result<(), AppError> {
    filter::names(id, |d| load(conn, actor, d))
}

/// A department of the company in a branch the actor sees, or 404.
pub fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: DepartmentId,
) -> Result<DepartmentRow, AppError> {
    repo::find(conn, actor.company_id, id)?
        .filter(|d| actor.sees_branch(&d.branch_id))
        .ok_or(AppError::NotFound("department"))
}

/// Adds a field error unless the parent is a department of the same branch that is not
/// `id` itself or below it.
fn check_parent(
    conn: &mut DbConnection,
    v: &mut Validator,
    actor: &Actor,
    id: DepartmentId,
    branch_id: BranchId,
    parent: DepartmentId,
) -> Result<(), AppError> {
    let Some(p) = repo::find(conn, actor.company_id, parent)? else {
        v.add("parent_id", "no such department in the company");
        return Ok(());
    };
    if p.branch_id != branch_id {
        v.add("parent_id", "must be a department of the same branch");
        return Ok(());
    }
    let mut at = Some(p.id);
    while let Some(cur) = at {
        if cur == id {
            return Err(HrError::Cycle(format!(
                "the department {} lies below this one; a department cannot be its own ancestor",
                p.code
            ))
            .into());
        }
        at = repo::parent_of(conn, cur)?;
    }
    Ok(())
}

pub fn create_department(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateDepartmentRequest,
) -> Result<DepartmentResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    let code = req.code.trim().to_string();
    let id = req.id.unwrap_or_default();
    let branch = req.branch_id;
    write_tx(conn, |conn| {
        let mut v = Validator::new();
        v.code("code", &code, 32);
        v.text("name", &req.name, 200);
        if let Some(c) = &req.cost_center {
            v.code("cost_center", c, 32);
        }
        branch::service::check_workable(conn, &mut v, actor, "branch_id", req.branch_id)?;
        if let Some(p) = req.parent_id {
            check_parent(conn, &mut v, actor, id, branch, p)?;
        }
        if let Some(m) = req.manager_id {
            check_manager(conn, &mut v, company, "manager_id", m, None)?;
        }
        v.finish()?;
        if repo::code_taken(conn, company, &code)? {
            return Err(HrError::DuplicateCode {
                what: "department",
                code,
            }
            .into());
        }
        let at = now();
        let row = DepartmentRow {
            id,
            company_id: company,
            branch_id: branch,
            parent_id: req.parent_id,
            code: code.clone(),
            name: req.name.trim().to_string(),
            cost_center: req.cost_center.as_deref().map(|c| c.trim().to_string()),
            manager_id: req.manager_id,
            active: true,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::insert(conn, &row)?;
        let out = to_response(&row)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn update_department(
    conn: &mut DbConnection,
    actor: &Actor,
    id: DepartmentId,
    expected_version: i64,
    req: UpdateDepartmentRequest,
) -> Result<DepartmentResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let mut row = load(conn, actor, id)?;
        if row.version != expected_version {
            return Err(AppError::VersionMismatch {
                current: row.version,
            });
        }
        let before = to_response(&row)?;
        let mut v = Validator::new();
        if let Some(name) = &req.name {
            v.text("name", name, 200);
        }
        if let Some(Some(c)) = &req.cost_center {
            v.code("cost_center", c, 32);
        }
        if let Some(Some(p)) = req.parent_id {
            check_parent(conn, &mut v, actor, row.id, row.branch_id, p)?;
        }
        if let Some(Some(m)) = req.manager_id {
            check_manager(conn, &mut v, company, "manager_id", m, None)?;
        }
        if req.active == Some(false) && row.active {
            let staff = repo::count_current_staff(conn, row.id, wire::today())?;
            if staff > 0 {
                v.add(
                    "active",
                    format!(
                        "{staff} current employees work in the department; transfer them first"
                    ),
                );
            }
        }
        v.finish()?;
        if let Some(name) = &req.name {
            row.name = name.trim().to_string();
        }
        if let Some(p) = req.parent_id {
            row.parent_id = p;
        }
        if let Some(c) = &req.cost_center {
            row.cost_center = c.as_deref().map(|c| c.trim().to_string());
        }
        if let Some(m) = req.manager_id {
            row.manager_id = m;
        }
        if let Some(a) = req.active {
            row.active = a;
        }
        row.version += 1;
        row.updated_at = now();
        if !repo::update_versioned(conn, &row, expected_version)? {
            return Err(AppError::VersionMismatch {
                current: expected_version + 1,
            });
        }
        let after = to_response(&row)?;
        audit::updated(conn, actor, ENTITY, row.id, &before, &after)?;
        Ok(after)
    })
}

pub fn get_department(
    conn: &mut DbConnection,
    actor: &Actor,
    id: DepartmentId,
) -> Result<DepartmentResponse, AppError> {
    actor.require(READ)?;
    to_response(&load(conn, actor, id)?)
}

pub fn list_departments(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: DepartmentListQuery,
) -> Result<DepartmentPage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    filter::names(q.branch_id, |b| {
        branch::service::load_visible(conn, actor, b)
    })?;
    filter::names(q.parent_id, |p| load(conn, actor, p))?;
    let filter = DepartmentFilter {
        branch_ids: actor.visible_branches(),
        branch_id: q.branch_id,
        parent_id: q.parent_id,
        active: q.active,
    };
    let rows = repo::list(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    Ok(DepartmentPage {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// Adds a field error unless `id` is an employee of the company who is not gone, and not
/// `not` (an employee is not their own manager). Departments and employees both name a
/// manager; the check sits here, below the employee module.
pub fn check_manager(
    conn: &mut DbConnection,
    v: &mut Validator,
    company_id: CompanyId,
    field: &str,
    id: EmployeeId,
    not: Option<EmployeeId>,
) -> Result<(), AppError> {
    if not == Some(id) {
        v.add(field, "an employee is not their own manager");
        return Ok(());
    }
    match repo::employee_left_on(conn, company_id, id)? {
        Some(left) if left.is_none_or(|t| t >= wire::today()) => {}
        Some(_) => v.add(field, "the employee has left the company"),
        None => v.add(field, "no such employee in the company"),
    }
    Ok(())
}
