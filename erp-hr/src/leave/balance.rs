//! Leave balances (accrued, booked, adjusted, left), adjustments by HR, and the team's
//! calendar.

use chrono::{Datelike, NaiveDate};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Qty;
use erp_core::pagination::PageParams;
use rust_decimal::Decimal;

use super::accrual::{self};
use super::dto::*;
use super::model::LeaveAdjustmentRow;
use super::repo::{self};
use super::service::*;
use crate::calendar::{self};
use crate::department;
use crate::employee::model::EmployeeRow;
use crate::employee::service::{is_self, own};
use crate::error::HrError;
use crate::ids::EmployeeId;
use crate::{employee, wire};

pub(super) fn balances_of(
    conn: &mut DbConnection,
    e: &EmployeeRow,
    at: NaiveDate,
) -> Result<LeaveBalances, AppError> {
    let week = calendar::service::employee_week(conn, e.company_id, e.calendar_id)?;
    let spans = spans_of(conn, e, &week)?;
    let holding = repo::holding_of(conn, e.id)?;
    let adjustments = repo::adjustments_of(conn, e.id)?;
    let mut items = Vec::new();
    for t in repo::types(conn, e.company_id)?.iter().filter(|t| t.active) {
        let b = accrual::balance(
            &rule_of(t),
            &spans,
            &bookings_of(&holding, t.id, None),
            &adjustments_for(&adjustments, t.id),
            at,
        );
        items.push(LeaveBalance {
            leave_type_id: t.id,
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
        employee_id: e.id,
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
    let (e, _) =
        employee::repo::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound("employee"))?;
    if !sees(conn, actor, &e)? {
        reach(conn, actor)?;
        return Err(AppError::NotFound("employee"));
    }
    balances_of(conn, &e, q.at.unwrap_or_else(wire::today))
}

pub(super) fn adjustment_response(
    row: &LeaveAdjustmentRow,
    type_code: &str,
) -> Result<LeaveAdjustmentResponse, AppError> {
    Ok(LeaveAdjustmentResponse {
        id: row.id,
        employee_id: row.employee_id,
        leave_type_id: row.leave_type_id,
        leave_type: type_code.to_string(),
        effective_on: row.effective_on,
        days: qty(row.days),
        reason: row.reason.clone(),
        created_by: row.created_by,
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
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let (e, _) = employee::repo::find(conn, company, req.employee_id)?
            .filter(|(e, _)| actor.sees_branch(&e.branch_id))
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
        employee::repo::hold(conn, e.id)?;
        let mut v = Validator::new();
        let kind = active_type(conn, &mut v, company, req.leave_type_id)?;
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
            id: req.id.unwrap_or_default(),
            company_id: company,
            employee_id: e.id,
            leave_type_id: kind.id,
            effective_on: req.effective_on,
            days: req.days.to_scaled()?,
            reason: req.reason.trim().to_string(),
            created_by: actor.user_id,
            created_at: now(),
        };
        repo::insert_adjustment(conn, &row)?;
        let out = adjustment_response(&row, &kind.code)?;
        audit::record(conn, actor, ADJUSTMENTS, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// The employee's balance adjustments, by date: for whoever may see their balances.
pub fn list_adjustments(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EmployeeId,
) -> Result<LeaveAdjustmentList, AppError> {
    let (e, _) =
        employee::repo::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound("employee"))?;
    if !sees(conn, actor, &e)? {
        reach(conn, actor)?;
        return Err(AppError::NotFound("employee"));
    }
    let codes: std::collections::HashMap<_, String> = repo::types(conn, e.company_id)?
        .into_iter()
        .map(|t| (t.id, t.code))
        .collect();
    Ok(LeaveAdjustmentList {
        items: repo::adjustments_of(conn, e.id)?
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
    page: PageParams,
) -> Result<LeaveCalendar, AppError> {
    let reach = reach(conn, actor)?;
    let page = page.validate_by::<NaiveDate>()?;
    let mut v = Validator::new();
    v.check(q.to >= q.from, "to", "must be on or after from");
    v.check(
        (q.to - q.from).num_days() <= 92,
        "to",
        "at most 92 days after from",
    );
    v.finish()?;
    department::service::check_filter(conn, actor, q.department_id)?;
    let department = q.department_id;
    let rows = repo::calendar(
        conn,
        actor.company_id,
        &reach,
        department,
        q.from,
        q.to,
        &page,
    )?;
    let (rows, next_cursor) = page.finish_typed(rows, |(r, ..)| (r.starts_on, r.id));
    let items = rows
        .iter()
        .map(|(r, name, _, code)| {
            Ok(LeaveCalendarEntry {
                request_id: r.id,
                employee_id: r.employee_id,
                employee_name: name.clone(),
                leave_type: code.clone(),
                starts_on: r.starts_on,
                ends_on: r.ends_on,
                half_day_start: r.half_day_start,
                half_day_end: r.half_day_end,
                status: r.status,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(LeaveCalendar {
        from: q.from,
        to: q.to,
        items,
        next_cursor,
    })
}
