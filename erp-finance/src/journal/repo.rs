use diesel::prelude::*;
use erp_core::db::schema::fin_journals as j;
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;

use super::model::JournalRow;
use crate::ids::JournalId;

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: JournalId,
) -> QueryResult<Option<JournalRow>> {
    j::table
        .find(id)
        .filter(j::company_id.eq(company_id))
        .select(JournalRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_code(
    conn: &mut DbConnection,
    company_id: CompanyId,
    code: &str,
) -> QueryResult<Option<JournalRow>> {
    j::table
        .filter(j::company_id.eq(company_id))
        .filter(j::code.eq(code))
        .select(JournalRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, row: &JournalRow) -> QueryResult<()> {
    diesel::insert_into(j::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    page: &PageRequest,
) -> QueryResult<Vec<JournalRow>> {
    let mut q = j::table.filter(j::company_id.eq(company_id)).into_boxed();
    if let Some(since) = page.updated_since {
        q = q.filter(j::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(j::id.gt(after.clone()));
    }
    q.order(j::id.asc())
        .limit(page.fetch_limit())
        .select(JournalRow::as_select())
        .load(conn)
}

/// The first active journal of a kind (the stock journal automatic postings use).
pub fn first_of_kind(
    conn: &mut DbConnection,
    company_id: CompanyId,
    kind: &str,
) -> QueryResult<Option<JournalRow>> {
    j::table
        .filter(j::company_id.eq(company_id))
        .filter(j::kind.eq(kind))
        .filter(j::active.eq(true))
        .order(j::code.asc())
        .select(JournalRow::as_select())
        .first(conn)
        .optional()
}
