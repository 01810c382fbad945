//! The day's attendance of many people at once (worked, overtime, on leave, absent) and the
//! overtime rules it applies.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Utc};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::{Factor, Qty};
use erp_core::org::Tz;
use rust_decimal::Decimal;

use super::daily::{self, OvertimeRule, Per, Plan, Stretch};
use super::dto::*;
use super::model::OvertimeRuleRow;
use super::repo;
use super::service::*;
use crate::calendar::days::working_days;
use crate::calendar::service::{employee_week, holiday_set, SETUP};
use crate::error::HrError;
use crate::ids::OvertimeRuleId;
use crate::{department, employee, leave, team};

pub(super) fn rule_response(r: &OvertimeRuleRow) -> Result<OvertimeRuleResponse, AppError> {
    Ok(OvertimeRuleResponse {
        id: r.id,
        code: r.code.clone(),
        name: r.name.clone(),
        per: r.per,
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
pub(super) const MAX_PEOPLE: i64 = 500;

pub fn daily(
    conn: &mut DbConnection,
    actor: &Actor,
    q: DailyQuery,
) -> Result<AttendanceReport, AppError> {
    let reach = team::reach(conn, actor, READ)?;
    let (start, end) = day_span(q.from, q.to, 62)?;
    let company = actor.company_id;
    department::service::check_filter(conn, actor, q.department_id)?;
    employee::service::check_filter(conn, actor, q.employee_id)?;
    let department = q.department_id;
    let employee = q.employee_id;
    let people = repo::employees_between(
        conn,
        company,
        &reach,
        department,
        employee,
        (q.from, q.to),
        MAX_PEOPLE + 1,
    )?;
    if people.len() as i64 > MAX_PEOPLE {
        return Err(AppError::field(
            "department_id",
            format!("more than {MAX_PEOPLE} employees: narrow the report to a department"),
        ));
    }
    let rules = active_overtime_rules(conn, company)?;
    let ids: Vec<_> = people.iter().map(|(e, _)| e.id).collect();
    let approved = leave::repo::approved_between(conn, &ids, q.from, q.to)?;
    let zones = erp_core::org::branch_zones(conn, company)?;
    // A day a side: the branches' days begin up to 14 hours either side of UTC's, and a night
    // shift of the last day ends on the next.
    let (start, end) = (start - Duration::days(1), end + Duration::days(1));
    let now = Utc::now().naive_utc();
    let mut items = Vec::with_capacity(people.len());
    for (e, name) in &people {
        let week = employee_week(conn, e.company_id, e.calendar_id)?;
        let holidays = holiday_set(conn, company, e.branch_id, q.from, q.to)?;
        let mine: Vec<_> = approved
            .iter()
            .filter(|r| r.employee_id == e.id)
            .cloned()
            .collect();
        let leave = leave_days(&mine, &week, &holidays);
        let stretches: Vec<Stretch> = repo::of_employee_between(conn, e.id, start, end)?
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
            employee_id: e.id,
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
        items: repo::rules(conn, actor.company_id)?
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
    let company = actor.company_id;
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
        if repo::rule_code_taken(conn, company, &code)? {
            return Err(HrError::DuplicateCode {
                what: "overtime rule",
                code: code.clone(),
            }
            .into());
        }
        let row = OvertimeRuleRow {
            id: OvertimeRuleId::new(),
            company_id: company,
            code: code.clone(),
            name: req.name.trim().to_string(),
            per: req.per,
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
            row.id,
            Change::Created(&out),
        )?;
        Ok(out)
    })
}

/// The company's active overtime rules, as the daily arithmetic takes them.
pub fn active_overtime_rules(
    conn: &mut DbConnection,
    company: CompanyId,
) -> Result<Vec<OvertimeRule>, AppError> {
    Ok(repo::rules(conn, company)?
        .iter()
        .filter(|r| r.active)
        .map(|r| OvertimeRule {
            code: r.code.clone(),
            per: match r.per {
                OvertimePer::Day => Per::Day,
                OvertimePer::Week => Per::Week,
            },
            threshold: Qty::from_scaled(r.threshold).value(),
            rate: Decimal::new(r.rate, 4),
        })
        .collect())
}
