//! Work calendars and public holidays: create, change, list; holidays typed or imported from
//! CSV, all or nothing.
//! Public holidays are in `holiday.rs`.

use std::collections::HashSet;

use chrono::{NaiveTime, Timelike};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::Qty;
use erp_core::pagination::ListParams;
use rust_decimal::{Decimal, RoundingStrategy};

use super::days::{Slot, Week};
use super::dto::*;
use super::model::CalendarRow;
use super::repo;
use crate::error::HrError;
use crate::ids::CalendarId;

pub use super::holiday::*;

/// Manage calendars, holidays and leave types.
pub use crate::rights::SETUP;
pub(super) const ENTITY: &str = "hr_calendars";
pub(super) const HOLIDAY: &str = "hr_holidays";

/// Reading calendars and holidays: HR, and every employee for their own planning.
pub fn require_read(actor: &Actor) -> Result<(), AppError> {
    if actor.can(crate::rights::SELF) {
        return Ok(());
    }
    actor.require(crate::rights::EMPLOYEE_READ)
}

pub(super) const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Minutes after midnight of a `HH:MM` time.
pub(super) fn minute_of(text: &str) -> Option<u32> {
    let t = NaiveTime::parse_from_str(text, "%H:%M").ok()?;
    (text.len() == 5).then(|| t.hour() * 60 + t.minute())
}

/// A shift's time on its day; one ending at or before its start ends the next day.
pub(super) fn slot_of(shift: &Shift) -> Option<Slot> {
    let (start, end) = (minute_of(&shift.starts_at)?, minute_of(&shift.ends_at)?);
    Some(Slot {
        start,
        end: if end <= start { end + 1440 } else { end },
    })
}

/// The shifts a row keeps (checked when written).
pub fn shifts_of(row: &CalendarRow) -> Vec<Shift> {
    serde_json::from_str(&row.shifts).unwrap_or_default()
}

pub fn week_of(row: &CalendarRow) -> Week {
    let mut week = Week::of_hours(row.scaled_hours().map(|h| Qty::from_scaled(h).value()));
    for shift in shifts_of(row) {
        if let Some(slot) = slot_of(&shift) {
            for day in &shift.days {
                week.slots[day.index()].push(slot);
            }
        }
    }
    for day in week.slots.iter_mut() {
        day.sort_by_key(|s| s.start);
    }
    week
}

pub(super) fn hours_dto(row: &CalendarRow) -> WeekHours {
    let q = Qty::from_scaled;
    WeekHours {
        mon: q(row.mon),
        tue: q(row.tue),
        wed: q(row.wed),
        thu: q(row.thu),
        fri: q(row.fri),
        sat: q(row.sat),
        sun: q(row.sun),
    }
}

pub fn to_response(row: &CalendarRow) -> Result<CalendarResponse, AppError> {
    Ok(CalendarResponse {
        id: row.id,
        code: row.code.clone(),
        name: row.name.clone(),
        hours: hours_dto(row),
        shifts: shifts_of(row),
        hours_per_week: Qty::new(week_of(row).total())?,
        is_default: row.is_default,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Checks the hours and writes them into the row.
pub(super) fn set_hours(
    v: &mut Validator,
    row: &mut CalendarRow,
    h: &WeekHours,
) -> Result<(), AppError> {
    let days = [
        ("mon", h.mon),
        ("tue", h.tue),
        ("wed", h.wed),
        ("thu", h.thu),
        ("fri", h.fri),
        ("sat", h.sat),
        ("sun", h.sun),
    ];
    for (name, hours) in days {
        let ok = hours.value() >= Decimal::ZERO && hours.value() <= Decimal::from(24);
        v.check(ok, &format!("hours.{name}"), "must be between 0 and 24");
    }
    v.check(
        days.iter().any(|(_, h)| h.value() > Decimal::ZERO),
        "hours",
        "a calendar needs at least one working day",
    );
    let s = |q: Qty| q.to_scaled();
    row.mon = s(h.mon)?;
    row.tue = s(h.tue)?;
    row.wed = s(h.wed)?;
    row.thu = s(h.thu)?;
    row.fri = s(h.fri)?;
    row.sat = s(h.sat)?;
    row.sun = s(h.sun)?;
    row.shifts = "[]".into();
    Ok(())
}

/// Checks the shifts and writes them, and the hours of each weekday they make, into the row.
pub(super) fn set_shifts(
    v: &mut Validator,
    row: &mut CalendarRow,
    shifts: &[Shift],
) -> Result<(), AppError> {
    v.check(
        !shifts.is_empty() && shifts.len() <= 20,
        "shifts",
        "give 1 to 20 shifts, or hours alone",
    );
    let mut minutes = [0i64; 7];
    // Each shift on each of its days, in minutes from Monday 00:00: (start, end, shift, day).
    let mut spans: Vec<(i64, i64, usize, usize)> = Vec::new();
    for (i, shift) in shifts.iter().enumerate() {
        let f = |name: &str| format!("shifts[{i}].{name}");
        v.text(&f("name"), &shift.name, 64);
        let mut seen = HashSet::new();
        v.check(
            !shift.days.is_empty(),
            &f("days"),
            "name at least one weekday",
        );
        v.check(
            shift.days.iter().all(|d| seen.insert(*d)),
            &f("days"),
            "names a weekday twice",
        );
        for (field, text) in [("starts_at", &shift.starts_at), ("ends_at", &shift.ends_at)] {
            v.check(
                minute_of(text).is_some(),
                &f(field),
                "must be a time of day as HH:MM, 00:00 to 23:59",
            );
        }
        let Some(slot) = slot_of(shift) else { continue };
        let length = i64::from(slot.end - slot.start);
        if length == 1440 {
            v.add(f("ends_at"), "must differ from starts_at");
            continue;
        }
        if shift.break_minutes < 0 || shift.break_minutes >= length {
            v.add(
                f("break_minutes"),
                format!("must be 0 or more and under the shift's {length} minutes"),
            );
            continue;
        }
        for day in &shift.days {
            let d = day.index();
            minutes[d] += length - shift.break_minutes;
            let start = d as i64 * 1440 + i64::from(slot.start);
            spans.push((start, start + length, i, d));
        }
    }
    const WEEK: i64 = 7 * 1440;
    let meet = |a: (i64, i64), b: (i64, i64)| a.0 < b.1 && b.0 < a.1;
    for (x, p) in spans.iter().enumerate() {
        // Sunday's night shift runs into Monday: compare each pair a week apart too.
        if let Some(q) = spans.iter().skip(x + 1).find(|q| {
            meet((p.0, p.1), (q.0, q.1))
                || meet((p.0 + WEEK, p.1 + WEEK), (q.0, q.1))
                || meet((p.0, p.1), (q.0 + WEEK, q.1 + WEEK))
        }) {
            v.add(
                format!("shifts[{}]", q.2),
                format!(
                    "overlaps {} on {} (a shift belongs to the day it starts on)",
                    shifts[p.2].name.trim(),
                    DAYS[p.3]
                ),
            );
        }
    }
    for (d, m) in minutes.iter().enumerate() {
        v.check(
            *m <= 1440,
            "shifts",
            &format!("more than 24 hours start on {}", DAYS[d]),
        );
    }
    let hours = |m: i64| -> Result<i64, AppError> {
        let h = (Decimal::from(m) / Decimal::from(60))
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        Ok(Qty::new(h)?.to_scaled()?)
    };
    [
        row.mon, row.tue, row.wed, row.thu, row.fri, row.sat, row.sun,
    ] = [
        hours(minutes[0])?,
        hours(minutes[1])?,
        hours(minutes[2])?,
        hours(minutes[3])?,
        hours(minutes[4])?,
        hours(minutes[5])?,
        hours(minutes[6])?,
    ];
    let kept: Vec<Shift> = shifts
        .iter()
        .map(|s| Shift {
            name: s.name.trim().to_string(),
            ..s.clone()
        })
        .collect();
    row.shifts = serde_json::to_string(&kept).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(())
}

/// Exactly one of hours and shifts, when creating; at most one, when changing.
pub(super) fn set_time(
    v: &mut Validator,
    row: &mut CalendarRow,
    hours: Option<&WeekHours>,
    shifts: Option<&[Shift]>,
) -> Result<(), AppError> {
    match (hours, shifts) {
        (Some(_), Some(_)) => v.add(
            "shifts",
            "give hours or shifts, not both: the hours follow from the shifts",
        ),
        (Some(h), None) => set_hours(v, row, h)?,
        (None, Some(s)) => set_shifts(v, row, s)?,
        (None, None) => {}
    }
    Ok(())
}

pub fn create_calendar(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateCalendarRequest,
) -> Result<CalendarResponse, AppError> {
    actor.require(SETUP)?;
    let company = actor.company_id;
    let code = req.code.trim().to_string();
    let at = now();
    let mut row = CalendarRow {
        id: req.id.unwrap_or_default(),
        company_id: company,
        code: code.clone(),
        name: req.name.trim().to_string(),
        mon: 0,
        tue: 0,
        wed: 0,
        thu: 0,
        fri: 0,
        sat: 0,
        sun: 0,
        is_default: req.is_default,
        version: 1,
        created_at: at,
        updated_at: at,
        shifts: "[]".into(),
    };
    let mut v = Validator::new();
    v.code("code", &code, 32);
    v.text("name", &req.name, 200);
    v.check(
        req.hours.is_some() || req.shifts.is_some(),
        "hours",
        "give the hours of each weekday, or shifts",
    );
    set_time(&mut v, &mut row, req.hours.as_ref(), req.shifts.as_deref())?;
    v.finish()?;
    write_tx(conn, |conn| {
        if repo::code_taken(conn, company, &code)? {
            return Err(HrError::DuplicateCode {
                what: "calendar",
                code: code.clone(),
            }
            .into());
        }
        // The first calendar of the company is its default.
        let first = repo::default_of(conn, company)?.is_none();
        row.is_default = row.is_default || first;
        if row.is_default {
            repo::clear_default(conn, company, row.id)?;
        }
        repo::insert(conn, &row)?;
        let out = to_response(&row)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn update_calendar(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CalendarId,
    expected_version: i64,
    req: UpdateCalendarRequest,
) -> Result<CalendarResponse, AppError> {
    actor.require(SETUP)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let mut row = repo::find(conn, company, id)?.ok_or(AppError::NotFound("calendar"))?;
        if row.version != expected_version {
            return Err(AppError::VersionMismatch {
                current: row.version,
            });
        }
        let before = to_response(&row)?;
        let mut v = Validator::new();
        if let Some(n) = &req.name {
            v.text("name", n, 200);
            row.name = n.trim().to_string();
        }
        set_time(&mut v, &mut row, req.hours.as_ref(), req.shifts.as_deref())?;
        if req.is_default == Some(false) && row.is_default {
            v.add(
                "is_default",
                "make another calendar the default instead; one calendar always is",
            );
        }
        v.finish()?;
        if req.is_default == Some(true) {
            row.is_default = true;
            repo::clear_default(conn, company, row.id)?;
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

pub fn get_calendar(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CalendarId,
) -> Result<CalendarResponse, AppError> {
    require_read(actor)?;
    let row = repo::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound("calendar"))?;
    to_response(&row)
}

pub fn list_calendars(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
) -> Result<CalendarPage, AppError> {
    require_read(actor)?;
    let page = params.validate()?;
    let rows = repo::list(conn, actor.company_id, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    Ok(CalendarPage {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// The week of an employee's work calendar: `calendar_id`, or the company's default when they
/// have none.
pub fn employee_week(
    conn: &mut DbConnection,
    company_id: CompanyId,
    calendar_id: Option<CalendarId>,
) -> Result<Week, AppError> {
    let row = match calendar_id {
        Some(id) => repo::find(conn, company_id, id)?,
        None => repo::default_of(conn, company_id)?,
    };
    let row = row.ok_or_else(|| {
        AppError::field(
            "employee_id",
            "has no work calendar: give the employee one or create a default calendar",
        )
    })?;
    Ok(week_of(&row))
}
