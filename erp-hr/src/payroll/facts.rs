//! What a pay run reads about its employees, read once for all of them: contracts,
//! attendance, approved leave, holidays and work calendars.
//! Reading them employee by employee cost ten round trips each, most of a 10,000-person run
//! on PostgreSQL.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use erp_core::db::DbConnection;
use erp_core::error::AppError;

use crate::attendance::daily::Stretch;
use crate::calendar::days::Week;
use crate::calendar::service::{employee_week, holiday_set};
use crate::employee::contract;
use crate::employee::contract::model::ContractRow;
use crate::employee::model::EmployeeRow;
use crate::leave::model::LeaveRequestRow;
use crate::{attendance, leave};
use erp_core::ids::{BranchId, CompanyId};
use erp_core::org::Tz;

use crate::ids::{CalendarId, EmployeeId, LeaveTypeId};

/// The facts of some employees over `first..=last`.
pub struct Facts {
    pub first: NaiveDate,
    pub last: NaiveDate,
    contracts: HashMap<EmployeeId, Vec<ContractRow>>,
    stretches: HashMap<EmployeeId, Vec<Stretch>>,
    leave: HashMap<EmployeeId, Vec<LeaveRequestRow>>,
    unpaid_types: HashSet<LeaveTypeId>,
    holidays: HashMap<BranchId, HashSet<NaiveDate>>,
    weeks: HashMap<Option<CalendarId>, Week>,
    zones: HashMap<BranchId, Tz>,
}

/// Rows by the employee (or other key) they belong to.
pub fn grouped<K: std::hash::Hash + Eq, T>(
    rows: Vec<T>,
    key: impl Fn(&T) -> K,
) -> HashMap<K, Vec<T>> {
    let mut out: HashMap<K, Vec<T>> = HashMap::new();
    for row in rows {
        out.entry(key(&row)).or_default().push(row);
    }
    out
}

impl Facts {
    /// Reads the facts of `people` over the month `first..=last` in a handful of queries.
    pub fn load(
        conn: &mut DbConnection,
        company_id: CompanyId,
        people: &[&EmployeeRow],
        (first, last): (NaiveDate, NaiveDate),
    ) -> Result<Facts, AppError> {
        let ids: Vec<_> = people.iter().map(|e| e.id).collect();
        // A day a side: the branches' days are not UTC's, and the last night shift ends on the
        // next day; the totals count each stretch on its own day.
        let start = first.and_hms_opt(0, 0, 0).unwrap_or_default() - Duration::days(1);
        let end = last.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::days(2);
        let stretches = attendance::repo::of_employees_between(conn, &ids, start, end)?;
        let mut weeks = HashMap::new();
        let mut holidays = HashMap::new();
        for e in people {
            if let Entry::Vacant(slot) = weeks.entry(e.calendar_id) {
                slot.insert(employee_week(conn, e.company_id, e.calendar_id)?);
            }
            if let Entry::Vacant(slot) = holidays.entry(e.branch_id) {
                slot.insert(holiday_set(conn, company_id, e.branch_id, first, last)?);
            }
        }
        Ok(Facts {
            first,
            last,
            contracts: grouped(contract::repo::of_employees(conn, &ids)?, |c| c.employee_id),
            stretches: stretches.into_iter().fold(
                HashMap::new(),
                |mut by: HashMap<EmployeeId, Vec<Stretch>>, s| {
                    by.entry(s.employee_id).or_default().push(Stretch {
                        check_in: s.check_in,
                        check_out: s.check_out,
                    });
                    by
                },
            ),
            leave: grouped(
                leave::repo::approved_between(conn, &ids, first, last)?,
                |r| r.employee_id,
            ),
            unpaid_types: leave::repo::types(conn, company_id)?
                .into_iter()
                .filter(|t| !t.paid)
                .map(|t| t.id)
                .collect(),
            holidays,
            weeks,
            zones: erp_core::org::branch_zones(conn, company_id)?,
        })
    }

    pub fn contracts(&self, e: &EmployeeRow) -> &[ContractRow] {
        self.contracts.get(&e.id).map_or(&[], Vec::as_slice)
    }

    pub fn stretches(&self, e: &EmployeeRow) -> &[Stretch] {
        self.stretches.get(&e.id).map_or(&[], Vec::as_slice)
    }

    /// The employee's approved unpaid leave touching the month.
    pub fn unpaid_leave(&self, e: &EmployeeRow) -> impl Iterator<Item = &LeaveRequestRow> {
        self.leave
            .get(&e.id)
            .into_iter()
            .flatten()
            .filter(|r| self.unpaid_types.contains(&r.leave_type_id))
    }

    pub fn holidays(&self, e: &EmployeeRow) -> Result<&HashSet<NaiveDate>, AppError> {
        self.holidays
            .get(&e.branch_id)
            .ok_or_else(|| AppError::Internal("pay facts read without the branch".into()))
    }

    /// The time zone of the employee's branch.
    pub fn zone(&self, e: &EmployeeRow) -> Tz {
        self.zones.get(&e.branch_id).copied().unwrap_or(Tz::UTC)
    }

    pub fn week(&self, e: &EmployeeRow) -> Result<&Week, AppError> {
        self.weeks
            .get(&e.calendar_id)
            .ok_or_else(|| AppError::Internal("pay facts read without the calendar".into()))
    }
}
