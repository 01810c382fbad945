use diesel::prelude::*;
use erp_core::db::schema::fin_taxes as t;
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;

use super::model::TaxRow;
use crate::ids::TaxId;

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: TaxId,
) -> QueryResult<Option<TaxRow>> {
    t::table
        .find(id)
        .filter(t::company_id.eq(company_id))
        .select(TaxRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_many(
    conn: &mut DbConnection,
    company_id: CompanyId,
    ids: &[TaxId],
) -> QueryResult<Vec<TaxRow>> {
    t::table
        .filter(t::company_id.eq(company_id))
        .filter(t::id.eq_any(ids))
        .select(TaxRow::as_select())
        .load(conn)
}

pub fn code_taken(conn: &mut DbConnection, company_id: CompanyId, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        t::table
            .filter(t::company_id.eq(company_id))
            .filter(t::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &TaxRow) -> QueryResult<()> {
    diesel::insert_into(t::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Changes name, accounts and active of a tax still at `expected`; false when it moved on.
pub fn update_versioned(conn: &mut DbConnection, row: &TaxRow, expected: i64) -> QueryResult<bool> {
    diesel::update(
        t::table
            .filter(t::id.eq(&row.id))
            .filter(t::version.eq(expected)),
    )
    .set((
        t::name.eq(&row.name),
        t::sales_account_id.eq(&row.sales_account_id),
        t::purchase_account_id.eq(&row.purchase_account_id),
        t::active.eq(row.active),
        t::version.eq(row.version),
        t::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    page: &PageRequest,
) -> QueryResult<Vec<TaxRow>> {
    let mut q = t::table.filter(t::company_id.eq(company_id)).into_boxed();
    if let Some(since) = page.updated_since {
        q = q.filter(t::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(t::id.gt(after.clone()));
    }
    q.order(t::id.asc())
        .limit(page.fetch_limit())
        .select(TaxRow::as_select())
        .load(conn)
}
