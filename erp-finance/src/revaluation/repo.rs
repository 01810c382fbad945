//! The queries of revaluation runs.

use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{fin_revaluation_lines as l, fin_revaluations as r};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;

use super::model::{RevaluationLineRow, RevaluationRow};
use crate::ids::RevaluationId;

erp_core::insert_rows!(
    /// Inserts the lines of a run in a few statements.
    insert_lines,
    l::table,
    RevaluationLineRow
);

pub fn insert(
    conn: &mut DbConnection,
    row: &RevaluationRow,
    lines: &[RevaluationLineRow],
) -> QueryResult<()> {
    diesel::insert_into(r::table).values(row).execute(conn)?;
    insert_lines(conn, lines)
}

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: RevaluationId,
) -> QueryResult<Option<RevaluationRow>> {
    r::table
        .filter(r::company_id.eq(company_id))
        .filter(r::id.eq(id))
        .select(RevaluationRow::as_select())
        .first(conn)
        .optional()
}

/// The company's runs, latest date first.
pub fn list(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<RevaluationRow>> {
    r::table
        .filter(r::company_id.eq(company_id))
        .order(r::revaluation_date.desc())
        .select(RevaluationRow::as_select())
        .load(conn)
}

/// The run in force on `at` (dated on or before it, reversed after it), if any.
pub fn in_force(
    conn: &mut DbConnection,
    company_id: CompanyId,
    at: NaiveDate,
) -> QueryResult<Option<RevaluationRow>> {
    overlapping(conn, company_id, at, at.succ_opt().unwrap_or(at))
}

/// A run whose time in force (its date up to its reversal) overlaps `from..until`.
pub fn overlapping(
    conn: &mut DbConnection,
    company_id: CompanyId,
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Option<RevaluationRow>> {
    r::table
        .filter(r::company_id.eq(company_id))
        .filter(r::revaluation_date.lt(until))
        .filter(r::reverse_on.gt(from))
        .select(RevaluationRow::as_select())
        .first(conn)
        .optional()
}

pub fn lines_of(
    conn: &mut DbConnection,
    ids: &[RevaluationId],
) -> QueryResult<Vec<RevaluationLineRow>> {
    l::table
        .filter(l::revaluation_id.eq_any(ids))
        .order((l::revaluation_id.asc(), l::line_no.asc()))
        .select(RevaluationLineRow::as_select())
        .load(conn)
}
