//! An employee moving between branches, departments and positions: transfers now or
//! scheduled ahead, applied when the day comes, and the history of assignments.

use chrono::NaiveDate;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};

use super::dto::*;
use super::model::{AssignmentRow, EmployeeRow};
use super::repo::{self};
use super::service::*;
use crate::department::service::{READ, WRITE};
use crate::ids::{AssignmentId, EmployeeId};
use crate::{department, wire};

pub(super) fn assignment(
    actor: &Actor,
    row: &EmployeeRow,
    effective_on: NaiveDate,
    reason: &str,
) -> AssignmentRow {
    AssignmentRow {
        id: AssignmentId::new(),
        company_id: row.company_id,
        employee_id: row.id,
        effective_on,
        branch_id: row.branch_id,
        department_id: row.department_id,
        position_id: row.position_id,
        manager_id: row.manager_id,
        reason: reason.to_string(),
        created_by: actor.user_id,
        created_at: now(),
        pending: false,
    }
}

pub fn transfer_employee(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
    req: TransferRequest,
) -> Result<AssignmentResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let named = load_named_for_write(conn, actor, id)?;
        let before = respond(conn, actor, &named)?;
        let mut row = named.0;
        let expected = row.version;
        let mut v = Validator::new();
        v.text("reason", &req.reason, 500);
        let latest = repo::latest_assignment_on(conn, row.id)?;
        if req.effective_on <= latest {
            v.add(
                "effective_on",
                format!("must be after the current assignment's first day, {latest}"),
            );
        }
        if req.effective_on > wire::today() + chrono::Duration::days(366) {
            v.add("effective_on", "at most a year ahead");
        }
        if let Some(p) = repo::pending_assignment(conn, row.id)? {
            return Err(AppError::conflict(
                "transfer_scheduled",
                format!(
                    "a transfer is scheduled for {}; cancel it first",
                    p.effective_on
                ),
            ));
        }
        if let Some(last) = row.terminated_on {
            v.check(
                req.effective_on <= last,
                "effective_on",
                "must be on or before the employee's last day",
            );
        }
        let dept = match req.department_id {
            Some(d) => department_for(conn, &mut v, actor, d)?,
            None => department::repo::find(conn, company, row.department_id)?,
        };
        let position = match req.position_id {
            Some(p) => p,
            None => row.position_id,
        };
        if let Some(d) = &dept {
            let field_moved = req.department_id.is_some() && req.position_id.is_none();
            if field_moved && row.position_id.is_some() && d.id != row.department_id {
                v.add(
                    "position_id",
                    "the current position belongs to the old department: name one of the new department, or null",
                );
            } else {
                check_position(conn, &mut v, company, position, d)?;
            }
        }
        if let Some(Some(m)) = req.manager_id {
            check_manager(conn, &mut v, company, "manager_id", m, Some(row.id))?;
        }
        v.finish()?;
        let dept = dept.ok_or(AppError::NotFound("department"))?;
        row.branch_id = dept.branch_id;
        row.department_id = dept.id;
        row.position_id = position;
        if let Some(m) = req.manager_id {
            row.manager_id = m;
        }
        let a = AssignmentRow {
            pending: req.effective_on > wire::today(),
            ..assignment(actor, &row, req.effective_on, req.reason.trim())
        };
        repo::insert_assignment(conn, &a)?;
        // A transfer scheduled ahead moves the employee when its day comes.
        if !a.pending {
            save(conn, actor, row, expected, &before)?;
        }
        let out = assignment_response(&a)?;
        audit::record(conn, actor, ASSIGNMENTS, a.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Cancels a transfer scheduled ahead, before its day.
pub fn cancel_transfer(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
    transfer_id: AssignmentId,
) -> Result<(), AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let (row, _) = load_named_for_write(conn, actor, id)?;
        let a = repo::find_assignment(conn, row.id, transfer_id)?
            .ok_or(AppError::NotFound("transfer"))?;
        if !a.pending {
            return Err(AppError::conflict(
                "transfer_applied",
                format!(
                    "the transfer of {} is in the employee's history; record another transfer instead",
                    a.effective_on
                ),
            ));
        }
        let before = assignment_response(&a)?;
        repo::delete_assignment(conn, a.id)?;
        audit::record(conn, actor, ASSIGNMENTS, a.id, Change::Deleted(&before))
    })
}

/// Moves the employees whose scheduled transfer's day has come (`today` or earlier); the
/// server calls it every minute. Returns how many moved.
pub fn apply_due_transfers(conn: &mut DbConnection, today: NaiveDate) -> Result<usize, AppError> {
    let mut moved = 0;
    for a in repo::due_assignments(conn, today)? {
        moved += write_tx(conn, |conn| {
            // Another server may have applied it first: then nothing is left to do.
            if !repo::mark_applied(conn, a.id)? {
                return Ok(0);
            }
            let Some((mut row, _)) = repo::find(conn, a.company_id, a.employee_id)? else {
                return Ok(0);
            };
            let expected = row.version;
            row.branch_id = a.branch_id;
            row.department_id = a.department_id;
            row.position_id = a.position_id;
            row.manager_id = a.manager_id;
            row.version += 1;
            row.updated_at = now();
            if !repo::update_versioned(conn, &row, expected)? {
                return Err(AppError::VersionMismatch {
                    current: expected + 1,
                });
            }
            Ok(1)
        })?;
    }
    Ok(moved)
}

pub(super) fn assignment_response(a: &AssignmentRow) -> Result<AssignmentResponse, AppError> {
    Ok(AssignmentResponse {
        id: a.id,
        employee_id: a.employee_id,
        effective_on: a.effective_on,
        branch_id: a.branch_id,
        department_id: a.department_id,
        position_id: a.position_id,
        manager_id: a.manager_id,
        reason: a.reason.clone(),
        scheduled: a.pending,
        created_at: a.created_at.and_utc(),
    })
}

pub fn list_assignments(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
) -> Result<AssignmentList, AppError> {
    actor.require(READ)?;
    let (row, _) = load(conn, actor, id)?;
    Ok(AssignmentList {
        items: repo::assignments_of(conn, row.id)?
            .iter()
            .map(assignment_response)
            .collect::<Result<_, _>>()?,
    })
}
