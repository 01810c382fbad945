use diesel::prelude::*;
use erp_core::db::schema::{fin_budget_lines as l, fin_budgets as b};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;

use super::model::{BudgetLineRow, BudgetRow};
use crate::budget::dto::BudgetStatus;
use crate::ids::BudgetId;

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: BudgetId,
) -> QueryResult<Option<BudgetRow>> {
    b::table
        .find(id)
        .filter(b::company_id.eq(company_id))
        .select(BudgetRow::as_select())
        .first(conn)
        .optional()
}

pub fn name_taken(conn: &mut DbConnection, company_id: CompanyId, name: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        b::table
            .filter(b::company_id.eq(company_id))
            .filter(b::name.eq(name)),
    ))
    .get_result(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    row: &BudgetRow,
    lines: &[BudgetLineRow],
) -> QueryResult<()> {
    diesel::insert_into(b::table).values(row).execute(conn)?;
    // One row at a time: batch inserts do not compile through the MultiConnection backend.
    for line in lines {
        diesel::insert_into(l::table).values(line).execute(conn)?;
    }
    Ok(())
}

pub fn lines_of(conn: &mut DbConnection, budget_id: BudgetId) -> QueryResult<Vec<BudgetLineRow>> {
    l::table
        .filter(l::budget_id.eq(budget_id))
        .select(BudgetLineRow::as_select())
        .load(conn)
}

/// Approves a draft at `version`; false when it is not one any more.
pub fn approve(conn: &mut DbConnection, id: BudgetId, version: i64) -> QueryResult<bool> {
    diesel::update(
        b::table
            .filter(b::id.eq(id))
            .filter(b::status.eq(BudgetStatus::Draft))
            .filter(b::version.eq(version)),
    )
    .set((
        b::status.eq(BudgetStatus::Approved),
        b::version.eq(version + 1),
        b::updated_at.eq(erp_core::db::now()),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Marks every other approved budget of the year still in force as superseded by `by`.
pub fn supersede(
    conn: &mut DbConnection,
    company_id: CompanyId,
    year: i32,
    by: BudgetId,
) -> QueryResult<usize> {
    diesel::update(
        b::table
            .filter(b::company_id.eq(company_id))
            .filter(b::fiscal_year.eq(year))
            .filter(b::status.eq(BudgetStatus::Approved))
            .filter(b::superseded_by_id.is_null())
            .filter(b::id.ne(by)),
    )
    .set((
        b::superseded_by_id.eq(by),
        b::version.eq(b::version + 1),
        b::updated_at.eq(erp_core::db::now()),
    ))
    .execute(conn)
}

/// The approved budget of the year not superseded, if any.
pub fn in_force(
    conn: &mut DbConnection,
    company_id: CompanyId,
    year: i32,
) -> QueryResult<Option<BudgetRow>> {
    b::table
        .filter(b::company_id.eq(company_id))
        .filter(b::fiscal_year.eq(year))
        .filter(b::status.eq(BudgetStatus::Approved))
        .filter(b::superseded_by_id.is_null())
        .select(BudgetRow::as_select())
        .first(conn)
        .optional()
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    page: &PageRequest,
) -> QueryResult<Vec<BudgetRow>> {
    let mut q = b::table.filter(b::company_id.eq(company_id)).into_boxed();
    if let Some(since) = page.updated_since {
        q = q.filter(b::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(b::id.gt(after.clone()));
    }
    q.order(b::id.asc())
        .limit(page.fetch_limit())
        .select(BudgetRow::as_select())
        .load(conn)
}
