//! The hours a group of employees can work, day by day: each one's calendar, less the public
//! holidays of their branch and their approved leave, within their employment. What a work
//! center staffed by them can give (MRP's capacity planning reads it).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::{BranchId, CompanyId};
use rust_decimal::Decimal;

use crate::attendance::service::leave_days;
use crate::calendar::days::Week;
use crate::calendar::service::{employee_week, holiday_set};
use crate::ids::{CalendarId, EmployeeId};
use crate::{employee, leave};

/// Hours available on each day of `[from, to)`, summed over the employees.
pub fn hours_by_day(
    conn: &mut DbConnection,
    company_id: CompanyId,
    employee_ids: &[EmployeeId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, Decimal>, AppError> {
    let mut out: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
    let Some(last) = to.pred_opt().filter(|l| *l >= from) else {
        return Ok(out);
    };
    let approved = leave::repo::approved_between(conn, employee_ids, from, last)?;
    // Staff mostly share a calendar and a branch: each is read once.
    let mut weeks: HashMap<Option<CalendarId>, Week> = HashMap::new();
    let mut holidays_of: HashMap<BranchId, HashSet<NaiveDate>> = HashMap::new();
    for &id in employee_ids {
        let Some((e, _)) = employee::repo::find(conn, company_id, id)? else {
            continue;
        };
        if let Entry::Vacant(slot) = weeks.entry(e.calendar_id) {
            slot.insert(employee_week(conn, e.company_id, e.calendar_id)?);
        }
        if let Entry::Vacant(slot) = holidays_of.entry(e.branch_id) {
            slot.insert(holiday_set(conn, company_id, e.branch_id, from, last)?);
        }
        let (week, holidays) = (&weeks[&e.calendar_id], &holidays_of[&e.branch_id]);
        let mine: Vec<_> = approved
            .iter()
            .filter(|r| r.employee_id == e.id)
            .cloned()
            .collect();
        let away = leave_days(&mine, week, holidays);
        for day in from.iter_days().take_while(|d| *d <= last) {
            let employed = e.employed_on(day);
            let hours = if !employed || holidays.contains(&day) {
                Decimal::ZERO
            } else {
                let off = away.get(&day).copied().unwrap_or(Decimal::ZERO);
                week.hours_on(day) * (Decimal::ONE - off)
            };
            *out.entry(day).or_default() += hours;
        }
    }
    Ok(out)
}
