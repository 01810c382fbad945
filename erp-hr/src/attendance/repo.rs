use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{
    hr_attendance as a, hr_employees as e, hr_overtime_rules as o, partners as p,
};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;

use super::model::{AttendanceRow, OvertimeRuleRow};
use crate::ids::{AttendanceId, DepartmentId, EmployeeId};
use crate::team::Reach;

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: AttendanceId,
) -> QueryResult<Option<AttendanceRow>> {
    a::table
        .find(id)
        .filter(a::company_id.eq(company_id))
        .select(AttendanceRow::as_select())
        .first(conn)
        .optional()
}

/// The employee's stretch still open (checked in, not out), if any.
pub fn open_of(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
) -> QueryResult<Option<AttendanceRow>> {
    a::table
        .filter(a::employee_id.eq(employee_id))
        .filter(a::check_out.is_null())
        .order(a::check_in.desc())
        .select(AttendanceRow::as_select())
        .first(conn)
        .optional()
}

/// The employee's stretches that touch `from`..`to` (an open one counts from its check-in on).
pub fn of_employee_between(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<AttendanceRow>> {
    a::table
        .filter(a::employee_id.eq(employee_id))
        .filter(a::check_in.lt(to))
        .filter(a::check_out.is_null().or(a::check_out.gt(from)))
        .order(a::check_in.asc())
        .select(AttendanceRow::as_select())
        .load(conn)
}

/// The stretches of the given employees that touch `from`..`to`, by employee and check-in.
pub fn of_employees_between(
    conn: &mut DbConnection,
    employee_ids: &[EmployeeId],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<AttendanceRow>> {
    erp_core::db::by_chunks(employee_ids, |chunk| {
        a::table
            .filter(a::employee_id.eq_any(chunk))
            .filter(a::check_in.lt(to))
            .filter(a::check_out.is_null().or(a::check_out.gt(from)))
            .order((a::employee_id.asc(), a::check_in.asc()))
            .select(AttendanceRow::as_select())
            .load(conn)
    })
}

pub fn insert(conn: &mut DbConnection, row: &AttendanceRow) -> QueryResult<()> {
    diesel::insert_into(a::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(
    conn: &mut DbConnection,
    row: &AttendanceRow,
    expected: i64,
) -> QueryResult<bool> {
    diesel::update(
        a::table
            .filter(a::id.eq(row.id))
            .filter(a::version.eq(expected)),
    )
    .set(row)
    .execute(conn)
    .map(|n| n == 1)
}

pub fn delete(conn: &mut DbConnection, id: AttendanceId) -> QueryResult<()> {
    diesel::delete(a::table.find(id)).execute(conn).map(|_| ())
}

/// A stretch with its employee's name.
pub type Listed = (AttendanceRow, String);

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    reach: &Reach,
    employee_id: Option<EmployeeId>,
    span: (NaiveDateTime, NaiveDateTime),
    page: &PageRequest,
) -> QueryResult<Vec<Listed>> {
    let mut q = a::table
        .inner_join(e::table.on(e::id.eq(a::employee_id)))
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .filter(a::company_id.eq(company_id))
        .filter(a::check_in.lt(span.1))
        .filter(a::check_out.is_null().or(a::check_out.gt(span.0)))
        .into_boxed();
    match reach {
        Reach::Branches(Some(ids)) => q = q.filter(e::branch_id.eq_any(ids.clone())),
        Reach::Branches(None) => {}
        Reach::People(ids) => q = q.filter(a::employee_id.eq_any(ids.clone())),
    }
    if let Some(id) = employee_id {
        q = q.filter(a::employee_id.eq(id.to_string()));
    }
    if let Some(after) = &page.after {
        q = q.filter(a::id.gt(after.clone()));
    }
    q.order(a::id.asc())
        .limit(page.fetch_limit())
        .select((AttendanceRow::as_select(), p::name))
        .load(conn)
}

pub fn rules(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<OvertimeRuleRow>> {
    o::table
        .filter(o::company_id.eq(company_id))
        .order(o::code.asc())
        .select(OvertimeRuleRow::as_select())
        .load(conn)
}

pub fn rule_code_taken(
    conn: &mut DbConnection,
    company_id: CompanyId,
    code: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        o::table
            .filter(o::company_id.eq(company_id))
            .filter(o::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert_rule(conn: &mut DbConnection, row: &OvertimeRuleRow) -> QueryResult<()> {
    diesel::insert_into(o::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The employees in reach employed at some time between the days, by name; at most `limit`.
pub fn employees_between(
    conn: &mut DbConnection,
    company_id: CompanyId,
    reach: &Reach,
    department_id: Option<DepartmentId>,
    employee_id: Option<EmployeeId>,
    span: (chrono::NaiveDate, chrono::NaiveDate),
    limit: i64,
) -> QueryResult<Vec<crate::employee::repo::Named>> {
    use crate::employee::model::EmployeeRow;
    let mut q = e::table
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .filter(e::company_id.eq(company_id))
        .filter(e::hired_on.le(span.1))
        .filter(e::terminated_on.is_null().or(e::terminated_on.ge(span.0)))
        .into_boxed();
    match reach {
        Reach::Branches(Some(ids)) => q = q.filter(e::branch_id.eq_any(ids.clone())),
        Reach::Branches(None) => {}
        Reach::People(ids) => q = q.filter(e::id.eq_any(ids.clone())),
    }
    if let Some(d) = department_id {
        q = q.filter(e::department_id.eq(d.to_string()));
    }
    if let Some(id) = employee_id {
        q = q.filter(e::id.eq(id.to_string()));
    }
    q.order((p::name.asc(), e::id.asc()))
        .limit(limit)
        .select((EmployeeRow::as_select(), p::name))
        .load(conn)
}
