//! Check-in and check-out, HR's records and corrections, the list of stretches and the daily
//! totals with overtime, missing check-outs and absence.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::{Factor, Qty};
use erp_core::pagination::ListParams;
use rust_decimal::Decimal;

use super::daily::{self, OvertimeRule, Per, Plan, Stretch};
use super::dto::*;
use super::model::{AttendanceRow, OvertimeRuleRow};
use super::repo;
use crate::calendar::days::working_days;
use crate::calendar::service::{employee_week, holiday_set, SETUP};
use crate::employee::model::EmployeeRow;
use crate::employee::service::{is_self, own, SELF};
use crate::error::HrError;
use crate::ids::{AttendanceId, EmployeeId, OvertimeRuleId};
use crate::team;
use crate::{employee, leave, scope};
use erp_core::org::Tz;

pub const READ: &str = "hr.attendance.read";
pub const WRITE: &str = "hr.attendance.write";
pub const TERMINAL: &str = "hr.attendance.terminal";
const ENTITY: &str = "hr_attendance";

fn to_response(row: &AttendanceRow, name: &str) -> Result<AttendanceResponse, AppError> {
    Ok(AttendanceResponse {
        id: AttendanceId::from_db(&row.id)?,
        employee_id: EmployeeId::from_db(&row.employee_id)?,
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

fn respond(conn: &mut DbConnection, row: &AttendanceRow) -> Result<AttendanceResponse, AppError> {
    let name = employee::repo::find(conn, &row.company_id, &row.employee_id)?
        .map(|(_, n)| n)
        .unwrap_or_default();
    to_response(row, &name)
}

/// Whose clock it is, at what moment, and in what role: oneself now, a terminal (up to 7 days
/// back) or HR (any past moment) for an employee of their branches.
fn clocking(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &ClockRequest,
) -> Result<(EmployeeRow, NaiveDateTime, AttendanceSource), AppError> {
    let now = Utc::now().naive_utc();
    let target = match req.employee_id {
        None => own(conn, actor)?.0,
        Some(id) => {
            employee::repo::find(conn, &actor.company_id.to_db(), &id.to_db())?
                .ok_or(AppError::NotFound("employee"))?
                .0
        }
    };
    let own_clock = is_self(actor, &target) && actor.can(SELF);
    let branch = scope::sees(actor, &target.branch_id)?;
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
    let zone = erp_core::org::branch_zone(conn, &target.company_id, &target.branch_id)?;
    check_employed(&target, erp_core::org::wall_clock(zone, at).date())?;
    Ok((target, at, source))
}

fn check_employed(e: &EmployeeRow, day: NaiveDate) -> Result<(), AppError> {
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
fn check_free(
    conn: &mut DbConnection,
    employee_id: &str,
    skip: Option<&str>,
    from: NaiveDateTime,
    to: NaiveDateTime,
    field: &str,
) -> Result<(), AppError> {
    let clash = repo::of_employee_between(conn, employee_id, from, to)?
        .into_iter()
        .find(|s| Some(s.id.as_str()) != skip);
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
        employee::repo::hold(conn, &e.id)?;
        if let Some(open) = repo::open_of(conn, &e.id)? {
            return Err(AppError::conflict(
                "already_checked_in",
                format!(
                    "checked in since {}; check out first",
                    open.check_in.and_utc().to_rfc3339()
                ),
            ));
        }
        check_free(conn, &e.id, None, at, at + Duration::seconds(1), "at")?;
        let stamp = now();
        let row = AttendanceRow {
            id: AttendanceId::new().to_db(),
            company_id: e.company_id.clone(),
            employee_id: e.id.clone(),
            check_in: at,
            check_out: None,
            source: enum_to_db(&source),
            note: req.note.as_deref().map(|n| n.trim().to_string()),
            created_by: actor.user_id.to_db(),
            created_at: stamp,
            updated_at: stamp,
            version: 1,
        };
        repo::insert(conn, &row)?;
        let out = respond(conn, &row)?;
        audit::record(conn, actor, ENTITY, &row.id, Change::Created(&out))?;
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
        employee::repo::hold(conn, &e.id)?;
        let mut row = repo::open_of(conn, &e.id)?.ok_or_else(|| {
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
        check_free(conn, &e.id, Some(&row.id), row.check_in, at, "at")?;
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
        audit::updated(conn, actor, ENTITY, &row.id, &before, &after)?;
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
    let company = actor.company_id.to_db();
    write_tx(conn, |conn| {
        let (e, _) = employee::repo::find(conn, &company, &req.employee_id.to_db())?
            .filter(|(e, _)| scope::sees(actor, &e.branch_id).unwrap_or(false))
            .ok_or(AppError::NotFound("employee"))?;
        employee::repo::hold(conn, &e.id)?;
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
        let zone = erp_core::org::branch_zone(conn, &company, &e.branch_id)?;
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
            Some(out) => check_free(conn, &e.id, None, from, out, "check_in")?,
            None => {
                if repo::open_of(conn, &e.id)?.is_some() {
                    return Err(AppError::conflict(
                        "already_checked_in",
                        "the employee is checked in; record a whole stretch or check them out",
                    ));
                }
                check_free(
                    conn,
                    &e.id,
                    None,
                    from,
                    from + Duration::seconds(1),
                    "check_in",
                )?;
            }
        }
        let stamp = now();
        let row = AttendanceRow {
            id: AttendanceId::new().to_db(),
            company_id: company.clone(),
            employee_id: e.id.clone(),
            check_in: from,
            check_out: to,
            source: enum_to_db(&AttendanceSource::Hr),
            note: req.note.as_deref().map(|n| n.trim().to_string()),
            created_by: actor.user_id.to_db(),
            created_at: stamp,
            updated_at: stamp,
            version: 1,
        };
        repo::insert(conn, &row)?;
        let out = respond(conn, &row)?;
        audit::record(conn, actor, ENTITY, &row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn delete(conn: &mut DbConnection, actor: &Actor, id: AttendanceId) -> Result<(), AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id.to_db();
    write_tx(conn, |conn| {
        let row =
            repo::find(conn, &company, &id.to_db())?.ok_or(AppError::NotFound("attendance"))?;
        let (e, _) = employee::repo::find(conn, &company, &row.employee_id)?
            .ok_or(AppError::NotFound("attendance"))?;
        if !scope::sees(actor, &e.branch_id)? {
            return Err(AppError::NotFound("attendance"));
        }
        let before = respond(conn, &row)?;
        repo::delete(conn, &row.id)?;
        audit::record(conn, actor, ENTITY, &row.id, Change::Deleted(&before))
    })
}

fn day_span(
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
    let company = actor.company_id.to_db();
    let employee = q.employee_id.map(|e| e.to_db());
    let zone = match &employee {
        Some(id) => match employee::repo::find(conn, &company, id)? {
            Some((e, _)) => erp_core::org::branch_zone(conn, &company, &e.branch_id)?,
            None => erp_core::org::company_zone(conn, &company)?,
        },
        None => erp_core::org::company_zone(conn, &company)?,
    };
    let span = (
        erp_core::org::instant(zone, start),
        erp_core::org::instant(zone, end),
    );
    let rows = repo::list(conn, &company, &reach, employee.as_deref(), span, &page)?;
    let (rows, next_cursor) = page.finish(rows, |r| &r.0.id);
    Ok(AttendancePage {
        items: rows
            .iter()
            .map(|(r, n)| to_response(r, n))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

fn rule_response(r: &OvertimeRuleRow) -> Result<OvertimeRuleResponse, AppError> {
    Ok(OvertimeRuleResponse {
        id: OvertimeRuleId::from_db(&r.id)?,
        code: r.code.clone(),
        name: r.name.clone(),
        per: enum_from_db(&r.per)?,
        threshold: Qty::from_scaled(r.threshold),
        rate: Factor::new(Decimal::new(r.rate, 4))?,
        active: r.active,
    })
}

/// Leave days per day from approved requests: 1, or 0.5 at a half-day end; working days only.
pub(crate) fn leave_days(
    requests: &[leave::model::LeaveRequestRow],
    week: &crate::calendar::days::Week,
    holidays: &std::collections::HashSet<NaiveDate>,
) -> HashMap<NaiveDate, Decimal> {
    let mut out = HashMap::new();
    for r in requests {
        for day in r.starts_on.iter_days().take_while(|d| *d <= r.ends_on) {
            let part = working_days(
                week,
                holidays,
                day,
                day,
                day == r.starts_on && r.half_day_start,
                day == r.ends_on && r.half_day_end,
            );
            if part > Decimal::ZERO {
                *out.entry(day).or_insert(Decimal::ZERO) += part;
            }
        }
    }
    out
}

/// Most employees one daily report covers; narrow by department beyond it.
const MAX_PEOPLE: i64 = 500;

pub fn daily(
    conn: &mut DbConnection,
    actor: &Actor,
    q: DailyQuery,
) -> Result<AttendanceReport, AppError> {
    let reach = team::reach(conn, actor, READ)?;
    let (start, end) = day_span(q.from, q.to, 62)?;
    let company = actor.company_id.to_db();
    let department = q.department_id.map(|d| d.to_db());
    let employee = q.employee_id.map(|e| e.to_db());
    let people = repo::employees_between(
        conn,
        &company,
        &reach,
        department.as_deref(),
        employee.as_deref(),
        (q.from, q.to),
        MAX_PEOPLE + 1,
    )?;
    if people.len() as i64 > MAX_PEOPLE {
        return Err(AppError::field(
            "department_id",
            format!("more than {MAX_PEOPLE} employees: narrow the report to a department"),
        ));
    }
    let rules: Vec<OvertimeRule> = repo::rules(conn, &company)?
        .iter()
        .filter(|r| r.active)
        .map(|r| OvertimeRule {
            code: r.code.clone(),
            per: if r.per == "week" { Per::Week } else { Per::Day },
            threshold: Qty::from_scaled(r.threshold).value(),
            rate: Decimal::new(r.rate, 4),
        })
        .collect();
    let ids: Vec<String> = people.iter().map(|(e, _)| e.id.clone()).collect();
    let approved = leave::repo::approved_between(conn, &ids, q.from, q.to)?;
    let zones = erp_core::org::branch_zones(conn, &company)?;
    // A day a side: the branches' days begin up to 14 hours either side of UTC's, and a night
    // shift of the last day ends on the next.
    let (start, end) = (start - Duration::days(1), end + Duration::days(1));
    let now = Utc::now().naive_utc();
    let mut items = Vec::with_capacity(people.len());
    for (e, name) in &people {
        let week = employee_week(conn, e)?;
        let holidays = holiday_set(conn, &company, &e.branch_id, q.from, q.to)?;
        let mine: Vec<_> = approved
            .iter()
            .filter(|r| r.employee_id == e.id)
            .cloned()
            .collect();
        let leave = leave_days(&mine, &week, &holidays);
        let stretches: Vec<Stretch> = repo::of_employee_between(conn, &e.id, start, end)?
            .iter()
            .map(|s| Stretch {
                check_in: s.check_in,
                check_out: s.check_out,
            })
            .collect();
        let plan = Plan {
            week: &week,
            holidays: &holidays,
            leave: &leave,
            zone: zones.get(&e.branch_id).copied().unwrap_or(Tz::UTC),
        };
        // Days outside the employment are neither expected nor absent.
        let from = q.from.max(e.hired_on);
        let to = e.terminated_on.map_or(q.to, |t| t.min(q.to));
        let t = daily::totals(&plan, &stretches, &rules, from, to, now);
        let q2 = |d: Decimal| Qty::new(d);
        let days = t
            .days
            .iter()
            .map(|d| {
                Ok(AttendanceDay {
                    day: d.day,
                    expected_hours: q2(d.expected)?,
                    worked_hours: q2(d.worked)?,
                    leave_days: q2(d.leave)?,
                    overtime_hours: q2(d.overtime)?,
                    missing_check_out: d.missing_check_out,
                    absent: d.absent,
                    late_minutes: d.late_minutes,
                    left_early_minutes: d.left_early_minutes,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        items.push(EmployeeAttendance {
            employee_id: EmployeeId::from_db(&e.id)?,
            name: name.clone(),
            expected_hours: q2(t.days.iter().map(|d| d.expected).sum())?,
            worked_hours: q2(t.days.iter().map(|d| d.worked).sum())?,
            absent_days: t.days.iter().filter(|d| d.absent).count() as i64,
            missing_check_outs: t.days.iter().filter(|d| d.missing_check_out).count() as i64,
            late_days: t.days.iter().filter(|d| d.late_minutes > 0).count() as i64,
            overtime: t
                .overtime
                .iter()
                .map(|o| {
                    Ok(OvertimeLine {
                        rule: o.code.clone(),
                        rate: Factor::new(o.rate)?,
                        hours: q2(o.hours)?,
                    })
                })
                .collect::<Result<_, AppError>>()?,
            days,
        });
    }
    Ok(AttendanceReport {
        from: q.from,
        to: q.to,
        items,
    })
}

pub fn list_rules(conn: &mut DbConnection, actor: &Actor) -> Result<OvertimeRuleList, AppError> {
    if !actor.can(READ) {
        crate::calendar::service::require_read(actor)?;
    }
    Ok(OvertimeRuleList {
        items: repo::rules(conn, &actor.company_id.to_db())?
            .iter()
            .map(rule_response)
            .collect::<Result<_, _>>()?,
    })
}

pub fn create_rule(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateOvertimeRuleRequest,
) -> Result<OvertimeRuleResponse, AppError> {
    actor.require(SETUP)?;
    let company = actor.company_id.to_db();
    let code = req.code.trim().to_string();
    let mut v = Validator::new();
    v.code("code", &code, 32);
    v.text("name", &req.name, 200);
    let t = req.threshold.value();
    let limit = if req.per == OvertimePer::Day { 24 } else { 168 };
    v.check(
        t >= Decimal::ZERO && t <= Decimal::from(limit),
        "threshold",
        &format!("must be between 0 and {limit} hours"),
    );
    let rate = req.rate.value();
    v.check(
        rate > Decimal::ZERO && rate <= Decimal::from(10) && rate.normalize().scale() <= 4,
        "rate",
        "must be over 0 and at most 10, with at most 4 decimal places",
    );
    v.finish()?;
    write_tx(conn, |conn| {
        if repo::rule_code_taken(conn, &company, &code)? {
            return Err(HrError::DuplicateCode {
                what: "overtime rule",
                code: code.clone(),
            }
            .into());
        }
        let row = OvertimeRuleRow {
            id: OvertimeRuleId::new().to_db(),
            company_id: company.clone(),
            code: code.clone(),
            name: req.name.trim().to_string(),
            per: enum_to_db(&req.per),
            threshold: req.threshold.to_scaled()?,
            rate: (rate * Decimal::from(10_000))
                .trunc()
                .try_into()
                .map_err(|_| AppError::field("rate", "out of range"))?,
            active: true,
            created_at: now(),
        };
        repo::insert_rule(conn, &row)?;
        let out = rule_response(&row)?;
        audit::record(
            conn,
            actor,
            "hr_overtime_rules",
            &row.id,
            Change::Created(&out),
        )?;
        Ok(out)
    })
}
