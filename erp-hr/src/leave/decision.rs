//! Deciding a leave request: approved or refused by someone who may (never its own
//! employee), or cancelled.

use erp_core::audit::{self};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};

use super::dto::*;
use super::repo::{self};
use super::service::*;
use crate::employee::service::{is_self, SELF};
use crate::ids::LeaveRequestId;
use crate::team::{manages, me};
use crate::{employee, wire};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Approve,
    Refuse,
    Cancel,
}

/// Moves a request on: approve or refuse a waiting one (its employee's manager, or
/// `hr.leave.approve`, never the employee themself), or cancel (the employee before it
/// begins, or `hr.leave.write`).
pub(super) fn step(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LeaveRequestId,
    step: Step,
    d: LeaveDecision,
) -> Result<LeaveRequestResponse, AppError> {
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let mut row = repo::find(conn, company, id)?.ok_or(AppError::NotFound("leave request"))?;
        let (e, _) = employee::repo::find(conn, company, row.employee_id)?
            .ok_or(AppError::NotFound("leave request"))?;
        if !sees(conn, actor, &e)? {
            if !actor.can(SELF) && !actor.can(READ) {
                actor.require(READ)?;
            }
            return Err(AppError::NotFound("leave request"));
        }
        let mut v = Validator::new();
        v.opt_text("note", d.note.as_deref(), 500);
        v.finish()?;
        let status: LeaveStatus = row.status;
        let me = me(conn, actor)?;
        let own = is_self(actor, &e);
        let (action, allowed_from, to): (&'static str, &[LeaveStatus], LeaveStatus) = match step {
            Step::Approve => ("approve", &[LeaveStatus::Requested], LeaveStatus::Approved),
            Step::Refuse => ("refuse", &[LeaveStatus::Requested], LeaveStatus::Refused),
            Step::Cancel => (
                "cancel",
                &[LeaveStatus::Requested, LeaveStatus::Approved],
                LeaveStatus::Cancelled,
            ),
        };
        match step {
            Step::Approve | Step::Refuse => {
                if own {
                    return Err(AppError::conflict(
                        "own_leave",
                        "nobody decides their own leave; their manager or HR does",
                    ));
                }
                let hr = actor.can(APPROVE) && actor.sees_branch(&e.branch_id);
                if !hr && !manages(me.as_ref(), &e) {
                    return Err(AppError::Forbidden(APPROVE.into()));
                }
            }
            Step::Cancel => {
                let hr = actor.can(WRITE) && actor.sees_branch(&e.branch_id);
                if !hr {
                    if !own {
                        return Err(AppError::Forbidden(WRITE.into()));
                    }
                    if status == LeaveStatus::Approved && row.starts_on <= wire::today() {
                        return Err(AppError::conflict(
                            "leave_begun",
                            "the leave has begun; HR cancels it",
                        ));
                    }
                }
            }
        }
        if !allowed_from.contains(&status) {
            return Err(AppError::InvalidState {
                entity: "leave request",
                action,
                current: row.status.to_string(),
            });
        }
        let before = respond(conn, &row, &e)?;
        let expected = row.version;
        let at = now();
        row.status = to;
        row.decided_by = Some(actor.user_id);
        row.decided_at = Some(at);
        row.decision_note = d.note.as_deref().map(|n| n.trim().to_string());
        row.version += 1;
        row.updated_at = at;
        if !repo::update_versioned(conn, &row, expected)? {
            let current = repo::find(conn, company, row.id)?
                .map_or_else(|| "gone".to_string(), |r| r.status.to_string());
            return Err(AppError::InvalidState {
                entity: "leave request",
                action,
                current,
            });
        }
        let after = respond(conn, &row, &e)?;
        audit::updated(conn, actor, ENTITY, row.id, &before, &after)?;
        Ok(after)
    })
}

pub fn approve(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LeaveRequestId,
    d: LeaveDecision,
) -> Result<LeaveRequestResponse, AppError> {
    step(conn, actor, id, Step::Approve, d)
}

pub fn refuse(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LeaveRequestId,
    d: LeaveDecision,
) -> Result<LeaveRequestResponse, AppError> {
    step(conn, actor, id, Step::Refuse, d)
}

pub fn cancel(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LeaveRequestId,
    d: LeaveDecision,
) -> Result<LeaveRequestResponse, AppError> {
    step(conn, actor, id, Step::Cancel, d)
}
