use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{hr_employees as e, hr_timesheets as t, partners as p};
use erp_core::db::DbConnection;
use erp_core::ids::{CompanyId, PartnerId};
use erp_core::pagination::PageRequest;

use super::model::TimesheetRow;
use crate::ids::EmployeeId;
use crate::team::Reach;

pub fn insert(conn: &mut DbConnection, row: &TimesheetRow) -> QueryResult<()> {
    diesel::insert_into(t::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Hours the employee booked on the day so far (×10⁶).
pub fn hours_on(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
    day: NaiveDate,
) -> QueryResult<i64> {
    t::table
        .filter(t::employee_id.eq(employee_id))
        .filter(t::work_date.eq(day))
        .select(t::hours)
        .load::<i64>(conn)
        .map(|v| v.iter().sum())
}

/// An entry with its employee's name.
pub type Listed = (TimesheetRow, String);

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    reach: &Reach,
    employee_id: Option<EmployeeId>,
    (from, to): (NaiveDate, NaiveDate),
    page: &PageRequest,
) -> QueryResult<Vec<Listed>> {
    let mut q = t::table
        .inner_join(e::table.on(e::id.eq(t::employee_id)))
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .filter(t::company_id.eq(company_id))
        .filter(t::work_date.between(from, to))
        .into_boxed();
    match reach {
        Reach::Branches(Some(ids)) => q = q.filter(e::branch_id.eq_any(ids.clone())),
        Reach::Branches(None) => {}
        Reach::People(ids) => q = q.filter(t::employee_id.eq_any(ids.clone())),
    }
    if let Some(id) = employee_id {
        q = q.filter(t::employee_id.eq(id.to_string()));
    }
    if let Some(after) = &page.after {
        q = q.filter(t::id.gt(after.clone()));
    }
    q.order(t::id.asc())
        .limit(page.fetch_limit())
        .select((TimesheetRow::as_select(), p::name))
        .load(conn)
}

/// Entries booked on the customer or on one of the given deals, with the employee's name:
/// the CRM timeline's.
pub fn of_customer(conn: &mut DbConnection, partner_id: PartnerId) -> QueryResult<Vec<Listed>> {
    t::table
        .inner_join(e::table.on(e::id.eq(t::employee_id)))
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .filter(t::partner_id.eq(partner_id))
        .order(t::work_date.asc())
        .select((TimesheetRow::as_select(), p::name))
        .load(conn)
}
