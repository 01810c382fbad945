use diesel::prelude::*;
use erp_core::db::schema::{
    crm_order_invoice_lines as oi, crm_sales_order_lines as ol, crm_sales_orders as so,
};
use erp_core::db::DbConnection;
use erp_core::pagination::PageRequest;

use crate::model::{OrderInvoiceLineRow, SalesOrderLineRow, SalesOrderRow};
use crate::states::OrderStatus;

pub fn find(
    conn: &mut DbConnection,
    id: &str,
    company_id: &str,
) -> QueryResult<Option<SalesOrderRow>> {
    so::table
        .find(id)
        .filter(so::company_id.eq(company_id))
        .select(SalesOrderRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConnection,
    o: &SalesOrderRow,
    lines: &[SalesOrderLineRow],
) -> QueryResult<()> {
    diesel::insert_into(so::table).values(o).execute(conn)?;
    for l in lines {
        diesel::insert_into(ol::table).values(l).execute(conn)?;
    }
    Ok(())
}

/// Takes the order for one transition: moves its version on if it is still `version`. False
/// when another transaction changed it first (on PostgreSQL this waits for that one to end).
pub fn claim(conn: &mut DbConnection, id: &str, version: i64) -> QueryResult<bool> {
    diesel::update(
        so::table
            .filter(so::id.eq(id))
            .filter(so::version.eq(version)),
    )
    .set(so::version.eq(version + 1))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn set_status(conn: &mut DbConnection, o: &SalesOrderRow, expected: i64) -> QueryResult<bool> {
    diesel::update(
        so::table
            .filter(so::id.eq(&o.id))
            .filter(so::version.eq(expected)),
    )
    .set((
        so::status.eq(&o.status),
        so::version.eq(o.version),
        so::updated_at.eq(o.updated_at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn lines_of(conn: &mut DbConnection, order_id: &str) -> QueryResult<Vec<SalesOrderLineRow>> {
    ol::table
        .filter(ol::order_id.eq(order_id))
        .order(ol::line_no)
        .select(SalesOrderLineRow::as_select())
        .load(conn)
}

pub fn save_line(conn: &mut DbConnection, l: &SalesOrderLineRow) -> QueryResult<()> {
    diesel::update(ol::table.find(&l.id))
        .set((
            ol::delivered_quantity.eq(l.delivered_quantity),
            ol::reservation_id.eq(&l.reservation_id),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn of_customer(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<SalesOrderRow>> {
    so::table
        .filter(so::customer_id.eq(customer_id))
        .order(so::created_at)
        .select(SalesOrderRow::as_select())
        .load(conn)
}

pub fn list(
    conn: &mut DbConnection,
    company_id: &str,
    customer_ids: Option<Vec<String>>,
    status: Option<String>,
    page: &PageRequest,
) -> QueryResult<Vec<SalesOrderRow>> {
    let mut q = so::table.filter(so::company_id.eq(company_id)).into_boxed();
    if let Some(c) = customer_ids {
        q = q.filter(so::customer_id.eq_any(c));
    }
    if let Some(s) = status {
        q = q.filter(so::status.eq(s));
    }
    if let Some(after) = &page.after {
        q = q.filter(so::id.gt(after.clone()));
    }
    q.order(so::id.asc())
        .limit(page.fetch_limit())
        .select(SalesOrderRow::as_select())
        .load(conn)
}

/// What the invoices of an order bill, line by line (cancelled and deleted invoices included:
/// the caller keeps those that still stand).
pub fn invoice_lines_of(
    conn: &mut DbConnection,
    order_id: &str,
) -> QueryResult<Vec<OrderInvoiceLineRow>> {
    oi::table
        .filter(oi::order_id.eq(order_id))
        .order((oi::invoice_id, oi::line_no))
        .select(OrderInvoiceLineRow::as_select())
        .load(conn)
}

pub fn insert_invoice_lines(
    conn: &mut DbConnection,
    rows: &[OrderInvoiceLineRow],
) -> QueryResult<()> {
    for r in rows {
        diesel::insert_into(oi::table).values(r).execute(conn)?;
    }
    Ok(())
}

/// Orders that may still be invoiced: every order but drafts.
pub fn invoiceable(conn: &mut DbConnection, company_id: &str) -> QueryResult<Vec<SalesOrderRow>> {
    so::table
        .filter(so::company_id.eq(company_id))
        .filter(so::status.ne(OrderStatus::Draft))
        .order(so::id)
        .select(SalesOrderRow::as_select())
        .load(conn)
}
