use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{hr_departments as d, hr_employees as e, hr_positions as p};
use erp_core::db::DbConnection;
use erp_core::ids::{BranchId, CompanyId};
use erp_core::pagination::PageRequest;

use super::model::PositionRow;
use crate::ids::{DepartmentId, PositionId};

/// A position with the branch of its department.
pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: PositionId,
) -> QueryResult<Option<(PositionRow, BranchId)>> {
    p::table
        .inner_join(d::table.on(d::id.eq(p::department_id)))
        .filter(p::id.eq(id))
        .filter(p::company_id.eq(company_id))
        .select((PositionRow::as_select(), d::branch_id))
        .first(conn)
        .optional()
}

pub fn code_taken(conn: &mut DbConnection, company_id: CompanyId, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        p::table
            .filter(p::company_id.eq(company_id))
            .filter(p::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &PositionRow) -> QueryResult<()> {
    diesel::insert_into(p::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(
    conn: &mut DbConnection,
    row: &PositionRow,
    expected: i64,
) -> QueryResult<bool> {
    diesel::update(
        p::table
            .filter(p::id.eq(row.id))
            .filter(p::version.eq(expected)),
    )
    .set(row)
    .execute(conn)
    .map(|n| n == 1)
}

pub struct PositionFilter {
    pub branch_ids: Option<Vec<BranchId>>,
    pub department_id: Option<DepartmentId>,
    pub active: Option<bool>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &PositionFilter,
    page: &PageRequest,
) -> QueryResult<Vec<PositionRow>> {
    let mut q = p::table
        .inner_join(d::table.on(d::id.eq(p::department_id)))
        .filter(p::company_id.eq(company_id))
        .into_boxed();
    if let Some(ids) = &f.branch_ids {
        q = q.filter(d::branch_id.eq_any(ids));
    }
    if let Some(dep) = &f.department_id {
        q = q.filter(p::department_id.eq(dep));
    }
    if let Some(a) = f.active {
        q = q.filter(p::active.eq(a));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(p::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(p::id.gt(after.clone()));
    }
    q.order(p::id.asc())
        .limit(page.fetch_limit())
        .select(PositionRow::as_select())
        .load(conn)
}

/// Every position of the given departments, by code: the org chart.
pub fn of_departments(
    conn: &mut DbConnection,
    department_ids: &[DepartmentId],
) -> QueryResult<Vec<PositionRow>> {
    p::table
        .filter(p::department_id.eq_any(department_ids))
        .order(p::code.asc())
        .select(PositionRow::as_select())
        .load(conn)
}

/// Each position of the company by its code.
pub fn ids_by_code(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(String, PositionId)>> {
    p::table
        .filter(p::company_id.eq(company_id))
        .select((p::code, p::id))
        .load(conn)
}

/// How many employed on `day` hold each of the positions.
pub fn count_current_staff(
    conn: &mut DbConnection,
    position_ids: &[PositionId],
    day: NaiveDate,
) -> QueryResult<Vec<(PositionId, i64)>> {
    e::table
        .filter(e::position_id.eq_any(position_ids))
        .filter(e::hired_on.le(day))
        .filter(e::terminated_on.is_null().or(e::terminated_on.ge(day)))
        .group_by(e::position_id)
        .select((e::position_id.assume_not_null(), diesel::dsl::count_star()))
        .load(conn)
}
