//! Queries of the planning run's input and of the plan it leaves; those that read and
//! change the stored plan afterwards are in `plan.rs`, the run rows, locks and input-change
//! notes in `runs.rs`.

mod plan;
mod runs;
use erp_core::ids::CompanyId;
use erp_inventory::ids::ItemId;
pub use plan::*;
pub use runs::*;

use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{
    items, locations, mrp_item_plans as mp, mrp_messages as mm, planned_orders as po,
    production_order_components as pc, production_orders as pro, purchase_order_lines as pol,
    purchase_orders as pur, stock_balances as sb, warehouses,
};
use erp_core::db::DbConnection;
use erp_inventory::item::model::Item;
use erp_inventory::warehouse::dto::LocationKind;

use crate::model::{ItemPlan, MessageRow, PlannedOrderRow};
use crate::states::{PlannedOrderStatus, ProductionStatus};

/// Active stocked items of the company, in id order.
pub fn plannable_items(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<Item>> {
    items::table
        .filter(items::company_id.eq(company_id))
        .filter(items::active.eq(true))
        .filter(items::item_type.ne("service"))
        .order(items::id)
        .select(Item::as_select())
        .load(conn)
}

/// (item, on hand) per balance in storage and receiving locations of the company.
pub fn on_hand(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<(ItemId, i64)>> {
    sb::table
        .inner_join(locations::table.on(locations::id.eq(sb::location_id)))
        .inner_join(warehouses::table.on(warehouses::id.eq(locations::warehouse_id)))
        .filter(warehouses::company_id.eq(company_id))
        .filter(locations::kind.eq_any([LocationKind::Storage, LocationKind::Receiving]))
        .select((sb::item_id, sb::on_hand))
        .load(conn)
}

/// What is still to come on a purchase order line (drafts too: planning counts them as firm).
pub struct OpenPurchaseLine {
    pub order_id: String,
    pub line_id: String,
    pub item_id: ItemId,
    pub quantity: i64,
    pub expected: NaiveDate,
}

type PurchaseLineRow = (
    String,
    String,
    ItemId,
    i64,
    i64,
    Option<NaiveDate>,
    Option<NaiveDate>,
    NaiveDate,
);

pub fn open_purchase_lines(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<OpenPurchaseLine>> {
    let rows: Vec<PurchaseLineRow> = pol::table
        .inner_join(pur::table.on(pur::id.eq(pol::order_id)))
        .filter(pur::company_id.eq(company_id))
        .filter(pur::status.eq_any([
            erp_inventory::purchase::dto::PurchaseOrderStatus::Draft,
            erp_inventory::purchase::dto::PurchaseOrderStatus::Confirmed,
            erp_inventory::purchase::dto::PurchaseOrderStatus::PartiallyReceived,
        ]))
        .select((
            pur::id,
            pol::id,
            pol::item_id,
            pol::quantity,
            pol::received_quantity,
            pol::expected_date,
            pur::expected_date,
            pur::order_date,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.3 > r.4)
        .map(|r| OpenPurchaseLine {
            order_id: r.0,
            line_id: r.1,
            item_id: r.2,
            quantity: r.3 - r.4,
            expected: r.5.or(r.6).unwrap_or(r.7),
        })
        .collect())
}

/// What a released or in-progress production order has still to complete.
pub struct OpenProduction {
    pub id: String,
    pub number: String,
    pub status: ProductionStatus,
    pub item_id: ItemId,
    pub quantity: i64,
    pub start: NaiveDate,
    pub due: NaiveDate,
}

type ProductionRow = (
    String,
    String,
    ProductionStatus,
    ItemId,
    i64,
    i64,
    NaiveDate,
    NaiveDate,
);

pub fn open_production(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<OpenProduction>> {
    let rows: Vec<ProductionRow> = pro::table
        .filter(pro::company_id.eq(company_id))
        .filter(pro::status.eq_any([ProductionStatus::Released, ProductionStatus::InProgress]))
        .select((
            pro::id,
            pro::number,
            pro::status,
            pro::item_id,
            pro::quantity,
            pro::quantity_completed,
            pro::start_date,
            pro::due_date,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| OpenProduction {
            id: r.0,
            number: r.1,
            status: r.2,
            item_id: r.3,
            quantity: (r.4 - r.5).max(0),
            start: r.6,
            due: r.7,
        })
        .collect())
}

/// Components still to issue to open production orders: (order id, item, quantity, start).
pub fn open_components(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(String, ItemId, i64, NaiveDate)>> {
    let rows: Vec<(String, ItemId, i64, i64, NaiveDate)> = pc::table
        .inner_join(pro::table.on(pro::id.eq(pc::order_id)))
        .filter(pro::company_id.eq(company_id))
        .filter(pro::status.eq_any([ProductionStatus::Released, ProductionStatus::InProgress]))
        .select((
            pro::id,
            pc::item_id,
            pc::quantity_required,
            pc::quantity_issued,
            pro::start_date,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.2 > r.3)
        .map(|r| (r.0, r.1, r.2 - r.3, r.4))
        .collect())
}

pub fn planned_orders(
    conn: &mut DbConnection,
    company_id: CompanyId,
    status: &str,
) -> QueryResult<Vec<PlannedOrderRow>> {
    po::table
        .filter(po::company_id.eq(company_id))
        .filter(po::status.eq(status))
        .order((po::item_id, po::ordinal))
        .select(PlannedOrderRow::as_select())
        .load(conn)
}

/// (id, item, ordinal) of the company's planned (not firm) orders.
pub fn planned_order_ids(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(String, ItemId, i32)>> {
    po::table
        .filter(po::company_id.eq(company_id))
        .filter(po::status.eq(PlannedOrderStatus::Planned))
        .select((po::id, po::item_id, po::ordinal))
        .load(conn)
}

pub fn item_plans(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<ItemPlan>> {
    mp::table
        .filter(mp::company_id.eq(company_id))
        .select(ItemPlan::as_select())
        .load(conn)
}

/// Which records of the current plan a page reads.
pub struct RecordFilter {
    pub item_id: Option<ItemId>,
    pub low_level_code: Option<i32>,
    /// Only items with (true) or without (false) action messages.
    pub has_messages: Option<bool>,
    /// Items after this id, in id order.
    pub after: Option<String>,
    pub limit: i64,
}

/// An item's stored plan with its SKU, lead time and safety stock.
pub type RecordRow = (ItemPlan, String, Option<i32>, Option<i64>);

/// A page of the current plan's records.
pub fn record_page(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &RecordFilter,
) -> QueryResult<Vec<RecordRow>> {
    use erp_core::db::schema::item_planning as ip;
    let mut query = mp::table
        .inner_join(items::table.on(items::id.eq(mp::item_id)))
        .left_join(ip::table.on(ip::item_id.eq(mp::item_id)))
        .filter(mp::company_id.eq(company_id))
        .into_boxed();
    if let Some(i) = &f.item_id {
        query = query.filter(mp::item_id.eq(*i));
    }
    if let Some(l) = f.low_level_code {
        query = query.filter(mp::low_level_code.eq(l));
    }
    if let Some(has) = f.has_messages {
        let messages = diesel::dsl::exists(
            mm::table
                .filter(mm::company_id.eq(company_id.to_string()))
                .filter(mm::item_id.eq(mp::item_id.nullable())),
        );
        query = if has {
            query.filter(messages)
        } else {
            query.filter(diesel::dsl::not(messages))
        };
    }
    if let Some(after) = &f.after {
        query = query.filter(mp::item_id.gt(after.clone()));
    }
    query
        .order(mp::item_id)
        .limit(f.limit)
        .select((
            ItemPlan::as_select(),
            items::sku,
            items::lead_time_days,
            ip::safety_stock.nullable(),
        ))
        .load(conn)
}

pub fn item_plan(conn: &mut DbConnection, item_id: ItemId) -> QueryResult<Option<ItemPlan>> {
    mp::table
        .find(item_id)
        .select(ItemPlan::as_select())
        .first(conn)
        .optional()
}

/// Deletes the plan and messages of the given items (all of the company's when `items` is
/// None).
pub fn delete_plan(
    conn: &mut DbConnection,
    company_id: CompanyId,
    items: Option<&[ItemId]>,
) -> QueryResult<()> {
    match items {
        None => {
            diesel::delete(mp::table.filter(mp::company_id.eq(company_id))).execute(conn)?;
            diesel::delete(
                po::table
                    .filter(po::company_id.eq(company_id))
                    .filter(po::status.eq(PlannedOrderStatus::Planned)),
            )
            .execute(conn)?;
            diesel::delete(mm::table.filter(mm::company_id.eq(company_id))).execute(conn)?;
        }
        Some(ids) => {
            for chunk in ids.chunks(500) {
                diesel::delete(mp::table.filter(mp::item_id.eq_any(chunk))).execute(conn)?;
                diesel::delete(
                    po::table
                        .filter(po::company_id.eq(company_id))
                        .filter(po::status.eq(PlannedOrderStatus::Planned))
                        .filter(po::item_id.eq_any(chunk)),
                )
                .execute(conn)?;
                diesel::delete(
                    mm::table
                        .filter(mm::company_id.eq(company_id))
                        .filter(mm::item_id.eq_any(chunk)),
                )
                .execute(conn)?;
            }
            diesel::delete(
                mm::table
                    .filter(mm::company_id.eq(company_id))
                    .filter(mm::item_id.is_null()),
            )
            .execute(conn)?;
        }
    }
    Ok(())
}

erp_core::insert_rows!(insert_item_plans, mp::table, ItemPlan);
erp_core::insert_rows!(insert_planned_orders, po::table, PlannedOrderRow);
erp_core::insert_rows!(insert_messages, mm::table, MessageRow);
