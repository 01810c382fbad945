use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{
    fin_accounts as a, fin_balances as b, fin_entries as e, fin_entry_lines as l,
};
use erp_core::db::DbConnection;
use erp_core::ids::BranchId;
use erp_core::ids::CompanyId;
use erp_core::org::branch::model::BranchKey;

use crate::entry::dto::EntryStatus;
use crate::entry::model::{EntryLineRow, EntryRow};
use crate::ids::{AccountId, PeriodId};

/// A cache row: (account, period, branch, debit, credit).
pub type BalanceRow = (AccountId, PeriodId, BranchKey, i64, i64);

/// The cache rows of the given periods, optionally only of some branches.
pub fn balances(
    conn: &mut DbConnection,
    period_ids: &[PeriodId],
    branches: Option<&[BranchId]>,
) -> QueryResult<Vec<BalanceRow>> {
    let mut q = b::table
        .filter(b::period_id.eq_any(period_ids))
        .into_boxed();
    if let Some(bs) = branches {
        q = q.filter(b::branch_id.eq_any(bs));
    }
    q.select((
        b::account_id,
        b::period_id,
        b::branch_id,
        b::debit,
        b::credit,
    ))
    .load(conn)
}

/// The net (debit - credit) of one account's cache rows of the given periods and branches.
pub fn account_net(
    conn: &mut DbConnection,
    account_id: AccountId,
    period_ids: &[PeriodId],
    branches: Option<&[BranchId]>,
) -> QueryResult<(i64, i64)> {
    let mut q = b::table
        .filter(b::account_id.eq(account_id))
        .filter(b::period_id.eq_any(period_ids))
        .into_boxed();
    if let Some(bs) = branches {
        q = q.filter(b::branch_id.eq_any(bs));
    }
    let rows: Vec<(i64, i64, i64)> = q
        .select((b::debit, b::credit, b::amount_currency))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .fold((0, 0), |(net, cur), (d, c, a)| (net + d - c, cur + a)))
}

/// Posted lines of an account dated within `from..=to`, with their entries, in date order.
pub fn posted_lines(
    conn: &mut DbConnection,
    account_id: AccountId,
    from: NaiveDate,
    to: NaiveDate,
    branches: Option<&[BranchId]>,
) -> QueryResult<Vec<(EntryLineRow, EntryRow)>> {
    let mut q = l::table
        .inner_join(e::table)
        .filter(l::account_id.eq(account_id))
        .filter(e::status.eq(EntryStatus::Posted))
        .filter(e::entry_date.ge(from))
        .filter(e::entry_date.le(to))
        .into_boxed();
    if let Some(bs) = branches {
        q = q.filter(l::branch_id.eq_any(bs));
    }
    q.order((e::entry_date.asc(), e::number.asc(), l::line_no.asc()))
        .select((EntryLineRow::as_select(), EntryRow::as_select()))
        .load(conn)
}

/// A posted line for export: the line, its entry, and its account's code and name.
pub type ExportLine = (EntryLineRow, EntryRow, String, String);

/// Every posted line of the company dated within `from..=to`, by date, number and line.
pub fn posted_between(
    conn: &mut DbConnection,
    company_id: CompanyId,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<ExportLine>> {
    l::table
        .inner_join(e::table)
        .inner_join(a::table)
        .filter(e::company_id.eq(company_id))
        .filter(e::status.eq(EntryStatus::Posted))
        .filter(e::entry_date.ge(from))
        .filter(e::entry_date.le(to))
        .order((e::entry_date.asc(), e::number.asc(), l::line_no.asc()))
        .select((
            EntryLineRow::as_select(),
            EntryRow::as_select(),
            a::code,
            a::name,
        ))
        .load(conn)
}

/// Entries a year-end close made (`reference_type` `fin_year_close`; their reversals carry
/// the same reference and `reverses_id`).
pub const YEAR_CLOSE: &str = "fin_year_close";

/// The standing (posted, not reversed) close of a fiscal year, if any.
pub fn year_close(
    conn: &mut DbConnection,
    company_id: CompanyId,
    year: i32,
) -> QueryResult<Option<EntryRow>> {
    e::table
        .filter(e::company_id.eq(company_id))
        .filter(e::reference_type.eq(YEAR_CLOSE))
        .filter(e::reverses_id.is_null())
        .filter(e::reference_id.eq(year.to_string()))
        .filter(e::status.eq(EntryStatus::Posted))
        .filter(e::reversed_by_id.is_null())
        .select(EntryRow::as_select())
        .first(conn)
        .optional()
}

/// (account, debit, credit) of the lines of standing year-end closes dated within
/// `from..=to`: what an income statement leaves out so a closed year still shows its result.
pub fn year_close_lines(
    conn: &mut DbConnection,
    company_id: CompanyId,
    from: NaiveDate,
    to: NaiveDate,
    branches: Option<&[BranchId]>,
) -> QueryResult<Vec<(AccountId, i64, i64)>> {
    let mut q = l::table
        .inner_join(e::table)
        .filter(e::company_id.eq(company_id))
        .filter(e::reference_type.eq(YEAR_CLOSE))
        .filter(e::reverses_id.is_null())
        .filter(e::status.eq(EntryStatus::Posted))
        .filter(e::reversed_by_id.is_null())
        .filter(e::entry_date.ge(from))
        .filter(e::entry_date.le(to))
        .into_boxed();
    if let Some(bs) = branches {
        q = q.filter(l::branch_id.eq_any(bs));
    }
    q.select((l::account_id, l::debit, l::credit)).load(conn)
}
