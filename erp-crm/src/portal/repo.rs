//! Queries of portal accounts and of what a customer reads through the portal.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{
    crm_portal_accounts as pa, crm_sales_order_lines as ol, crm_sales_orders as so,
    crm_tickets as tt, items,
};
use erp_core::db::DbConnection;
use erp_core::pagination::KeyedPage;

use crate::model::{PortalAccountRow, SalesOrderRow, TicketRow};
use crate::states::OrderStatus;

/// Whether any account (of any company) logs in with this login.
pub fn login_taken(conn: &mut DbConnection, login: &str) -> QueryResult<bool> {
    let n: i64 = pa::table
        .filter(pa::login.eq(login))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert_account(conn: &mut DbConnection, a: &PortalAccountRow) -> QueryResult<()> {
    diesel::insert_into(pa::table)
        .values(a)
        .execute(conn)
        .map(|_| ())
}

/// A customer's accounts, oldest first.
pub fn accounts_of(
    conn: &mut DbConnection,
    customer_id: &str,
) -> QueryResult<Vec<PortalAccountRow>> {
    pa::table
        .filter(pa::customer_id.eq(customer_id))
        .order(pa::created_at)
        .select(PortalAccountRow::as_select())
        .load(conn)
}

/// An account of the company, active or not.
pub fn find_account(
    conn: &mut DbConnection,
    id: &str,
    company: &str,
) -> QueryResult<Option<PortalAccountRow>> {
    pa::table
        .find(id)
        .filter(pa::company_id.eq(company))
        .select(PortalAccountRow::as_select())
        .first(conn)
        .optional()
}

pub fn deactivate(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(pa::table.find(id))
        .set(pa::active.eq(false))
        .execute(conn)
        .map(|_| ())
}

/// The active account a (normalised) login names.
pub fn active_login(conn: &mut DbConnection, login: &str) -> QueryResult<Option<PortalAccountRow>> {
    pa::table
        .filter(pa::login.eq(login))
        .filter(pa::active.eq(true))
        .select(PortalAccountRow::as_select())
        .first(conn)
        .optional()
}

/// Wrong passwords given in a row, as stored now.
pub fn failed_logins(conn: &mut DbConnection, id: &str) -> QueryResult<i32> {
    pa::table.find(id).select(pa::failed_logins).first(conn)
}

pub fn set_failed_logins(
    conn: &mut DbConnection,
    id: &str,
    failed: i32,
    locked_until: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(pa::table.find(id))
        .set((
            pa::failed_logins.eq(failed),
            pa::locked_until.eq(locked_until),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A successful login: when, and the failure count and lock cleared.
pub fn logged_in(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(pa::table.find(id))
        .set((
            pa::last_login_at.eq(Some(at)),
            pa::failed_logins.eq(0),
            pa::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// An order line with its item, as the customer reads it.
#[derive(Queryable)]
pub struct LineRow {
    pub order_id: String,
    pub line_no: i32,
    pub sku: String,
    pub item_name: String,
    pub quantity: i64,
    pub delivered: i64,
    pub unit_price: i64,
    pub discount_percent: i64,
    pub line_total: i64,
}

/// The lines of these orders with their items, by order, in line order.
pub fn lines_of(
    conn: &mut DbConnection,
    order_ids: &[String],
) -> QueryResult<HashMap<String, Vec<LineRow>>> {
    let rows: Vec<LineRow> = ol::table
        .inner_join(items::table.on(items::id.eq(ol::item_id)))
        .filter(ol::order_id.eq_any(order_ids))
        .order((ol::order_id, ol::line_no))
        .select((
            ol::order_id,
            ol::line_no,
            items::sku,
            items::name,
            ol::quantity,
            ol::delivered_quantity,
            ol::unit_price,
            ol::discount_percent,
            ol::line_total,
        ))
        .load(conn)?;
    let mut by_order: HashMap<String, Vec<LineRow>> = HashMap::new();
    for l in rows {
        by_order.entry(l.order_id.clone()).or_default().push(l);
    }
    Ok(by_order)
}

/// A page of the customer's orders past draft, newest first.
pub fn orders_page(
    conn: &mut DbConnection,
    customer_id: &str,
    page: &KeyedPage,
) -> QueryResult<Vec<SalesOrderRow>> {
    let query = so::table
        .filter(so::customer_id.eq(customer_id))
        .filter(so::status.ne(OrderStatus::Draft))
        .order((so::created_at.desc(), so::id.desc()))
        .limit(page.fetch_limit())
        .select(SalesOrderRow::as_select())
        .into_boxed();
    erp_core::after_key!(query, page, so::created_at, so::id, desc).load(conn)
}

/// One of the customer's orders past draft.
pub fn own_order(
    conn: &mut DbConnection,
    customer_id: &str,
    id: &str,
) -> QueryResult<Option<SalesOrderRow>> {
    so::table
        .find(id)
        .filter(so::customer_id.eq(customer_id))
        .filter(so::status.ne(OrderStatus::Draft))
        .select(SalesOrderRow::as_select())
        .first(conn)
        .optional()
}

/// A page of the customer's tickets, newest first.
pub fn tickets_page(
    conn: &mut DbConnection,
    customer_id: &str,
    page: &KeyedPage,
) -> QueryResult<Vec<TicketRow>> {
    let query = tt::table
        .filter(tt::customer_id.eq(customer_id))
        .order((tt::created_at.desc(), tt::id.desc()))
        .limit(page.fetch_limit())
        .select(TicketRow::as_select())
        .into_boxed();
    erp_core::after_key!(query, page, tt::created_at, tt::id, desc).load(conn)
}
