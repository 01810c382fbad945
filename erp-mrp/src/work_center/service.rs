//! Work centers: where operations run, with their capacity and calendar.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Utc};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::{Price, Qty};
use rust_decimal::Decimal;

use super::dto::*;
use super::repo;
use crate::error::MrpError;
use crate::ids::WorkCenterId;
use crate::model::WorkCenter;
use crate::util::scaled;

const ENTITY: &str = "work_center";
const DAYS: [Weekday; 7] = Weekday::ALL;

fn days_to_db(days: &[Weekday]) -> String {
    DAYS.iter()
        .map(|d| if days.contains(d) { '1' } else { '0' })
        .collect()
}

/// Hours of output a work center gives on a working day.
pub fn daily_capacity(w: &WorkCenter) -> Decimal {
    Qty::from_scaled(w.hours_per_day).value()
        * Decimal::from(w.units)
        * Qty::from_scaled(w.efficiency).value()
        * Qty::from_scaled(w.utilization).value()
}

/// The work center's calendar: whether it works on `day`, and with staff, the hours they can
/// work each day.
pub struct Calendar {
    weekdays: [bool; 7],
    days_off: BTreeSet<NaiveDate>,
    staff_hours: Option<BTreeMap<NaiveDate, Decimal>>,
}

impl Calendar {
    pub fn load(conn: &mut DbConnection, w: &WorkCenter) -> Result<Calendar, AppError> {
        let mut weekdays = [false; 7];
        for (i, c) in w.working_days.chars().enumerate().take(7) {
            weekdays[i] = c == '1';
        }
        Ok(Calendar {
            weekdays,
            days_off: repo::days_off(conn, w.id)?.into_iter().collect(),
            staff_hours: None,
        })
    }

    /// The calendar with the hours its staff (if it has any) can work in `[from, to)`.
    pub fn load_staffed(
        conn: &mut DbConnection,
        w: &WorkCenter,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Calendar, AppError> {
        let mut cal = Calendar::load(conn, w)?;
        let staff = repo::staff_of(conn, w.id)?;
        if !staff.is_empty() {
            cal.staff_hours = Some(erp_hr::staffing::hours_by_day(
                conn,
                w.company_id,
                &staff,
                from,
                to,
            )?);
        }
        Ok(cal)
    }

    /// Hours of output in `[from, to)`: with staff, the hours they can work on the work
    /// center's working days times its efficiency and utilization; else its daily capacity
    /// on each working day.
    pub fn capacity(&self, w: &WorkCenter, from: NaiveDate, to: NaiveDate) -> Decimal {
        match &self.staff_hours {
            Some(hours) => {
                let worked: Decimal = from
                    .iter_days()
                    .take_while(|d| *d < to)
                    .filter(|d| self.works(*d))
                    .map(|d| hours.get(&d).copied().unwrap_or(Decimal::ZERO))
                    .sum();
                worked
                    * Qty::from_scaled(w.efficiency).value()
                    * Qty::from_scaled(w.utilization).value()
            }
            None => daily_capacity(w) * Decimal::from(self.working_days(from, to)),
        }
    }

    pub fn works(&self, day: NaiveDate) -> bool {
        self.weekdays[day.weekday().num_days_from_monday() as usize]
            && !self.days_off.contains(&day)
    }

    /// Working days in `[from, to)`.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .take_while(|d| *d < to)
            .filter(|d| self.works(*d))
            .count() as u32
    }
}

pub fn to_response(
    conn: &mut DbConnection,
    w: &WorkCenter,
) -> Result<WorkCenterResponse, AppError> {
    let working_days = DAYS
        .iter()
        .zip(w.working_days.chars())
        .filter(|(_, c)| *c == '1')
        .map(|(d, _)| *d)
        .collect();
    Ok(WorkCenterResponse {
        id: w.id,
        code: w.code.clone(),
        name: w.name.clone(),
        hours_per_day: Qty::from_scaled(w.hours_per_day),
        units: w.units,
        efficiency: Qty::from_scaled(w.efficiency),
        utilization: Qty::from_scaled(w.utilization),
        working_days,
        cost_per_hour: Price::from_scaled(w.cost_per_hour),
        days_off: repo::days_off(conn, w.id)?,
        daily_capacity_hours: Qty::new(erp_core::money::round_commercial(daily_capacity(w), 6))
            .unwrap_or(Qty::ZERO),
        active: w.active,
        version: w.version,
        created_at: w.created_at.and_utc(),
        updated_at: w.updated_at.and_utc(),
    })
}

pub fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WorkCenterId,
) -> Result<WorkCenter, AppError> {
    repo::find(conn, id, actor.company_id)?.ok_or(AppError::NotFound(ENTITY))
}

/// Checks the capacity figures shared by create and update.
fn check_capacity(
    v: &mut Validator,
    hours: Option<Qty>,
    units: Option<i32>,
    efficiency: Option<Qty>,
    utilization: Option<Qty>,
    cost: Option<Price>,
    days_off: Option<&Vec<NaiveDate>>,
) {
    if let Some(h) = hours {
        v.check(
            h > Qty::ZERO && h.value() <= Decimal::from(24),
            "hours_per_day",
            "must be more than 0 and at most 24",
        );
    }
    if let Some(u) = units {
        v.check(
            (1..=10_000).contains(&u),
            "units",
            "must be between 1 and 10000",
        );
    }
    if let Some(e) = efficiency {
        v.check(
            e > Qty::ZERO && e.value() <= Decimal::TWO,
            "efficiency",
            "must be more than 0 and at most 2 (200%)",
        );
    }
    if let Some(u) = utilization {
        v.check(
            u > Qty::ZERO && u.value() <= Decimal::ONE,
            "utilization",
            "must be more than 0 and at most 1 (100%)",
        );
    }
    if let Some(c) = cost {
        v.check(c >= Price::ZERO, "cost_per_hour", "must not be negative");
    }
    if let Some(d) = days_off {
        v.check(d.len() <= 3660, "days_off", "at most 3660 days");
    }
}

pub fn create_work_center(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateWorkCenterRequest,
) -> Result<WorkCenterResponse, AppError> {
    actor.require("mrp.master.write")?;
    let mut v = Validator::new();
    v.code("code", &req.code, 50);
    v.text("name", &req.name, 200);
    check_capacity(
        &mut v,
        Some(req.hours_per_day),
        req.units,
        req.efficiency,
        req.utilization,
        req.cost_per_hour,
        req.days_off.as_ref(),
    );
    if let Some(d) = &req.working_days {
        v.check(!d.is_empty(), "working_days", "name at least one day");
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let company_id = actor.company_id;
        if repo::code_taken(conn, company_id, req.code.trim())? {
            return Err(MrpError::DuplicateWorkCenter(req.code.trim().to_string()).into());
        }
        let at = now();
        let w = WorkCenter {
            id: req.id.unwrap_or_default(),
            company_id,
            code: req.code.trim().to_string(),
            name: req.name.trim().to_string(),
            hours_per_day: scaled(req.hours_per_day, "hours_per_day")?,
            units: req.units.unwrap_or(1),
            efficiency: scaled(
                req.efficiency
                    .unwrap_or(Qty::new(Decimal::ONE).unwrap_or_default()),
                "efficiency",
            )?,
            utilization: scaled(
                req.utilization
                    .unwrap_or(Qty::new(Decimal::ONE).unwrap_or_default()),
                "utilization",
            )?,
            working_days: days_to_db(req.working_days.as_deref().unwrap_or(&DAYS[..5])),
            cost_per_hour: req
                .cost_per_hour
                .unwrap_or(Price::ZERO)
                .to_scaled()
                .map_err(|e| AppError::field("cost_per_hour", e.to_string()))?,
            active: true,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::insert(conn, &w)?;
        repo::replace_days_off(conn, w.id, req.days_off.as_deref().unwrap_or(&[]))?;
        let out = to_response(conn, &w)?;
        audit::record(conn, actor, ENTITY, w.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_work_center(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WorkCenterId,
) -> Result<WorkCenterResponse, AppError> {
    actor.require("mrp.master.read")?;
    let w = load(conn, actor, id)?;
    to_response(conn, &w)
}

pub fn list_work_centers(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<WorkCenterList, AppError> {
    actor.require("mrp.master.read")?;
    let rows = repo::list(conn, actor.company_id)?;
    let items = rows
        .iter()
        .map(|w| to_response(conn, w))
        .collect::<Result<_, _>>()?;
    Ok(WorkCenterList { items })
}

pub fn update_work_center(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WorkCenterId,
    expected: i64,
    req: UpdateWorkCenterRequest,
) -> Result<WorkCenterResponse, AppError> {
    actor.require("mrp.master.write")?;
    let mut v = Validator::new();
    if let Some(n) = &req.name {
        v.text("name", n, 200);
    }
    check_capacity(
        &mut v,
        req.hours_per_day,
        req.units,
        req.efficiency,
        req.utilization,
        req.cost_per_hour,
        req.days_off.as_ref(),
    );
    if let Some(d) = &req.working_days {
        v.check(!d.is_empty(), "working_days", "name at least one day");
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let mut w = load(conn, actor, id)?;
        if w.version != expected {
            return Err(AppError::VersionMismatch { current: w.version });
        }
        let before = to_response(conn, &w)?;
        if let Some(n) = &req.name {
            w.name = n.trim().to_string();
        }
        if let Some(h) = req.hours_per_day {
            w.hours_per_day = scaled(h, "hours_per_day")?;
        }
        if let Some(u) = req.units {
            w.units = u;
        }
        if let Some(e) = req.efficiency {
            w.efficiency = scaled(e, "efficiency")?;
        }
        if let Some(u) = req.utilization {
            w.utilization = scaled(u, "utilization")?;
        }
        if let Some(d) = &req.working_days {
            w.working_days = days_to_db(d);
        }
        if let Some(c) = req.cost_per_hour {
            w.cost_per_hour = c
                .to_scaled()
                .map_err(|e| AppError::field("cost_per_hour", e.to_string()))?;
        }
        if let Some(a) = req.active {
            w.active = a;
        }
        w.version += 1;
        w.updated_at = now();
        if !repo::update_versioned(conn, &w, expected)? {
            return Err(AppError::VersionMismatch {
                current: expected + 1,
            });
        }
        if let Some(d) = &req.days_off {
            repo::replace_days_off(conn, w.id, d)?;
        }
        let after = to_response(conn, &w)?;
        audit::updated(conn, actor, ENTITY, w.id, &before, &after)?;
        Ok(after)
    })
}

fn staff_response(conn: &mut DbConnection, w: &WorkCenter) -> Result<WorkCenterStaff, AppError> {
    let ids = repo::staff_of(conn, w.id)?;
    let items = erp_hr::employee::repo::names(conn, &ids)?
        .into_iter()
        .map(|(id, number, name)| {
            Ok(StaffMember {
                employee_id: id,
                number,
                name,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(WorkCenterStaff {
        work_center_id: w.id,
        items,
    })
}

pub fn get_staff(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WorkCenterId,
) -> Result<WorkCenterStaff, AppError> {
    actor.require("mrp.master.read")?;
    let w = load(conn, actor, id)?;
    staff_response(conn, &w)
}

pub fn set_staff(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WorkCenterId,
    req: SetStaffRequest,
) -> Result<WorkCenterStaff, AppError> {
    actor.require("mrp.master.write")?;
    write_tx(conn, |conn| {
        let w = load(conn, actor, id)?;
        let mut v = Validator::new();
        v.check(
            req.employee_ids.len() <= 500,
            "employee_ids",
            "at most 500 people",
        );
        let today = Utc::now().date_naive();
        let mut ids = Vec::new();
        for (i, &e) in req.employee_ids.iter().enumerate() {
            match erp_hr::employee::repo::find(conn, actor.company_id, e)? {
                Some((row, _)) if row.terminated_on.is_none_or(|t| t >= today) => {
                    if !ids.contains(&row.id) {
                        ids.push(row.id);
                    }
                }
                Some(_) => v.add(
                    format!("employee_ids[{i}]"),
                    "the employee has left the company",
                ),
                None => v.add(
                    format!("employee_ids[{i}]"),
                    "no such employee in the company",
                ),
            }
        }
        v.finish()?;
        let before = staff_response(conn, &w)?;
        repo::replace_staff(conn, w.id, &ids)?;
        let after = staff_response(conn, &w)?;
        audit::updated(conn, actor, "work_center_staff", w.id, &before, &after)?;
        Ok(after)
    })
}
