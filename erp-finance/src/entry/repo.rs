use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{
    fin_accounts as a, fin_balances as b, fin_entries as e, fin_entry_lines as l,
};
use erp_core::db::{update_or_insert, DbConnection};
use erp_core::ids::BranchId;
use erp_core::ids::CompanyId;
use erp_core::org::branch::model::BranchKey;
use erp_core::pagination::PageRequest;

use super::model::{EntryLineRow, EntryRow};
use crate::entry::dto::EntryStatus;
use crate::ids::JournalId;
use crate::ids::{AccountId, EntryId, PeriodId};

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: EntryId,
) -> QueryResult<Option<EntryRow>> {
    e::table
        .find(id)
        .filter(e::company_id.eq(company_id))
        .select(EntryRow::as_select())
        .first(conn)
        .optional()
}

pub fn exists(conn: &mut DbConnection, id: EntryId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(e::table.find(id))).get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &EntryRow, lines: &[EntryLineRow]) -> QueryResult<()> {
    diesel::insert_into(e::table).values(row).execute(conn)?;
    insert_lines(conn, lines)
}

erp_core::insert_rows!(insert_entries, e::table, EntryRow);
erp_core::insert_rows!(insert_lines, l::table, EntryLineRow);

/// The lines of an entry with their account codes, in line order.
pub fn lines_of(
    conn: &mut DbConnection,
    entry_id: EntryId,
) -> QueryResult<Vec<(EntryLineRow, String)>> {
    l::table
        .inner_join(a::table)
        .filter(l::entry_id.eq(entry_id))
        .order(l::line_no.asc())
        .select((EntryLineRow::as_select(), a::code))
        .load(conn)
}

/// The lines of several entries, for a page of them.
pub fn lines_of_many(
    conn: &mut DbConnection,
    entry_ids: &[EntryId],
) -> QueryResult<Vec<(EntryLineRow, String)>> {
    l::table
        .inner_join(a::table)
        .filter(l::entry_id.eq_any(entry_ids))
        .order((l::entry_id.asc(), l::line_no.asc()))
        .select((EntryLineRow::as_select(), a::code))
        .load(conn)
}

/// Takes a draft for posting: moves its version on if it is still a draft at `version`.
/// False when another transaction changed it first (PostgreSQL waits for that one to end).
pub fn claim_draft(conn: &mut DbConnection, id: EntryId, version: i64) -> QueryResult<bool> {
    diesel::update(
        e::table
            .filter(e::id.eq(id))
            .filter(e::status.eq(EntryStatus::Draft))
            .filter(e::version.eq(version)),
    )
    .set(e::version.eq(version + 1))
    .execute(conn)
    .map(|n| n == 1)
}

/// Writes the posting of a draft taken with [`claim_draft`]: number, period, poster.
pub fn mark_posted(conn: &mut DbConnection, row: &EntryRow) -> QueryResult<bool> {
    diesel::update(
        e::table
            .filter(e::id.eq(&row.id))
            .filter(e::version.eq(row.version)),
    )
    .set((
        e::status.eq(EntryStatus::Posted),
        e::number.eq(&row.number),
        e::period_id.eq(&row.period_id),
        e::posted_by.eq(&row.posted_by),
        e::posted_at.eq(row.posted_at),
        e::version.eq(row.version),
        e::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Links a posted entry to the entry that reverses it; false when it was reversed already.
pub fn mark_reversed(conn: &mut DbConnection, id: EntryId, by: EntryId) -> QueryResult<bool> {
    diesel::update(
        e::table
            .filter(e::id.eq(id))
            .filter(e::reversed_by_id.is_null()),
    )
    .set((e::reversed_by_id.eq(by), e::version.eq(e::version + 1)))
    .execute(conn)
    .map(|n| n == 1)
}

/// Deletes a draft (its lines go with it, ON DELETE CASCADE); false when it is not a draft.
pub fn delete_draft(conn: &mut DbConnection, id: EntryId) -> QueryResult<bool> {
    diesel::delete(
        e::table
            .filter(e::id.eq(id))
            .filter(e::status.eq(EntryStatus::Draft)),
    )
    .execute(conn)
    .map(|n| n == 1)
}

pub struct EntryFilter {
    pub journal_id: Option<JournalId>,
    pub status: Option<EntryStatus>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &EntryFilter,
    page: &PageRequest,
) -> QueryResult<Vec<EntryRow>> {
    let mut q = e::table.filter(e::company_id.eq(company_id)).into_boxed();
    if let Some(j) = f.journal_id {
        q = q.filter(e::journal_id.eq(j));
    }
    if let Some(s) = &f.status {
        q = q.filter(e::status.eq(*s));
    }
    if let Some(d) = f.from {
        q = q.filter(e::entry_date.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(e::entry_date.le(d));
    }
    if let Some(t) = &f.reference_type {
        q = q.filter(e::reference_type.eq(t.clone()));
    }
    if let Some(r) = &f.reference_id {
        q = q.filter(e::reference_id.eq(r.clone()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(e::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(e::id.gt(after.clone()));
    }
    q.order(e::id.asc())
        .limit(page.fetch_limit())
        .select(EntryRow::as_select())
        .load(conn)
}

/// Adds a posted line's amounts to the cache of its account, period and branch.
pub fn add_to_balance(
    conn: &mut DbConnection,
    account_id: AccountId,
    period_id: PeriodId,
    branch_id: Option<BranchId>,
    debit: i64,
    credit: i64,
    amount_currency: i64,
) -> QueryResult<()> {
    let branch_id = BranchKey(branch_id);
    update_or_insert(
        conn,
        |c| {
            diesel::update(b::table.find((account_id, period_id, &branch_id)))
                .set((
                    b::debit.eq(b::debit + debit),
                    b::credit.eq(b::credit + credit),
                    b::amount_currency.eq(b::amount_currency + amount_currency),
                ))
                .execute(c)
        },
        |c| {
            diesel::insert_into(b::table)
                .values((
                    b::account_id.eq(account_id),
                    b::period_id.eq(period_id),
                    b::branch_id.eq(&branch_id),
                    b::debit.eq(debit),
                    b::credit.eq(credit),
                    b::amount_currency.eq(amount_currency),
                ))
                .execute(c)
        },
    )
    .map(|_| ())
}
