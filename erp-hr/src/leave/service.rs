//! Leave types, requests and their decisions, balances and the team's calendar.
//!
//! Who sees and decides what: HR (`hr.leave.read`, `hr.leave.write`, `hr.leave.approve`) in
//! the branches they work in; a manager their direct reports' leave (seeing and deciding it
//! through self-service, without those rights); everyone their own. Nobody decides their own
//! request.

use chrono::{Datelike, NaiveDate};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::UserId;
use erp_core::money::Qty;
use erp_core::pagination::ListParams;
use rust_decimal::Decimal;

use super::accrual::{self, Adjustment, Booking, Rule, Span};
use super::dto::*;
use super::model::{LeaveAdjustmentRow, LeaveRequestRow, LeaveTypeRow};
use super::repo::{self, LeaveFilter, Listed};
use crate::calendar::days::{working_days, Week};
use crate::calendar::{self, service::SETUP};
use crate::employee::model::EmployeeRow;
use crate::employee::service::{acting_for, is_self, own, SELF};
use crate::error::HrError;
use crate::ids::{EmployeeId, LeaveAdjustmentId, LeaveRequestId, LeaveTypeId};
use crate::team::{self, manages, me, Reach};
use crate::{contract, employee, scope, wire};

pub const READ: &str = "hr.leave.read";
pub const WRITE: &str = "hr.leave.write";
pub const APPROVE: &str = "hr.leave.approve";
const TYPES: &str = "hr_leave_types";
const ENTITY: &str = "hr_leave_requests";
const ADJUSTMENTS: &str = "hr_leave_adjustments";

fn qty(scaled: i64) -> Qty {
    Qty::from_scaled(scaled)
}

pub fn type_response(row: &LeaveTypeRow) -> Result<LeaveTypeResponse, AppError> {
    Ok(LeaveTypeResponse {
        id: LeaveTypeId::from_db(&row.id)?,
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

fn check_rule(v: &mut Validator, row: &LeaveTypeRow) {
    v.check(
        (0..=366_000_000).contains(&row.days_per_year),
        "days_per_year",
        "must be between 0 and 366",
    );
    v.check(
        (0..=366_000_000).contains(&row.carry_over_cap),
        "carry_over_cap",
        "must be between 0 and 366",
    );
    if let Some(m) = row.carry_over_expires_month {
        v.check(
            (1..=12).contains(&m),
            "carry_over_expires_month",
            "must be 1 to 12",
        );
    }
}

pub fn create_type(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateLeaveTypeRequest,
) -> Result<LeaveTypeResponse, AppError> {
    actor.require(SETUP)?;
    let company = actor.company_id.to_db();
    let code = req.code.trim().to_string();
    let at = now();
    let row = LeaveTypeRow {
        id: req.id.unwrap_or_default().to_db(),
        company_id: company.clone(),
        code: code.clone(),
        name: req.name.trim().to_string(),
        paid: req.paid,
        days_per_year: req.days_per_year.to_scaled()?,
        carry_over_cap: req.carry_over_cap.map_or(Ok(0), |c| c.to_scaled())?,
        carry_over_expires_month: req.carry_over_expires_month,
        allow_negative: req.allow_negative,
        active: true,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    let mut v = Validator::new();
    v.code("code", &code, 32);
    v.text("name", &req.name, 200);
    check_rule(&mut v, &row);
    v.finish()?;
    write_tx(conn, |conn| {
        if repo::type_code_taken(conn, &company, &code)? {
            return Err(HrError::DuplicateCode {
                what: "leave type",
                code: code.clone(),
            }
            .into());
        }
        repo::insert_type(conn, &row)?;
        let out = type_response(&row)?;
        audit::record(conn, actor, TYPES, &row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn update_type(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LeaveTypeId,
    expected_version: i64,
    req: UpdateLeaveTypeRequest,
) -> Result<LeaveTypeResponse, AppError> {
    actor.require(SETUP)?;
    let company = actor.company_id.to_db();
    write_tx(conn, |conn| {
        let mut row = repo::find_type(conn, &company, &id.to_db())?
            .ok_or(AppError::NotFound("leave type"))?;
        if row.version != expected_version {
            return Err(AppError::VersionMismatch {
                current: row.version,
            });
        }
        let before = type_response(&row)?;
        let mut v = Validator::new();
        if let Some(n) = &req.name {
            v.text("name", n, 200);
            row.name = n.trim().to_string();
        }
        if let Some(p) = req.paid {
            row.paid = p;
        }
        if let Some(d) = req.days_per_year {
            row.days_per_year = d.to_scaled()?;
        }
        if let Some(c) = req.carry_over_cap {
            row.carry_over_cap = c.to_scaled()?;
        }
        if let Some(m) = req.carry_over_expires_month {
            row.carry_over_expires_month = m;
        }
        if let Some(a) = req.allow_negative {
            row.allow_negative = a;
        }
        if let Some(a) = req.active {
            row.active = a;
        }
        check_rule(&mut v, &row);
        v.finish()?;
        row.version += 1;
        row.updated_at = now();
        if !repo::update_type(conn, &row, expected_version)? {
            return Err(AppError::VersionMismatch {
                current: expected_version + 1,
            });
        }
        let after = type_response(&row)?;
        audit::updated(conn, actor, TYPES, &row.id, &before, &after)?;
        Ok(after)
    })
}

pub fn list_types(conn: &mut DbConnection, actor: &Actor) -> Result<LeaveTypeList, AppError> {
    if !actor.can(READ) {
        calendar::service::require_read(actor)?;
    }
    Ok(LeaveTypeList {
        items: repo::types(conn, &actor.company_id.to_db())?
            .iter()
            .map(type_response)
            .collect::<Result<_, _>>()?,
    })
}

/// The leave type a request or adjustment names, with a field error when it is not an active
/// type of the company.
fn active_type(
    conn: &mut DbConnection,
    v: &mut Validator,
    company: &str,
    id: LeaveTypeId,
) -> Result<Option<LeaveTypeRow>, AppError> {
    let kind = repo::find_type(conn, company, &id.to_db())?;
    match &kind {
        Some(t) if t.active => {}
        Some(_) => v.add("leave_type_id", "the leave type is inactive"),
        None => v.add("leave_type_id", "no such leave type in the company"),
    }
    Ok(kind)
}

fn rule_of(t: &LeaveTypeRow) -> Rule {
    Rule {
        days_per_year: qty(t.days_per_year).value(),
        carry_over_cap: qty(t.carry_over_cap).value(),
        expires_month: t
            .carry_over_expires_month
            .and_then(|m| u32::try_from(m).ok()),
    }
}

/// The employment as spans of contracts with their share of a full-time week.
fn spans_of(conn: &mut DbConnection, e: &EmployeeRow, week: &Week) -> Result<Vec<Span>, AppError> {
    let full = week.total();
    Ok(contract::repo::of_employee(conn, &e.id)?
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

fn bookings_of(rows: &[LeaveRequestRow], type_id: &str, skip: Option<&str>) -> Vec<Booking> {
    rows.iter()
        .filter(|r| r.leave_type_id == type_id && Some(r.id.as_str()) != skip)
        .map(|r| Booking {
            starts_on: r.starts_on,
            days: qty(r.days).value(),
            approved: r.status == "approved",
        })
        .collect()
}

fn adjustments_for(rows: &[LeaveAdjustmentRow], type_id: &str) -> Vec<Adjustment> {
    rows.iter()
        .filter(|a| a.leave_type_id == type_id)
        .map(|a| Adjustment {
            on: a.effective_on,
            days: qty(a.days).value(),
        })
        .collect()
}

fn request_response(
    row: &LeaveRequestRow,
    name: &str,
    number: &str,
    type_code: &str,
) -> Result<LeaveRequestResponse, AppError> {
    Ok(LeaveRequestResponse {
        id: LeaveRequestId::from_db(&row.id)?,
        employee_id: EmployeeId::from_db(&row.employee_id)?,
        employee_name: name.to_string(),
        employee_number: number.to_string(),
        leave_type_id: LeaveTypeId::from_db(&row.leave_type_id)?,
        leave_type: type_code.to_string(),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        half_day_start: row.half_day_start,
        half_day_end: row.half_day_end,
        days: qty(row.days),
        status: enum_from_db(&row.status)?,
        reason: row.reason.clone(),
        decided_by: row.decided_by.as_deref().map(UserId::from_db).transpose()?,
        decided_at: row.decided_at.map(|t| t.and_utc()),
        decision_note: row.decision_note.clone(),
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

fn respond(
    conn: &mut DbConnection,
    row: &LeaveRequestRow,
    employee: &EmployeeRow,
) -> Result<LeaveRequestResponse, AppError> {
    let name = employee::repo::find(conn, &row.company_id, &employee.id)?
        .map(|(_, n)| n)
        .unwrap_or_default();
    let code = repo::find_type(conn, &row.company_id, &row.leave_type_id)?
        .map(|t| t.code)
        .unwrap_or_default();
    request_response(row, &name, &employee.number, &code)
}

fn reach(conn: &mut DbConnection, actor: &Actor) -> Result<Reach, AppError> {
    team::reach(conn, actor, READ)
}

fn sees(conn: &mut DbConnection, actor: &Actor, e: &EmployeeRow) -> Result<bool, AppError> {
    team::sees(conn, actor, e, READ)
}

pub fn create_request(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateLeaveRequest,
) -> Result<LeaveRequestResponse, AppError> {
    let company = actor.company_id.to_db();
    write_tx(conn, |conn| {
        let (e, _) = acting_for(conn, actor, req.employee_id, WRITE)?;
        employee::repo::hold(conn, &e.id)?;
        let mut v = Validator::new();
        let kind = active_type(conn, &mut v, &company, req.leave_type_id)?;
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
        let week = calendar::service::employee_week(conn, &e)?;
        let holidays = calendar::service::holiday_set(
            conn,
            &company,
            &e.branch_id,
            req.starts_on,
            req.ends_on,
        )?;
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
        let holding = repo::holding_of(conn, &e.id)?;
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
                &bookings_of(&holding, &kind.id, None),
                &adjustments_for(&repo::adjustments_of(conn, &e.id)?, &kind.id),
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
            id: req.id.unwrap_or_default().to_db(),
            company_id: company.clone(),
            employee_id: e.id.clone(),
            leave_type_id: kind.id.clone(),
            starts_on: req.starts_on,
            ends_on: req.ends_on,
            half_day_start: req.half_day_start,
            half_day_end: req.half_day_end,
            days: Qty::new(days)?.to_scaled()?,
            status: enum_to_db(&LeaveStatus::Requested),
            reason: req.reason.as_deref().map(|r| r.trim().to_string()),
            decided_by: None,
            decided_at: None,
            decision_note: None,
            version: 1,
            created_by: actor.user_id.to_db(),
            created_at: at,
            updated_at: at,
        };
        repo::insert(conn, &row)?;
        let out = respond(conn, &row, &e)?;
        audit::record(conn, actor, ENTITY, &row.id, Change::Created(&out))?;
        Ok(out)
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Approve,
    Refuse,
    Cancel,
}

/// Moves a request on: approve or refuse a waiting one (its employee's manager, or
/// `hr.leave.approve`, never the employee themself), or cancel (the employee before it
/// begins, or `hr.leave.write`).
fn step(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LeaveRequestId,
    step: Step,
    d: LeaveDecision,
) -> Result<LeaveRequestResponse, AppError> {
    let company = actor.company_id.to_db();
    write_tx(conn, |conn| {
        let mut row =
            repo::find(conn, &company, &id.to_db())?.ok_or(AppError::NotFound("leave request"))?;
        let (e, _) = employee::repo::find(conn, &company, &row.employee_id)?
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
        let status: LeaveStatus = enum_from_db(&row.status)?;
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
                let hr = actor.can(APPROVE) && scope::sees(actor, &e.branch_id)?;
                if !hr && !manages(me.as_ref(), &e) {
                    return Err(AppError::Forbidden(APPROVE.into()));
                }
            }
            Step::Cancel => {
                let hr = actor.can(WRITE) && scope::sees(actor, &e.branch_id)?;
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
                current: row.status.clone(),
            });
        }
        let before = respond(conn, &row, &e)?;
        let expected = row.version;
        let at = now();
        row.status = enum_to_db(&to);
        row.decided_by = Some(actor.user_id.to_db());
        row.decided_at = Some(at);
        row.decision_note = d.note.as_deref().map(|n| n.trim().to_string());
        row.version += 1;
        row.updated_at = at;
        if !repo::update_versioned(conn, &row, expected)? {
            let current = repo::find(conn, &company, &row.id)?
                .map_or_else(|| "gone".to_string(), |r| r.status);
            return Err(AppError::InvalidState {
                entity: "leave request",
                action,
                current,
            });
        }
        let after = respond(conn, &row, &e)?;
        audit::updated(conn, actor, ENTITY, &row.id, &before, &after)?;
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

pub fn get_request(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LeaveRequestId,
) -> Result<LeaveRequestResponse, AppError> {
    let company = actor.company_id.to_db();
    let row =
        repo::find(conn, &company, &id.to_db())?.ok_or(AppError::NotFound("leave request"))?;
    let (e, _) = employee::repo::find(conn, &company, &row.employee_id)?
        .ok_or(AppError::NotFound("leave request"))?;
    if !sees(conn, actor, &e)? {
        reach(conn, actor)?;
        return Err(AppError::NotFound("leave request"));
    }
    respond(conn, &row, &e)
}

fn listed_response(l: &Listed) -> Result<LeaveRequestResponse, AppError> {
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
    let filter = LeaveFilter {
        employee_id: q.employee_id.map(|e| e.to_db()),
        department_id: q.department_id.map(|d| d.to_db()),
        statuses: q.status.map(|s| vec![enum_to_db(&s)]),
        overlapping,
    };
    let rows = repo::list(conn, &actor.company_id.to_db(), &reach, &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |r| &r.0.id);
    Ok(LeaveRequestPage {
        items: rows.iter().map(listed_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}

fn balances_of(
    conn: &mut DbConnection,
    e: &EmployeeRow,
    at: NaiveDate,
) -> Result<LeaveBalances, AppError> {
    let week = calendar::service::employee_week(conn, e)?;
    let spans = spans_of(conn, e, &week)?;
    let holding = repo::holding_of(conn, &e.id)?;
    let adjustments = repo::adjustments_of(conn, &e.id)?;
    let mut items = Vec::new();
    for t in repo::types(conn, &e.company_id)?
        .iter()
        .filter(|t| t.active)
    {
        let b = accrual::balance(
            &rule_of(t),
            &spans,
            &bookings_of(&holding, &t.id, None),
            &adjustments_for(&adjustments, &t.id),
            at,
        );
        items.push(LeaveBalance {
            leave_type_id: LeaveTypeId::from_db(&t.id)?,
            leave_type: t.code.clone(),
            year: b.year,
            carried: Qty::new(b.carried)?,
            expired: Qty::new(b.expired)?,
            accrued: Qty::new(b.accrued)?,
            adjusted: Qty::new(b.adjusted)?,
            taken: Qty::new(b.taken)?,
            booked: Qty::new(b.booked)?,
            requested: Qty::new(b.requested)?,
            available: Qty::new(b.available)?,
        });
    }
    Ok(LeaveBalances {
        employee_id: EmployeeId::from_db(&e.id)?,
        at,
        items,
    })
}

pub fn balances(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
    q: BalanceQuery,
) -> Result<LeaveBalances, AppError> {
    let (e, _) = employee::repo::find(conn, &actor.company_id.to_db(), &id.to_db())?
        .ok_or(AppError::NotFound("employee"))?;
    if !sees(conn, actor, &e)? {
        reach(conn, actor)?;
        return Err(AppError::NotFound("employee"));
    }
    balances_of(conn, &e, q.at.unwrap_or_else(wire::today))
}

fn adjustment_response(
    row: &LeaveAdjustmentRow,
    type_code: &str,
) -> Result<LeaveAdjustmentResponse, AppError> {
    Ok(LeaveAdjustmentResponse {
        id: LeaveAdjustmentId::from_db(&row.id)?,
        employee_id: EmployeeId::from_db(&row.employee_id)?,
        leave_type_id: LeaveTypeId::from_db(&row.leave_type_id)?,
        leave_type: type_code.to_string(),
        effective_on: row.effective_on,
        days: qty(row.days),
        reason: row.reason.clone(),
        created_by: UserId::from_db(&row.created_by)?,
        created_at: row.created_at.and_utc(),
    })
}

/// Adjusts a balance: HR deciding leave (`hr.leave.approve`) in the employee's branch, never
/// their own (409 `own_leave`). The employee row is held, as for a request, so a request
/// checked at the same time sees the adjustment or waits for it.
pub fn create_adjustment(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateLeaveAdjustmentRequest,
) -> Result<LeaveAdjustmentResponse, AppError> {
    actor.require(APPROVE)?;
    let company = actor.company_id.to_db();
    write_tx(conn, |conn| {
        let (e, _) = employee::repo::find(conn, &company, &req.employee_id.to_db())?
            .filter(|(e, _)| scope::sees(actor, &e.branch_id).unwrap_or(false))
            .ok_or(AppError::NotFound("employee"))?;
        if is_self(actor, &e) {
            return Err(AppError::conflict(
                "own_leave",
                "nobody adjusts their own leave; their manager or HR does",
            ));
        }
        if let Some(on) = e.terminated_on {
            return Err(HrError::Terminated {
                number: e.number.clone(),
                on,
            }
            .into());
        }
        employee::repo::hold(conn, &e.id)?;
        let mut v = Validator::new();
        let kind = active_type(conn, &mut v, &company, req.leave_type_id)?;
        let days = req.days.value();
        v.check(!days.is_zero(), "days", "must not be zero");
        v.check(
            days.abs() <= Decimal::from(366),
            "days",
            "at most 366 days either way",
        );
        v.check(
            days.normalize().scale() <= 2,
            "days",
            "in hundredths of a day at the finest",
        );
        v.check(
            req.effective_on >= e.hired_on,
            "effective_on",
            "must be on or after the hire date",
        );
        v.check(
            (2000..=2100).contains(&req.effective_on.year()),
            "effective_on",
            "must be in the years 2000 to 2100",
        );
        v.text("reason", &req.reason, 500);
        v.finish()?;
        let kind = kind.ok_or(AppError::NotFound("leave type"))?;
        let row = LeaveAdjustmentRow {
            id: req.id.unwrap_or_default().to_db(),
            company_id: company.clone(),
            employee_id: e.id.clone(),
            leave_type_id: kind.id.clone(),
            effective_on: req.effective_on,
            days: req.days.to_scaled()?,
            reason: req.reason.trim().to_string(),
            created_by: actor.user_id.to_db(),
            created_at: now(),
        };
        repo::insert_adjustment(conn, &row)?;
        let out = adjustment_response(&row, &kind.code)?;
        audit::record(conn, actor, ADJUSTMENTS, &row.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// The employee's balance adjustments, by date: for whoever may see their balances.
pub fn list_adjustments(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
) -> Result<LeaveAdjustmentList, AppError> {
    let (e, _) = employee::repo::find(conn, &actor.company_id.to_db(), &id.to_db())?
        .ok_or(AppError::NotFound("employee"))?;
    if !sees(conn, actor, &e)? {
        reach(conn, actor)?;
        return Err(AppError::NotFound("employee"));
    }
    let codes: std::collections::HashMap<String, String> = repo::types(conn, &e.company_id)?
        .into_iter()
        .map(|t| (t.id, t.code))
        .collect();
    Ok(LeaveAdjustmentList {
        items: repo::adjustments_of(conn, &e.id)?
            .iter()
            .map(|a| adjustment_response(a, codes.get(&a.leave_type_id).map_or("", String::as_str)))
            .collect::<Result<_, _>>()?,
    })
}

pub fn my_balances(
    conn: &mut DbConnection,
    actor: &Actor,
    q: BalanceQuery,
) -> Result<LeaveBalances, AppError> {
    let (e, _) = own(conn, actor)?;
    balances_of(conn, &e, q.at.unwrap_or_else(wire::today))
}

pub fn leave_calendar(
    conn: &mut DbConnection,
    actor: &Actor,
    q: LeaveCalendarQuery,
) -> Result<LeaveCalendar, AppError> {
    let reach = reach(conn, actor)?;
    let mut v = Validator::new();
    v.check(q.to >= q.from, "to", "must be on or after from");
    v.check(
        (q.to - q.from).num_days() <= 92,
        "to",
        "at most 92 days after from",
    );
    v.finish()?;
    let department = q.department_id.map(|d| d.to_db());
    let rows = repo::calendar(
        conn,
        &actor.company_id.to_db(),
        &reach,
        department.as_deref(),
        q.from,
        q.to,
    )?;
    let items = rows
        .iter()
        .map(|(r, name, _, code)| {
            Ok(LeaveCalendarEntry {
                request_id: LeaveRequestId::from_db(&r.id)?,
                employee_id: EmployeeId::from_db(&r.employee_id)?,
                employee_name: name.clone(),
                leave_type: code.clone(),
                starts_on: r.starts_on,
                ends_on: r.ends_on,
                half_day_start: r.half_day_start,
                half_day_end: r.half_day_end,
                status: enum_from_db(&r.status)?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(LeaveCalendar {
        from: q.from,
        to: q.to,
        items,
    })
}
