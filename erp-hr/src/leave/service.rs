//! Leave requests, with types in `types.rs`, decisions in `decision.rs`, balances and the
//! team's calendar in `balance.rs`.
//!
//! Who sees and decides what: HR (`hr.leave.read`, `hr.leave.write`, `hr.leave.approve`) in
//! the branches they work in; a manager their direct reports' leave (seeing and deciding it
//! through self-service, without those rights); everyone their own. Nobody decides their own
//! request.

use chrono::Datelike;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::Qty;
use erp_core::pagination::ListParams;
use rust_decimal::Decimal;

use super::accrual::{self, Adjustment, Booking, Rule, Span};
use super::dto::*;
use super::model::{LeaveAdjustmentRow, LeaveRequestRow, LeaveTypeRow};
use super::repo::{self, LeaveFilter, Listed};
use crate::calendar::days::{working_days, Week};
use crate::calendar::{self};
use crate::department;
use crate::employee::model::EmployeeRow;
use crate::employee::service::acting_for;
use crate::employee::{self, contract};
use crate::ids::{LeaveRequestId, LeaveTypeId};
use crate::team::{self, Reach};

pub use super::balance::*;
pub use super::decision::*;
pub use super::types::*;

pub use crate::rights::LEAVE_APPROVE as APPROVE;
pub use crate::rights::LEAVE_READ as READ;
pub use crate::rights::LEAVE_WRITE as WRITE;
pub(super) const TYPES: &str = "hr_leave_types";
pub(super) const ENTITY: &str = "hr_leave_requests";
pub(super) const ADJUSTMENTS: &str = "hr_leave_adjustments";

pub(super) fn qty(scaled: i64) -> Qty {
    Qty::from_scaled(scaled)
}

pub fn type_response(row: &LeaveTypeRow) -> Result<LeaveTypeResponse, AppError> {
    Ok(LeaveTypeResponse {
        id: row.id,
        code: row.code.clone(),
        name: row.name.clone(),
        paid: row.paid,
        days_per_year: qty(row.days_per_year),
        carry_over_cap: qty(row.carry_over_cap),
        carry_over_expires_month: row.carry_over_expires_month,
        allow_negative: row.allow_negative,
        active: row.active,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// The leave type a request or adjustment names, with a field error when it is not an active
/// type of the company.
pub(super) fn active_type(
    conn: &mut DbConnection,
    v: &mut Validator,
    company: CompanyId,
    id: LeaveTypeId,
) -> Result<Option<LeaveTypeRow>, AppError> {
    let kind = repo::find_type(conn, company, id)?;
    match &kind {
        Some(t) if t.active => {}
        Some(_) => v.add("leave_type_id", "the leave type is inactive"),
        None => v.add("leave_type_id", "no such leave type in the company"),
    }
    Ok(kind)
}

pub(super) fn rule_of(t: &LeaveTypeRow) -> Rule {
    Rule {
        days_per_year: qty(t.days_per_year).value(),
        carry_over_cap: qty(t.carry_over_cap).value(),
        expires_month: t
            .carry_over_expires_month
            .and_then(|m| u32::try_from(m).ok()),
    }
}

/// The employment as spans of contracts with their share of a full-time week.
pub(super) fn spans_of(
    conn: &mut DbConnection,
    e: &EmployeeRow,
    week: &Week,
) -> Result<Vec<Span>, AppError> {
    let full = week.total();
    Ok(contract::repo::of_employee(conn, e.id)?
        .iter()
        .map(|c| {
            let hours = Qty::from_scaled(c.hours_per_week).value();
            let share = if full > Decimal::ZERO {
                (hours / full).min(Decimal::ONE)
            } else {
                Decimal::ZERO
            };
            Span {
                from: c.starts_on.max(e.hired_on),
                to: match (c.ends_on, e.terminated_on) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                },
                share,
            }
        })
        .collect())
}

pub(super) fn bookings_of(
    rows: &[LeaveRequestRow],
    type_id: LeaveTypeId,
    skip: Option<LeaveRequestId>,
) -> Vec<Booking> {
    rows.iter()
        .filter(|r| r.leave_type_id == type_id && Some(r.id) != skip)
        .map(|r| Booking {
            starts_on: r.starts_on,
            days: qty(r.days).value(),
            approved: r.status == LeaveStatus::Approved,
        })
        .collect()
}

pub(super) fn adjustments_for(
    rows: &[LeaveAdjustmentRow],
    type_id: LeaveTypeId,
) -> Vec<Adjustment> {
    rows.iter()
        .filter(|a| a.leave_type_id == type_id)
        .map(|a| Adjustment {
            on: a.effective_on,
            days: qty(a.days).value(),
        })
        .collect()
}

pub(super) fn request_response(
    row: &LeaveRequestRow,
    name: &str,
    number: &str,
    type_code: &str,
) -> Result<LeaveRequestResponse, AppError> {
    Ok(LeaveRequestResponse {
        id: row.id,
        employee_id: row.employee_id,
        employee_name: name.to_string(),
        employee_number: number.to_string(),
        leave_type_id: row.leave_type_id,
        leave_type: type_code.to_string(),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        half_day_start: row.half_day_start,
        half_day_end: row.half_day_end,
        days: qty(row.days),
        status: row.status,
        reason: row.reason.clone(),
        decided_by: row.decided_by,
        decided_at: row.decided_at.map(|t| t.and_utc()),
        decision_note: row.decision_note.clone(),
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

pub(super) fn respond(
    conn: &mut DbConnection,
    row: &LeaveRequestRow,
    employee: &EmployeeRow,
) -> Result<LeaveRequestResponse, AppError> {
    let name = employee::repo::find(conn, row.company_id, employee.id)?
        .map(|(_, n)| n)
        .unwrap_or_default();
    let code = repo::find_type(conn, row.company_id, row.leave_type_id)?
        .map(|t| t.code)
        .unwrap_or_default();
    request_response(row, &name, &employee.number, &code)
}

pub(super) fn reach(conn: &mut DbConnection, actor: &Actor) -> Result<Reach, AppError> {
    team::reach(conn, actor, READ)
}

pub(super) fn sees(
    conn: &mut DbConnection,
    actor: &Actor,
    e: &EmployeeRow,
) -> Result<bool, AppError> {
    team::sees(conn, actor, e, READ)
}

pub fn create_request(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateLeaveRequest,
) -> Result<LeaveRequestResponse, AppError> {
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let (e, _) = acting_for(conn, actor, req.employee_id, WRITE)?;
        employee::repo::hold(conn, e.id)?;
        let mut v = Validator::new();
        let kind = active_type(conn, &mut v, company, req.leave_type_id)?;
        v.opt_text("reason", req.reason.as_deref(), 500);
        v.check(
            req.ends_on >= req.starts_on,
            "ends_on",
            "must be on or after starts_on",
        );
        v.check(
            req.ends_on.year() == req.starts_on.year(),
            "ends_on",
            "must be in the same year as starts_on: leave across the new year is two requests",
        );
        v.check(
            req.starts_on >= e.hired_on,
            "starts_on",
            "must be on or after the hire date",
        );
        if let Some(last) = e.terminated_on {
            v.check(
                req.ends_on <= last,
                "ends_on",
                "must be on or before the employee's last day",
            );
        }
        v.check(
            !(req.starts_on == req.ends_on && req.half_day_start && req.half_day_end),
            "half_day_end",
            "one day cannot both start and end at midday: ask for a half day with one of them",
        );
        v.finish()?;
        let kind = kind.ok_or(AppError::NotFound("leave type"))?;
        let week = calendar::service::employee_week(conn, e.company_id, e.calendar_id)?;
        let holidays =
            calendar::service::holiday_set(conn, company, e.branch_id, req.starts_on, req.ends_on)?;
        let days = working_days(
            &week,
            &holidays,
            req.starts_on,
            req.ends_on,
            req.half_day_start,
            req.half_day_end,
        );
        if days <= Decimal::ZERO {
            return Err(AppError::field(
                "ends_on",
                "the range holds no working day of the employee's calendar",
            ));
        }
        let holding = repo::holding_of(conn, e.id)?;
        if let Some(o) = holding
            .iter()
            .find(|o| o.starts_on <= req.ends_on && o.ends_on >= req.starts_on)
        {
            return Err(AppError::field(
                "starts_on",
                format!(
                    "overlaps the leave from {} to {} ({})",
                    o.starts_on, o.ends_on, o.status
                ),
            ));
        }
        if !kind.allow_negative {
            let spans = spans_of(conn, &e, &week)?;
            let b = accrual::balance(
                &rule_of(&kind),
                &spans,
                &bookings_of(&holding, kind.id, None),
                &adjustments_for(&repo::adjustments_of(conn, e.id)?, kind.id),
                req.ends_on,
            );
            if b.available < days {
                return Err(AppError::field(
                    "leave_type_id",
                    format!(
                        "asks {} days of {}; {} are available by {}",
                        days.normalize(),
                        kind.code,
                        b.available.normalize(),
                        req.ends_on
                    ),
                ));
            }
        }
        let at = now();
        let row = LeaveRequestRow {
            id: req.id.unwrap_or_default(),
            company_id: company,
            employee_id: e.id,
            leave_type_id: kind.id,
            starts_on: req.starts_on,
            ends_on: req.ends_on,
            half_day_start: req.half_day_start,
            half_day_end: req.half_day_end,
            days: Qty::new(days)?.to_scaled()?,
            status: LeaveStatus::Requested,
            reason: req.reason.as_deref().map(|r| r.trim().to_string()),
            decided_by: None,
            decided_at: None,
            decision_note: None,
            version: 1,
            created_by: actor.user_id,
            created_at: at,
            updated_at: at,
        };
        repo::insert(conn, &row)?;
        let out = respond(conn, &row, &e)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_request(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LeaveRequestId,
) -> Result<LeaveRequestResponse, AppError> {
    let company = actor.company_id;
    let row = repo::find(conn, company, id)?.ok_or(AppError::NotFound("leave request"))?;
    let (e, _) = employee::repo::find(conn, company, row.employee_id)?
        .ok_or(AppError::NotFound("leave request"))?;
    if !sees(conn, actor, &e)? {
        reach(conn, actor)?;
        return Err(AppError::NotFound("leave request"));
    }
    respond(conn, &row, &e)
}

pub(super) fn listed_response(l: &Listed) -> Result<LeaveRequestResponse, AppError> {
    request_response(&l.0, &l.1, &l.2, &l.3)
}

pub fn list_requests(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: LeaveListQuery,
) -> Result<LeaveRequestPage, AppError> {
    let reach = reach(conn, actor)?;
    let page = params.validate()?;
    let mut v = Validator::new();
    let overlapping = match (q.from, q.to) {
        (Some(f), Some(t)) => {
            v.check(t >= f, "to", "must be on or after from");
            Some((f, t))
        }
        (None, None) => None,
        _ => {
            v.add("to", "give both from and to, or neither");
            None
        }
    };
    v.finish()?;
    employee::service::check_filter(conn, actor, q.employee_id)?;
    department::service::check_filter(conn, actor, q.department_id)?;
    let filter = LeaveFilter {
        employee_id: q.employee_id,
        department_id: q.department_id,
        statuses: q.status.map(|s| vec![s]),
        overlapping,
    };
    let rows = repo::list(conn, actor.company_id, &reach, &filter, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.0.id);
    Ok(LeaveRequestPage {
        items: rows.iter().map(listed_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}
