use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{hr_assignments as a, hr_employees as e, partners as p};
use erp_core::db::{lower, DbConnection};
use erp_core::ids::{BranchId, CompanyId, PartnerId, UserId};
use erp_core::pagination::PageRequest;

use super::model::{AssignmentRow, EmployeeRow};
use crate::ids::{AssignmentId, DepartmentId, EmployeeId, PositionId};

/// An employee with the name of their person.
pub type Named = (EmployeeRow, String);

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: EmployeeId,
) -> QueryResult<Option<Named>> {
    e::table
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .filter(e::id.eq(id))
        .filter(e::company_id.eq(company_id))
        .select((EmployeeRow::as_select(), p::name))
        .first(conn)
        .optional()
}

pub fn find_by_user(
    conn: &mut DbConnection,
    company_id: CompanyId,
    user_id: UserId,
) -> QueryResult<Option<Named>> {
    e::table
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .filter(e::user_id.eq(user_id))
        .filter(e::company_id.eq(company_id))
        .select((EmployeeRow::as_select(), p::name))
        .first(conn)
        .optional()
}

/// The employment of the person that is not over by `day`, if any.
pub fn employment_of_partner(
    conn: &mut DbConnection,
    partner_id: PartnerId,
    day: NaiveDate,
) -> QueryResult<Option<EmployeeRow>> {
    e::table
        .filter(e::partner_id.eq(partner_id))
        .filter(e::terminated_on.is_null().or(e::terminated_on.ge(day)))
        .select(EmployeeRow::as_select())
        .first(conn)
        .optional()
}

pub fn number_taken(
    conn: &mut DbConnection,
    company_id: CompanyId,
    number: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        e::table
            .filter(e::company_id.eq(company_id))
            .filter(e::number.eq(number)),
    ))
    .get_result(conn)
}

/// The number of the employee a user is linked to, if any.
pub fn linked_to_user(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Option<String>> {
    e::table
        .filter(e::user_id.eq(user_id))
        .select(e::number)
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, row: &EmployeeRow) -> QueryResult<()> {
    diesel::insert_into(e::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(
    conn: &mut DbConnection,
    row: &EmployeeRow,
    expected: i64,
) -> QueryResult<bool> {
    diesel::update(
        e::table
            .filter(e::id.eq(row.id))
            .filter(e::version.eq(expected)),
    )
    .set(row)
    .execute(conn)
    .map(|n| n == 1)
}

#[derive(Default)]
pub struct EmployeeFilter {
    pub branch_ids: Option<Vec<BranchId>>,
    pub branch_id: Option<BranchId>,
    pub department_id: Option<DepartmentId>,
    pub position_id: Option<PositionId>,
    pub manager_id: Option<EmployeeId>,
    /// Employed on this day (true), or not (false).
    pub employed: Option<(bool, NaiveDate)>,
    /// Part of the name or the number, case-insensitive.
    pub search: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &EmployeeFilter,
    page: &PageRequest,
) -> QueryResult<Vec<Named>> {
    let mut q = e::table
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .filter(e::company_id.eq(company_id))
        .into_boxed();
    if let Some(ids) = &f.branch_ids {
        q = q.filter(e::branch_id.eq_any(ids));
    }
    if let Some(b) = &f.branch_id {
        q = q.filter(e::branch_id.eq(b));
    }
    if let Some(d) = &f.department_id {
        q = q.filter(e::department_id.eq(d));
    }
    if let Some(x) = &f.position_id {
        q = q.filter(e::position_id.eq(x));
    }
    if let Some(m) = &f.manager_id {
        q = q.filter(e::manager_id.eq(m));
    }
    match f.employed {
        Some((true, day)) => {
            q = q
                .filter(e::hired_on.le(day))
                .filter(e::terminated_on.is_null().or(e::terminated_on.ge(day)))
        }
        Some((false, day)) => {
            q = q.filter(e::hired_on.gt(day).or(e::terminated_on.lt(day)));
        }
        None => {}
    }
    if let Some(s) = &f.search {
        let pattern = format!("%{}%", s.to_lowercase());
        q = q.filter(
            lower(p::name)
                .like(pattern.clone())
                .or(lower(e::number).like(pattern)),
        );
    }
    if let Some(since) = page.updated_since {
        q = q.filter(e::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(e::id.gt(after.clone()));
    }
    q.order(e::id.asc())
        .limit(page.fetch_limit())
        .select((EmployeeRow::as_select(), p::name))
        .load(conn)
}

/// The people employed on `day` in the given departments (the org chart).
pub fn current_in_departments(
    conn: &mut DbConnection,
    department_ids: &[DepartmentId],
    day: NaiveDate,
) -> QueryResult<Vec<Named>> {
    e::table
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .filter(e::department_id.eq_any(department_ids))
        .filter(e::hired_on.le(day))
        .filter(e::terminated_on.is_null().or(e::terminated_on.ge(day)))
        .order(p::name.asc())
        .select((EmployeeRow::as_select(), p::name))
        .load(conn)
}

/// The names of the given employees, by id.
pub fn names(
    conn: &mut DbConnection,
    ids: &[EmployeeId],
) -> QueryResult<Vec<(EmployeeId, String, String)>> {
    e::table
        .inner_join(p::table.on(p::id.eq(e::partner_id)))
        .filter(e::id.eq_any(ids))
        .select((e::id, e::number, p::name))
        .load(conn)
}

pub fn insert_assignment(conn: &mut DbConnection, row: &AssignmentRow) -> QueryResult<()> {
    diesel::insert_into(a::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The employee's assignments, the first (the hire) first.
pub fn assignments_of(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
) -> QueryResult<Vec<AssignmentRow>> {
    a::table
        .filter(a::employee_id.eq(employee_id))
        .order(a::effective_on.asc())
        .select(AssignmentRow::as_select())
        .load(conn)
}

/// The employee's transfer scheduled ahead, if any.
pub fn pending_assignment(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
) -> QueryResult<Option<AssignmentRow>> {
    a::table
        .filter(a::employee_id.eq(employee_id))
        .filter(a::pending.eq(true))
        .select(AssignmentRow::as_select())
        .first(conn)
        .optional()
}

/// Scheduled transfers whose day has come, the earliest first.
pub fn due_assignments(conn: &mut DbConnection, day: NaiveDate) -> QueryResult<Vec<AssignmentRow>> {
    a::table
        .filter(a::pending.eq(true))
        .filter(a::effective_on.le(day))
        .order(a::effective_on.asc())
        .select(AssignmentRow::as_select())
        .load(conn)
}

/// Marks a scheduled transfer applied; false when it no longer waits (applied or cancelled).
pub fn mark_applied(conn: &mut DbConnection, id: AssignmentId) -> QueryResult<bool> {
    diesel::update(a::table.filter(a::id.eq(id)).filter(a::pending.eq(true)))
        .set(a::pending.eq(false))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn find_assignment(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
    id: AssignmentId,
) -> QueryResult<Option<AssignmentRow>> {
    a::table
        .find(id)
        .filter(a::employee_id.eq(employee_id))
        .select(AssignmentRow::as_select())
        .first(conn)
        .optional()
}

pub fn delete_assignment(conn: &mut DbConnection, id: AssignmentId) -> QueryResult<()> {
    diesel::delete(a::table.filter(a::id.eq(id)))
        .execute(conn)
        .map(|_| ())
}

pub fn latest_assignment_on(
    conn: &mut DbConnection,
    employee_id: EmployeeId,
) -> QueryResult<NaiveDate> {
    a::table
        .filter(a::employee_id.eq(employee_id))
        .select(diesel::dsl::max(a::effective_on))
        .first::<Option<NaiveDate>>(conn)
        .map(|d| d.unwrap_or(NaiveDate::MIN))
}

/// Takes the employee for the rest of the transaction: a second transaction doing the same
/// waits (PostgreSQL) or is serialised (SQLite), so checks against their balance hold.
pub fn hold(conn: &mut DbConnection, id: EmployeeId) -> QueryResult<()> {
    diesel::update(e::table.filter(e::id.eq(id)))
        .set(e::version.eq(e::version))
        .execute(conn)
        .map(|_| ())
}

/// The ids of the employee's direct reports who have not left by `day`.
pub fn direct_reports(
    conn: &mut DbConnection,
    manager_id: EmployeeId,
    day: NaiveDate,
) -> QueryResult<Vec<EmployeeId>> {
    e::table
        .filter(e::manager_id.eq(manager_id))
        .filter(e::terminated_on.is_null().or(e::terminated_on.ge(day)))
        .select(e::id)
        .load(conn)
}

/// The id of the employee with the number.
pub fn id_by_number(
    conn: &mut DbConnection,
    company_id: CompanyId,
    number: &str,
) -> QueryResult<Option<EmployeeId>> {
    e::table
        .filter(e::company_id.eq(company_id))
        .filter(e::number.eq(number))
        .select(e::id)
        .first(conn)
        .optional()
}
