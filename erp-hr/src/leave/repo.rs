use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{
    hr_employees as e, hr_leave_adjustments as ad, hr_leave_requests as r, hr_leave_types as t,
    partners as p,
};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_core::pagination::{KeyedPage, PageRequest};

use super::model::{LeaveAdjustmentRow, LeaveRequestRow, LeaveTypeRow};
use crate::ids::{DepartmentId, EmployeeId, LeaveRequestId, LeaveTypeId};
use crate::leave::dto::LeaveStatus;
use crate::team::Reach;

/// The states that hold days: waiting for a decision, or approved.
pub const HOLDING: [LeaveStatus; 2] = [LeaveStatus::Requested, LeaveStatus::Approved];

pub fn find_type(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: LeaveTypeId,
) -> QueryResult<Option<LeaveTypeRow>> {
    t::table
        .find(id)
        .filter(t::company_id.eq(company_id))
        .select(LeaveTypeRow::as_select())
        .first(conn)
        .optional()
}

pub fn type_code_taken(
    conn: &mut DbConnection,
    company_id: CompanyId,
    code: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        t::table
            .filter(t::company_id.eq(company_id))
            .filter(t::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert_type(conn: &mut DbConnection, row: &LeaveTypeRow) -> QueryResult<()> {
    diesel::insert_into(t::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_type(
    conn: &mut DbConnection,
    row: &LeaveTypeRow,
    expected: i64,
) -> QueryResult<bool> {
    diesel::update(
        t::table
            .filter(t::id.eq(row.id))
            .filter(t::version.eq(expected)),
    )
    .set(row)
    .execute(conn)
    .map(|n| n == 1)
}

/// The company's leave types, by code.
pub fn types(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<LeaveTypeRow>> {
    t::table
        .filter(t::company_id.eq(company_id))
        .order(t::code.asc())
        .select(LeaveTypeRow::as_select())
        .load(conn)
}

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: LeaveRequestId,
) -> QueryResult<Option<LeaveRequestRow>> {
    r::table
        .find(id)
        .filter(r::company_id.eq(company_id))
        .select(LeaveRequestRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, row: &LeaveRequestRow) -> QueryResult<()> {
    diesel::insert_into(r::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(
    conn: &mut DbConnection,
    row: &LeaveRequestRow,
    expected: i64,
) -> QueryResult<bool> {
    diesel::update(
        r::table
            .filter(r::id.eq(row.id))
            .filter(r::version.eq(expected)),
    )
    .set(row)
    .execute(conn)
    .map(|n| n == 1)
}

/// The employee's requests that hold days (waiting or approved), of every type.
pub fn holding_of(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
) -> QueryResult<Vec<LeaveRequestRow>> {
    r::table
        .filter(r::employee_id.eq(employee_id))
        .filter(r::status.eq_any(HOLDING))
        .order(r::starts_on.asc())
        .select(LeaveRequestRow::as_select())
        .load(conn)
}

/// The employee's balance adjustments, by date.
pub fn adjustments_of(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
) -> QueryResult<Vec<LeaveAdjustmentRow>> {
    ad::table
        .filter(ad::employee_id.eq(employee_id))
        .order((ad::effective_on.asc(), ad::created_at.asc()))
        .select(LeaveAdjustmentRow::as_select())
        .load(conn)
}

pub fn insert_adjustment(conn: &mut DbConnection, row: &LeaveAdjustmentRow) -> QueryResult<()> {
    diesel::insert_into(ad::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

#[derive(Default)]
pub struct LeaveFilter {
    pub employee_id: Option<EmployeeId>,
    pub department_id: Option<DepartmentId>,
    pub statuses: Option<Vec<LeaveStatus>>,
    /// Requests that share a day with this span.
    pub overlapping: Option<(NaiveDate, NaiveDate)>,
}

/// A request with its employee's name and number and its type's code.
pub type Listed = (LeaveRequestRow, String, String, String);

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    reach: &Reach,
    f: &LeaveFilter,
    page: &PageRequest,
) -> QueryResult<Vec<Listed>> {
    let mut q = r::table
        .inner_join(e::table.on(e::id.eq(r::employee_id)))
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .inner_join(t::table.on(t::id.eq(r::leave_type_id)))
        .filter(r::company_id.eq(company_id))
        .into_boxed();
    match reach {
        Reach::Branches(Some(ids)) => q = q.filter(e::branch_id.eq_any(ids.clone())),
        Reach::Branches(None) => {}
        Reach::People(ids) => q = q.filter(r::employee_id.eq_any(ids.clone())),
    }
    if let Some(id) = &f.employee_id {
        q = q.filter(r::employee_id.eq(*id));
    }
    if let Some(d) = &f.department_id {
        q = q.filter(e::department_id.eq(*d));
    }
    if let Some(s) = &f.statuses {
        q = q.filter(r::status.eq_any(s.clone()));
    }
    if let Some((from, to)) = f.overlapping {
        q = q.filter(r::starts_on.le(to)).filter(r::ends_on.ge(from));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(r::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(r::id.gt(after.clone()));
    }
    q.order(r::id.asc())
        .limit(page.fetch_limit())
        .select((LeaveRequestRow::as_select(), p::name, e::number, t::code))
        .load(conn)
}

/// A page of the requests holding days that share a day with the span, by first day, name
/// and id: the leave calendar.
pub fn calendar(
    conn: &mut DbConnection,
    company_id: CompanyId,
    reach: &Reach,
    department_id: Option<DepartmentId>,
    from: NaiveDate,
    to: NaiveDate,
    page: &KeyedPage<NaiveDate>,
) -> QueryResult<Vec<Listed>> {
    let mut q = r::table
        .inner_join(e::table.on(e::id.eq(r::employee_id)))
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .inner_join(t::table.on(t::id.eq(r::leave_type_id)))
        .filter(r::company_id.eq(company_id))
        .filter(r::status.eq_any(HOLDING))
        .filter(r::starts_on.le(to))
        .filter(r::ends_on.ge(from))
        .into_boxed();
    match reach {
        Reach::Branches(Some(ids)) => q = q.filter(e::branch_id.eq_any(ids.clone())),
        Reach::Branches(None) => {}
        Reach::People(ids) => q = q.filter(r::employee_id.eq_any(ids.clone())),
    }
    if let Some(d) = department_id {
        q = q.filter(e::department_id.eq(d.to_string()));
    }
    if let Some((day, id)) = &page.after {
        // The name the last request was listed under; a request is never deleted.
        let name: String = r::table
            .inner_join(e::table.on(e::id.eq(r::employee_id)))
            .inner_join(p::table.on(p::id.eq(e::partner_id)))
            .filter(r::id.eq(id.as_str()))
            .select(p::name)
            .first(conn)
            .optional()?
            .unwrap_or_default();
        let same_name = p::name.eq(name.clone()).and(r::id.gt(id.to_string()));
        q = q.filter(
            r::starts_on
                .gt(*day)
                .or(r::starts_on.eq(*day).and(p::name.gt(name).or(same_name))),
        );
    }
    q.order((r::starts_on.asc(), p::name.asc(), r::id.asc()))
        .limit(page.fetch_limit())
        .select((LeaveRequestRow::as_select(), p::name, e::number, t::code))
        .load(conn)
}

/// The approved requests of the employees that share a day with the span.
pub fn approved_between(
    conn: &mut DbConnection,
    employee_ids: &[EmployeeId],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<LeaveRequestRow>> {
    erp_core::db::by_chunks(employee_ids, |chunk| {
        r::table
            .filter(r::employee_id.eq_any(chunk))
            .filter(r::status.eq(LeaveStatus::Approved))
            .filter(r::starts_on.le(to))
            .filter(r::ends_on.ge(from))
            .select(LeaveRequestRow::as_select())
            .load(conn)
    })
}
