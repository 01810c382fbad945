//! Check-in and check-out, HR's records and corrections, the list of stretches and the daily
//! totals with overtime, missing check-outs and absence.
//! The day's attendance of many people and the overtime rules are in `roster.rs`.

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Qty;
use erp_core::pagination::ListParams;
use rust_decimal::Decimal;

use super::dto::*;
use super::model::AttendanceRow;
use super::repo;
use crate::employee;
use crate::employee::model::EmployeeRow;
use crate::employee::service::{is_self, own, SELF};
use crate::error::HrError;
use crate::ids::{AttendanceId, EmployeeId};
use crate::team;

pub use super::roster::*;

pub use crate::rights::ATTENDANCE_READ as READ;
pub use crate::rights::ATTENDANCE_TERMINAL as TERMINAL;
pub use crate::rights::ATTENDANCE_WRITE as WRITE;
pub(super) const ENTITY: &str = "hr_attendance";

pub(super) fn to_response(row: &AttendanceRow, name: &str) -> Result<AttendanceResponse, AppError> {
    Ok(AttendanceResponse {
        id: row.id,
        employee_id: row.employee_id,
        employee_name: name.to_string(),
        check_in: row.check_in.and_utc(),
        check_out: row.check_out.map(|t| t.and_utc()),
        hours: row
            .check_out
            .map(|out| {
                let h = Decimal::from((out - row.check_in).num_seconds()) / Decimal::from(3600);
                Qty::new(h.round_dp(2))
            })
            .transpose()?,
        source: enum_from_db(&row.source)?,
        note: row.note.clone(),
        version: row.version,
        created_at: row.created_at.and_utc(),
    })
}

pub(super) fn respond(
    conn: &mut DbConnection,
    row: &AttendanceRow,
) -> Result<AttendanceResponse, AppError> {
    let name = employee::repo::find(conn, row.company_id, row.employee_id)?
        .map(|(_, n)| n)
        .unwrap_or_default();
    to_response(row, &name)
}

/// Whose clock it is, at what moment, and in what role: oneself now, a terminal (up to 7 days
/// back) or HR (any past moment) for an employee of their branches.
pub(super) fn clocking(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &ClockRequest,
) -> Result<(EmployeeRow, NaiveDateTime, AttendanceSource), AppError> {
    let now = Utc::now().naive_utc();
    let target = match req.employee_id {
        None => own(conn, actor)?.0,
        Some(id) => {
            employee::repo::find(conn, actor.company_id, id)?
                .ok_or(AppError::NotFound("employee"))?
                .0
        }
    };
    let own_clock = is_self(actor, &target) && actor.can(SELF);
    let branch = actor.sees_branch(&target.branch_id);
    let source = if actor.can(WRITE) && branch {
        AttendanceSource::Hr
    } else if actor.can(TERMINAL) && branch {
        AttendanceSource::Terminal
    } else if own_clock {
        AttendanceSource::Myself
    } else if req.employee_id.is_some() {
        if !branch && (actor.can(WRITE) || actor.can(TERMINAL)) {
            return Err(AppError::NotFound("employee"));
        }
        return Err(AppError::Forbidden(TERMINAL.into()));
    } else {
        AttendanceSource::Myself
    };
    let at = req.at.map(|t| t.naive_utc());
    let mut v = Validator::new();
    v.opt_text("note", req.note.as_deref(), 500);
    match (source, at) {
        (AttendanceSource::Myself, Some(_)) => v.add(
            "at",
            "only a time terminal or HR sets the moment; leave it out",
        ),
        (_, Some(t)) if t > now + Duration::minutes(5) => v.add("at", "must not be in the future"),
        (AttendanceSource::Terminal, Some(t)) if t < now - Duration::days(7) => v.add(
            "at",
            "a terminal sends at most 7 days late; HR records older stretches",
        ),
        _ => {}
    }
    v.finish()?;
    let at = at.unwrap_or(now);
    let zone = erp_core::org::branch_zone(conn, target.company_id, target.branch_id)?;
    check_employed(&target, erp_core::org::wall_clock(zone, at).date())?;
    Ok((target, at, source))
}

pub(super) fn check_employed(e: &EmployeeRow, day: NaiveDate) -> Result<(), AppError> {
    if let Some(last) = e.terminated_on.filter(|t| *t < day) {
        return Err(HrError::Terminated {
            number: e.number.clone(),
            on: last,
        }
        .into());
    }
    if day < e.hired_on {
        return Err(AppError::field(
            "at",
            format!("is before the hire date, {}", e.hired_on),
        ));
    }
    Ok(())
}

/// Refuses a stretch that shares a moment with another of the employee's.
pub(super) fn check_free(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
    skip: Option<AttendanceId>,
    from: NaiveDateTime,
    to: NaiveDateTime,
    field: &str,
) -> Result<(), AppError> {
    let clash = repo::of_employee_between(conn, employee_id, from, to)?
        .into_iter()
        .find(|s| Some(s.id) != skip);
    if let Some(s) = clash {
        let end = s
            .check_out
            .map_or("now".to_string(), |t| t.and_utc().to_rfc3339());
        return Err(AppError::field(
            field,
            format!(
                "overlaps the stretch from {} to {end}",
                s.check_in.and_utc().to_rfc3339()
            ),
        ));
    }
    Ok(())
}

pub fn check_in(
    conn: &mut DbConnection,
    actor: &Actor,
    req: ClockRequest,
) -> Result<AttendanceResponse, AppError> {
    write_tx(conn, |conn| {
        let (e, at, source) = clocking(conn, actor, &req)?;
        employee::repo::hold(conn, e.id)?;
        if let Some(open) = repo::open_of(conn, e.id)? {
            return Err(AppError::conflict(
                "already_checked_in",
                format!(
                    "checked in since {}; check out first",
                    open.check_in.and_utc().to_rfc3339()
                ),
            ));
        }
        check_free(conn, e.id, None, at, at + Duration::seconds(1), "at")?;
        let stamp = now();
        let row = AttendanceRow {
            id: AttendanceId::new(),
            company_id: e.company_id,
            employee_id: e.id,
            check_in: at,
            check_out: None,
            source: enum_to_db(&source),
            note: req.note.as_deref().map(|n| n.trim().to_string()),
            created_by: actor.user_id,
            created_at: stamp,
            updated_at: stamp,
            version: 1,
        };
        repo::insert(conn, &row)?;
        let out = respond(conn, &row)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn check_out(
    conn: &mut DbConnection,
    actor: &Actor,
    req: ClockRequest,
) -> Result<AttendanceResponse, AppError> {
    write_tx(conn, |conn| {
        let (e, at, source) = clocking(conn, actor, &req)?;
        employee::repo::hold(conn, e.id)?;
        let mut row = repo::open_of(conn, e.id)?.ok_or_else(|| {
            AppError::conflict("not_checked_in", "not checked in; check in first")
        })?;
        let mut v = Validator::new();
        if at <= row.check_in {
            v.add(
                "at",
                format!(
                    "must be after the check-in at {}",
                    row.check_in.and_utc().to_rfc3339()
                ),
            );
        } else if source != AttendanceSource::Hr && at - row.check_in > Duration::hours(24) {
            v.add(
                "at",
                "more than 24 hours after the check-in: the check-out was missed; HR corrects the stretch",
            );
        }
        v.finish()?;
        check_free(conn, e.id, Some(row.id), row.check_in, at, "at")?;
        let before = respond(conn, &row)?;
        let expected = row.version;
        row.check_out = Some(at);
        if let Some(n) = &req.note {
            row.note = Some(n.trim().to_string());
        }
        row.version += 1;
        row.updated_at = now();
        if !repo::update_versioned(conn, &row, expected)? {
            return Err(AppError::conflict(
                "not_checked_in",
                "checked out by another request",
            ));
        }
        let after = respond(conn, &row)?;
        audit::updated(conn, actor, ENTITY, row.id, &before, &after)?;
        Ok(after)
    })
}

/// HR records a whole stretch (a forgotten check-in, a day out of the office).
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    req: RecordAttendanceRequest,
) -> Result<AttendanceResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let (e, _) = employee::repo::find(conn, company, req.employee_id)?
            .filter(|(e, _)| actor.sees_branch(&e.branch_id))
            .ok_or(AppError::NotFound("employee"))?;
        employee::repo::hold(conn, e.id)?;
        let (from, to) = (
            req.check_in.naive_utc(),
            req.check_out.map(|t| t.naive_utc()),
        );
        let mut v = Validator::new();
        v.opt_text("note", req.note.as_deref(), 500);
        let now_utc = Utc::now().naive_utc();
        v.check(from <= now_utc, "check_in", "must not be in the future");
        if let Some(out) = to {
            v.check(out > from, "check_out", "must be after check_in");
            v.check(
                out <= now_utc + Duration::minutes(5),
                "check_out",
                "must not be in the future",
            );
        }
        v.finish()?;
        let zone = erp_core::org::branch_zone(conn, company, e.branch_id)?;
        check_employed(&e, erp_core::org::wall_clock(zone, from).date()).map_err(
            |err| match err {
                AppError::Validation(_) => AppError::field(
                    "check_in",
                    format!("is before the hire date, {}", e.hired_on),
                ),
                other => other,
            },
        )?;
        match to {
            Some(out) => check_free(conn, e.id, None, from, out, "check_in")?,
            None => {
                if repo::open_of(conn, e.id)?.is_some() {
                    return Err(AppError::conflict(
                        "already_checked_in",
                        "the employee is checked in; record a whole stretch or check them out",
                    ));
                }
                check_free(
                    conn,
                    e.id,
                    None,
                    from,
                    from + Duration::seconds(1),
                    "check_in",
                )?;
            }
        }
        let stamp = now();
        let row = AttendanceRow {
            id: AttendanceId::new(),
            company_id: company,
            employee_id: e.id,
            check_in: from,
            check_out: to,
            source: enum_to_db(&AttendanceSource::Hr),
            note: req.note.as_deref().map(|n| n.trim().to_string()),
            created_by: actor.user_id,
            created_at: stamp,
            updated_at: stamp,
            version: 1,
        };
        repo::insert(conn, &row)?;
        let out = respond(conn, &row)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn delete(conn: &mut DbConnection, actor: &Actor, id: AttendanceId) -> Result<(), AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let row = repo::find(conn, company, id)?.ok_or(AppError::NotFound("attendance"))?;
        let (e, _) = employee::repo::find(conn, company, row.employee_id)?
            .ok_or(AppError::NotFound("attendance"))?;
        if !actor.sees_branch(&e.branch_id) {
            return Err(AppError::NotFound("attendance"));
        }
        let before = respond(conn, &row)?;
        repo::delete(conn, row.id)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Deleted(&before))
    })
}

pub(super) fn day_span(
    from: NaiveDate,
    to: NaiveDate,
    max_days: i64,
) -> Result<(NaiveDateTime, NaiveDateTime), AppError> {
    let mut v = Validator::new();
    v.check(to >= from, "to", "must be on or after from");
    v.check(
        (to - from).num_days() < max_days,
        "to",
        &format!("at most {max_days} days from from"),
    );
    v.finish()?;
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = to.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::days(1);
    Ok((start, end))
}

pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: AttendanceListQuery,
) -> Result<AttendancePage, AppError> {
    let reach = team::reach(conn, actor, READ)?;
    let page = params.validate()?;
    let (start, end) = day_span(q.from, q.to, 92)?;
    let company = actor.company_id;
    employee::service::check_filter(conn, actor, q.employee_id)?;
    let employee = q.employee_id;
    let zone = match &employee {
        Some(id) => match employee::repo::find(conn, company, *id)? {
            Some((e, _)) => erp_core::org::branch_zone(conn, company, e.branch_id)?,
            None => erp_core::org::company_zone(conn, company)?,
        },
        None => erp_core::org::company_zone(conn, company)?,
    };
    let span = (
        erp_core::org::instant(zone, start),
        erp_core::org::instant(zone, end),
    );
    let rows = repo::list(conn, company, &reach, employee, span, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.0.id);
    Ok(AttendancePage {
        items: rows
            .iter()
            .map(|(r, n)| to_response(r, n))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}
