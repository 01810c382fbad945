use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::hr_departments as d;
use erp_core::db::schema::hr_employees as e;
use erp_core::db::DbConnection;
use erp_core::ids::{BranchId, CompanyId};
use erp_core::pagination::PageRequest;

use super::model::DepartmentRow;
use crate::ids::{DepartmentId, EmployeeId};

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: DepartmentId,
) -> QueryResult<Option<DepartmentRow>> {
    d::table
        .find(id)
        .filter(d::company_id.eq(company_id))
        .select(DepartmentRow::as_select())
        .first(conn)
        .optional()
}

pub fn code_taken(conn: &mut DbConnection, company_id: CompanyId, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        d::table
            .filter(d::company_id.eq(company_id))
            .filter(d::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &DepartmentRow) -> QueryResult<()> {
    diesel::insert_into(d::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Writes the row if it is still at `expected`; false when someone changed it first.
pub fn update_versioned(
    conn: &mut DbConnection,
    row: &DepartmentRow,
    expected: i64,
) -> QueryResult<bool> {
    diesel::update(
        d::table
            .filter(d::id.eq(row.id))
            .filter(d::version.eq(expected)),
    )
    .set(row)
    .execute(conn)
    .map(|n| n == 1)
}

/// The parent of each department of the company: walking up for the cycle check.
pub fn parent_of(conn: &mut DbConnection, id: DepartmentId) -> QueryResult<Option<DepartmentId>> {
    d::table
        .find(id)
        .select(d::parent_id)
        .first::<Option<DepartmentId>>(conn)
        .optional()
        .map(Option::flatten)
}

pub struct DepartmentFilter {
    pub branch_ids: Option<Vec<BranchId>>,
    pub branch_id: Option<BranchId>,
    pub parent_id: Option<DepartmentId>,
    pub active: Option<bool>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &DepartmentFilter,
    page: &PageRequest,
) -> QueryResult<Vec<DepartmentRow>> {
    let mut q = d::table.filter(d::company_id.eq(company_id)).into_boxed();
    if let Some(ids) = &f.branch_ids {
        q = q.filter(d::branch_id.eq_any(ids));
    }
    if let Some(b) = &f.branch_id {
        q = q.filter(d::branch_id.eq(b));
    }
    if let Some(p) = &f.parent_id {
        q = q.filter(d::parent_id.eq(p));
    }
    if let Some(a) = f.active {
        q = q.filter(d::active.eq(a));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(d::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(d::id.gt(after.clone()));
    }
    q.order(d::id.asc())
        .limit(page.fetch_limit())
        .select(DepartmentRow::as_select())
        .load(conn)
}

/// Every department of the company (of the given branches), by code: the org chart.
pub fn all(
    conn: &mut DbConnection,
    company_id: CompanyId,
    branch_ids: Option<&[BranchId]>,
) -> QueryResult<Vec<DepartmentRow>> {
    let mut q = d::table.filter(d::company_id.eq(company_id)).into_boxed();
    if let Some(ids) = branch_ids {
        q = q.filter(d::branch_id.eq_any(ids));
    }
    q.order(d::code.asc())
        .select(DepartmentRow::as_select())
        .load(conn)
}

/// Each department of the company by its code.
pub fn ids_by_code(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(String, DepartmentId)>> {
    d::table
        .filter(d::company_id.eq(company_id))
        .select((d::code, d::id))
        .load(conn)
}

/// How many are employed in the department on `day` (not yet gone).
pub fn count_current_staff(
    conn: &mut DbConnection,
    department_id: DepartmentId,
    day: NaiveDate,
) -> QueryResult<i64> {
    e::table
        .filter(e::department_id.eq(department_id))
        .filter(e::terminated_on.is_null().or(e::terminated_on.ge(day)))
        .count()
        .get_result(conn)
}

/// Whether `id` is an employee of the company: `Some` with their last day, if they have one.
pub fn employee_left_on(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: EmployeeId,
) -> QueryResult<Option<Option<NaiveDate>>> {
    e::table
        .find(id)
        .filter(e::company_id.eq(company_id))
        .select(e::terminated_on)
        .first(conn)
        .optional()
}
