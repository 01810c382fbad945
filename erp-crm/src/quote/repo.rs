//! Queries of quotes and their lines.

use diesel::prelude::*;
use erp_core::db::schema::{crm_quote_lines as ql, crm_quotes as qt};
use erp_core::db::DbConnection;
use erp_core::pagination::KeyedPage;

use crate::model::{QuoteLineRow, QuoteRow};

/// A quote of the company.
pub fn find(conn: &mut DbConnection, id: &str, company: &str) -> QueryResult<Option<QuoteRow>> {
    qt::table
        .find(id)
        .filter(qt::company_id.eq(company))
        .select(QuoteRow::as_select())
        .first(conn)
        .optional()
}

/// The lines of these quotes, in order.
pub fn lines_of(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<QuoteLineRow>> {
    ql::table
        .filter(ql::quote_id.eq_any(ids))
        .order((ql::quote_id, ql::line_no))
        .select(QuoteLineRow::as_select())
        .load(conn)
}

/// A new quote with its lines.
pub fn insert(conn: &mut DbConnection, q: &QuoteRow, lines: &[QuoteLineRow]) -> QueryResult<()> {
    diesel::insert_into(qt::table).values(q).execute(conn)?;
    for l in lines {
        diesel::insert_into(ql::table).values(l).execute(conn)?;
    }
    Ok(())
}

/// Writes a quote's status and order if it is still at `expected`; false when it was not.
pub fn save_status(conn: &mut DbConnection, q: &QuoteRow, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(
        qt::table
            .filter(qt::id.eq(&q.id))
            .filter(qt::version.eq(expected)),
    )
    .set((
        qt::status.eq(&q.status),
        qt::order_id.eq(&q.order_id),
        qt::version.eq(q.version),
        qt::updated_at.eq(q.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// What a list of quotes is narrowed to.
pub struct QuoteFilter {
    pub deal_id: Option<String>,
    pub customer_id: Option<String>,
    /// Only quotes to these customers (the caller's scope); all when `None`.
    pub customers: Option<Vec<String>>,
}

/// A page of the company's quotes, newest first.
pub fn page(
    conn: &mut DbConnection,
    company: &str,
    f: &QuoteFilter,
    page: &KeyedPage,
) -> QueryResult<Vec<QuoteRow>> {
    let query = qt::table
        .filter(qt::company_id.eq(company))
        .select(QuoteRow::as_select())
        .order((qt::created_at.desc(), qt::id.desc()))
        .limit(page.fetch_limit())
        .into_boxed();
    let mut query = erp_core::after_key!(query, page, qt::created_at, qt::id, desc);
    if let Some(d) = &f.deal_id {
        query = query.filter(qt::deal_id.eq(d.clone()));
    }
    if let Some(c) = &f.customer_id {
        query = query.filter(qt::customer_id.eq(c.clone()));
    }
    if let Some(mine) = &f.customers {
        query = query.filter(qt::customer_id.eq_any(mine.clone()));
    }
    query.load(conn)
}

/// The quotes of a customer, oldest first.
pub fn of_customer(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<QuoteRow>> {
    qt::table
        .filter(qt::customer_id.eq(customer_id))
        .order((qt::created_at, qt::id))
        .select(QuoteRow::as_select())
        .load(conn)
}
