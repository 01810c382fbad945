use diesel::prelude::*;
use erp_core::db::schema::{item_planning as ip, items, routing_operations as ro};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_inventory::ids::ItemId;

use crate::model::{ItemPlanning, Operation};

pub fn find(conn: &mut DbConnection, item_id: ItemId) -> QueryResult<Option<ItemPlanning>> {
    ip::table
        .find(item_id)
        .select(ItemPlanning::as_select())
        .first(conn)
        .optional()
}

pub fn all(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<ItemPlanning>> {
    ip::table
        .filter(ip::company_id.eq(company_id))
        .select(ItemPlanning::as_select())
        .load(conn)
}

pub fn save(conn: &mut DbConnection, p: &ItemPlanning, expected: i64) -> QueryResult<bool> {
    if expected == 0 {
        return diesel::insert_into(ip::table)
            .values(p)
            .execute(conn)
            .map(|n| n == 1);
    }
    let n = diesel::update(
        ip::table
            .filter(ip::item_id.eq(&p.item_id))
            .filter(ip::version.eq(expected)),
    )
    .set((
        ip::safety_stock.eq(p.safety_stock),
        ip::lot_sizing.eq(&p.lot_sizing),
        ip::min_order.eq(p.min_order),
        ip::max_order.eq(p.max_order),
        ip::order_multiple.eq(p.order_multiple),
        ip::time_fence_days.eq(p.time_fence_days),
        ip::phantom.eq(p.phantom),
        ip::version.eq(p.version),
        ip::updated_at.eq(p.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Writes the item fields planning shares with purchasing.
pub fn set_item_fields(
    conn: &mut DbConnection,
    item_id: ItemId,
    lead_time_days: Option<i32>,
    procurement: &str,
) -> QueryResult<()> {
    diesel::update(items::table.find(item_id))
        .set((
            items::lead_time_days.eq(lead_time_days),
            items::procurement.eq(procurement),
            items::version.eq(items::version + 1),
            items::updated_at.eq(erp_core::db::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn routing_of(conn: &mut DbConnection, item_id: ItemId) -> QueryResult<Vec<Operation>> {
    ro::table
        .filter(ro::item_id.eq(item_id))
        .order(ro::seq)
        .select(Operation::as_select())
        .load(conn)
}

pub fn all_operations(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<Operation>> {
    ro::table
        .filter(ro::company_id.eq(company_id))
        .order((ro::item_id, ro::seq))
        .select(Operation::as_select())
        .load(conn)
}

pub fn replace_routing(
    conn: &mut DbConnection,
    item_id: ItemId,
    ops: &[Operation],
) -> QueryResult<()> {
    diesel::delete(ro::table.filter(ro::item_id.eq(item_id))).execute(conn)?;
    for o in ops {
        diesel::insert_into(ro::table).values(o).execute(conn)?;
    }
    Ok(())
}
