use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{
    purchase_bill_lines as pb, purchase_order_lines as pl, purchase_orders as po,
    supplier_prices as sp,
};
use erp_core::db::DbConnection;
use erp_core::ids::{CompanyId, PartnerId, UserId};
use erp_core::pagination::PageRequest;
use erp_finance::ids::InvoiceId;

use super::dto::PurchaseOrderStatus;
use crate::ids::{ItemId, WarehouseId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = po)]
pub struct PurchaseOrder {
    pub id: String,
    pub company_id: CompanyId,
    pub number: String,
    pub supplier_id: PartnerId,
    pub warehouse_id: WarehouseId,
    pub status: PurchaseOrderStatus,
    pub currency: String,
    pub order_date: NaiveDate,
    pub expected_date: Option<NaiveDate>,
    /// Percent ×10^6 more than ordered that a receipt may bring.
    pub over_receipt_tolerance: i64,
    pub notes: Option<String>,
    /// Money ×10^4.
    pub total: i64,
    pub version: i64,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pl)]
pub struct PurchaseOrderLine {
    pub id: String,
    pub order_id: String,
    pub line_no: i32,
    pub item_id: ItemId,
    /// Qty ×10^6 in the item's base unit.
    pub quantity: i64,
    /// Price ×10^6 per base unit.
    pub unit_price: i64,
    pub line_total: i64,
    pub received_quantity: i64,
    pub expected_date: Option<NaiveDate>,
    /// What the goods received are worth in company currency (Money ×10^4), as the receipts
    /// valued them.
    pub received_value: i64,
}

/// A purchase order line a supplier bill bills, and how much of it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pb)]
pub struct BillLine {
    pub invoice_id: InvoiceId,
    pub order_id: String,
    pub line_no: i32,
    /// Qty ×10^6.
    pub quantity: i64,
    /// The value of goods received not invoiced the bill clears for it (Money ×10^4).
    pub cleared: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sp)]
pub struct SupplierPrice {
    pub id: String,
    pub company_id: CompanyId,
    pub supplier_id: PartnerId,
    pub item_id: ItemId,
    pub min_quantity: i64,
    pub price: i64,
    pub lead_time_days: Option<i32>,
    pub created_at: NaiveDateTime,
}

pub fn find(
    conn: &mut DbConnection,
    id: &str,
    company_id: CompanyId,
) -> QueryResult<Option<PurchaseOrder>> {
    po::table
        .find(id)
        .filter(po::company_id.eq(company_id))
        .select(PurchaseOrder::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, o: &PurchaseOrder) -> QueryResult<()> {
    diesel::insert_into(po::table)
        .values(o)
        .execute(conn)
        .map(|_| ())
}

/// Writes the order if its version is still `expected`.
pub fn update_versioned(
    conn: &mut DbConnection,
    o: &PurchaseOrder,
    expected: i64,
) -> QueryResult<bool> {
    let n = diesel::update(
        po::table
            .filter(po::id.eq(&o.id))
            .filter(po::version.eq(expected)),
    )
    .set((
        po::status.eq(&o.status),
        po::expected_date.eq(o.expected_date),
        po::over_receipt_tolerance.eq(o.over_receipt_tolerance),
        po::notes.eq(&o.notes),
        po::total.eq(o.total),
        po::version.eq(o.version),
        po::updated_at.eq(o.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Takes the order for a transition: moves its version on if it is still `version`. False
/// when another transaction changed it first (on PostgreSQL this waits for that one to end).
pub fn claim(conn: &mut DbConnection, id: &str, version: i64) -> QueryResult<bool> {
    diesel::update(
        po::table
            .filter(po::id.eq(id))
            .filter(po::version.eq(version)),
    )
    .set((
        po::version.eq(version + 1),
        po::updated_at.eq(erp_core::db::now()),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// What the bills of an order bill, line by line (cancelled and deleted bills included: the
/// caller keeps those that still stand).
pub fn bill_lines_of(conn: &mut DbConnection, order_id: &str) -> QueryResult<Vec<BillLine>> {
    pb::table
        .filter(pb::order_id.eq(order_id))
        .order((pb::invoice_id, pb::line_no))
        .select(BillLine::as_select())
        .load(conn)
}

pub fn insert_bill_lines(conn: &mut DbConnection, rows: &[BillLine]) -> QueryResult<()> {
    for r in rows {
        diesel::insert_into(pb::table).values(r).execute(conn)?;
    }
    Ok(())
}

pub fn lines_of(conn: &mut DbConnection, order_id: &str) -> QueryResult<Vec<PurchaseOrderLine>> {
    pl::table
        .filter(pl::order_id.eq(order_id))
        .order(pl::line_no)
        .select(PurchaseOrderLine::as_select())
        .load(conn)
}

pub fn replace_lines(
    conn: &mut DbConnection,
    order_id: &str,
    lines: &[PurchaseOrderLine],
) -> QueryResult<()> {
    diesel::delete(pl::table.filter(pl::order_id.eq(order_id))).execute(conn)?;
    for l in lines {
        diesel::insert_into(pl::table).values(l).execute(conn)?;
    }
    Ok(())
}

/// Adds `qty` to what a line received if that stays within `max`; false when it would not.
pub fn add_received(
    conn: &mut DbConnection,
    line_id: &str,
    qty: i64,
    max: i64,
) -> QueryResult<bool> {
    let n = diesel::update(
        pl::table
            .find(line_id)
            .filter(pl::received_quantity.le(max - qty)),
    )
    .set(pl::received_quantity.eq(pl::received_quantity + qty))
    .execute(conn)?;
    Ok(n == 1)
}

/// Adds the value of a receipt to what a line received.
pub fn add_received_value(conn: &mut DbConnection, line_id: &str, value: i64) -> QueryResult<()> {
    diesel::update(pl::table.find(line_id))
        .set(pl::received_value.eq(pl::received_value + value))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Default)]
pub struct OrderFilter {
    pub status: Option<String>,
    pub supplier_id: Option<String>,
    pub warehouse_ids: Option<Vec<WarehouseId>>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &OrderFilter,
    page: &PageRequest,
) -> QueryResult<Vec<PurchaseOrder>> {
    let mut q = po::table.filter(po::company_id.eq(company_id)).into_boxed();
    if let Some(s) = &f.status {
        q = q.filter(po::status.eq(s.clone()));
    }
    if let Some(s) = &f.supplier_id {
        q = q.filter(po::supplier_id.eq(s.clone()));
    }
    if let Some(w) = &f.warehouse_ids {
        q = q.filter(po::warehouse_id.eq_any(w.clone()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(po::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(po::id.gt(after.clone()));
    }
    q.order(po::id.asc())
        .limit(page.fetch_limit())
        .select(PurchaseOrder::as_select())
        .load(conn)
}

/// The company's confirmed and partly received orders but `except` dated within `from..=to`,
/// with their lines.
pub fn open_orders(
    conn: &mut DbConnection,
    company_id: CompanyId,
    except: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(PurchaseOrder, PurchaseOrderLine)>> {
    po::table
        .inner_join(pl::table)
        .filter(po::company_id.eq(company_id))
        .filter(po::status.eq_any([
            PurchaseOrderStatus::Confirmed,
            PurchaseOrderStatus::PartiallyReceived,
        ]))
        .filter(po::id.ne(except))
        .filter(po::order_date.between(from, to))
        .select((PurchaseOrder::as_select(), PurchaseOrderLine::as_select()))
        .load(conn)
}

/// Quantities still to come per (item, warehouse) from confirmed orders.
pub fn incoming(
    conn: &mut DbConnection,
    company_id: CompanyId,
    warehouses: &[WarehouseId],
    item: Option<ItemId>,
) -> QueryResult<Vec<(ItemId, WarehouseId, i64)>> {
    let mut q = pl::table
        .inner_join(po::table)
        .filter(po::company_id.eq(company_id))
        .filter(po::status.eq_any([
            PurchaseOrderStatus::Confirmed,
            PurchaseOrderStatus::PartiallyReceived,
        ]))
        .filter(po::warehouse_id.eq_any(warehouses.to_vec()))
        .into_boxed();
    if let Some(i) = item {
        q = q.filter(pl::item_id.eq(i));
    }
    let rows: Vec<(ItemId, WarehouseId, i64, i64)> = q
        .select((
            pl::item_id,
            po::warehouse_id,
            pl::quantity,
            pl::received_quantity,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(i, w, q, r)| (i, w, (q - r).max(0)))
        .collect())
}

pub fn insert_price(conn: &mut DbConnection, p: &SupplierPrice) -> QueryResult<()> {
    diesel::insert_into(sp::table)
        .values(p)
        .execute(conn)
        .map(|_| ())
}

pub fn prices(
    conn: &mut DbConnection,
    company_id: CompanyId,
    item: Option<ItemId>,
    supplier: Option<PartnerId>,
) -> QueryResult<Vec<SupplierPrice>> {
    let mut q = sp::table.filter(sp::company_id.eq(company_id)).into_boxed();
    if let Some(i) = item {
        q = q.filter(sp::item_id.eq(i));
    }
    if let Some(s) = supplier {
        q = q.filter(sp::supplier_id.eq(s));
    }
    q.order((sp::item_id, sp::supplier_id, sp::min_quantity))
        .select(SupplierPrice::as_select())
        .load(conn)
}

/// Orders that may still be billed: confirmed, in receipt or received, of one currency.
pub fn billable(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<PurchaseOrder>> {
    po::table
        .filter(po::company_id.eq(company_id))
        .filter(po::status.eq_any([
            PurchaseOrderStatus::Confirmed,
            PurchaseOrderStatus::PartiallyReceived,
            PurchaseOrderStatus::Received,
        ]))
        .order(po::id)
        .select(PurchaseOrder::as_select())
        .load(conn)
}
