//! The value side of the ledger: each item's position per warehouse, its cost layers and
//! what moves took from them, and the value entries.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{
    cost_layer_takes as lt, cost_layers as cl, stock_moves as sm, stock_valuations as sv,
    stock_value_entries as ve,
};
use erp_core::db::{update_or_insert, DbConnection};

use super::CHUNK;
use crate::ids::{ItemId, WarehouseId};
use crate::stock::model::{CostLayer, Key, LayerTake, StockMove, ValueEntry};

pub fn insert_entry(conn: &mut DbConnection, e: &ValueEntry) -> QueryResult<()> {
    diesel::insert_into(ve::table)
        .values(e)
        .execute(conn)
        .map(|_| ())
}

/// Locks the valuation row of an item in a warehouse for this transaction (creating it if
/// needed) and returns (quantity, value). The no-op UPDATE takes PostgreSQL's row lock, so
/// the read that follows sees the latest committed state; SQLite is already serialised.
pub fn lock_position(
    conn: &mut DbConnection,
    item: ItemId,
    warehouse: WarehouseId,
) -> QueryResult<(i64, i64)> {
    if let DbConnection::Postgresql(pg) = conn {
        // One round trip where the row exists: the update locks it and returns it.
        let found = diesel::update(sv::table.find((item, warehouse)))
            .set(sv::quantity.eq(sv::quantity))
            .returning((sv::quantity, sv::value))
            .get_result(pg)
            .optional()?;
        if let Some(position) = found {
            return Ok(position);
        }
    }
    let touch = |conn: &mut DbConnection| {
        diesel::update(sv::table.find((item, warehouse)))
            .set(sv::quantity.eq(sv::quantity))
            .execute(conn)
    };
    let insert = |conn: &mut DbConnection| {
        diesel::insert_into(sv::table)
            .values((
                sv::item_id.eq(item),
                sv::warehouse_id.eq(warehouse),
                sv::quantity.eq(0i64),
                sv::value.eq(0i64),
            ))
            .execute(conn)
    };
    update_or_insert(conn, touch, insert)?;
    sv::table
        .find((item, warehouse))
        .select((sv::quantity, sv::value))
        .first(conn)
}

/// Adds to the cached position (the row exists: it was locked or written before).
pub fn add_to_position(
    conn: &mut DbConnection,
    item: ItemId,
    warehouse: WarehouseId,
    quantity: i64,
    value: i64,
) -> QueryResult<()> {
    diesel::update(sv::table.find((item, warehouse)))
        .set((
            sv::quantity.eq(sv::quantity + quantity),
            sv::value.eq(sv::value + value),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Layers with stock left, oldest first.
pub fn open_layers(
    conn: &mut DbConnection,
    item: ItemId,
    warehouse: WarehouseId,
) -> QueryResult<Vec<CostLayer>> {
    cl::table
        .filter(cl::item_id.eq(item))
        .filter(cl::warehouse_id.eq(warehouse))
        .filter(cl::quantity_remaining.gt(0))
        .order((cl::effective_at, cl::created_at, cl::id))
        .select(CostLayer::as_select())
        .load(conn)
}

pub fn update_layer(
    conn: &mut DbConnection,
    id: &str,
    quantity: i64,
    value: i64,
) -> QueryResult<()> {
    diesel::update(cl::table.find(id))
        .set((
            cl::quantity_remaining.eq(quantity),
            cl::value_remaining.eq(value),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn insert_layer(conn: &mut DbConnection, l: &CostLayer) -> QueryResult<()> {
    diesel::insert_into(cl::table)
        .values(l)
        .execute(conn)
        .map(|_| ())
}

/// Valuation rows (item, warehouse, quantity, value) of some warehouses.
pub fn positions(
    conn: &mut DbConnection,
    warehouses: &[WarehouseId],
    item: Option<ItemId>,
) -> QueryResult<Vec<(ItemId, WarehouseId, i64, i64)>> {
    let mut q = sv::table
        .filter(sv::warehouse_id.eq_any(warehouses.to_vec()))
        .into_boxed();
    if let Some(i) = item {
        q = q.filter(sv::item_id.eq(i.to_string()));
    }
    q.order((sv::item_id, sv::warehouse_id))
        .select((sv::item_id, sv::warehouse_id, sv::quantity, sv::value))
        .load(conn)
}

/// Value entries dated (business date) after `after` in some warehouses.
pub fn entries_after(
    conn: &mut DbConnection,
    warehouses: &[WarehouseId],
    item: Option<ItemId>,
    after: NaiveDateTime,
) -> QueryResult<Vec<ValueEntry>> {
    let mut q = ve::table
        .filter(ve::warehouse_id.eq_any(warehouses.to_vec()))
        .filter(ve::effective_at.gt(after))
        .into_boxed();
    if let Some(i) = item {
        q = q.filter(ve::item_id.eq(i.to_string()));
    }
    q.select(ValueEntry::as_select()).load(conn)
}

/// The value entries in a warehouse of the item's moves at or after `start` on the
/// business-date timeline, with their moves, in timeline order.
pub fn entries_from(
    conn: &mut DbConnection,
    item: ItemId,
    warehouse: WarehouseId,
    start: &Key,
) -> QueryResult<Vec<(ValueEntry, StockMove)>> {
    let rows: Vec<(ValueEntry, StockMove)> = ve::table
        .inner_join(sm::table)
        .filter(ve::item_id.eq(item))
        .filter(ve::warehouse_id.eq(warehouse))
        .filter(ve::effective_at.ge(start.0))
        .order((sm::effective_at, sm::id, ve::id))
        .select((ValueEntry::as_select(), StockMove::as_select()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, m)| m.effective_at > start.0 || m.id >= start.1)
        .collect())
}

/// What the given moves took from layers.
pub fn takes_of(conn: &mut DbConnection, moves: &[String]) -> QueryResult<Vec<LayerTake>> {
    let mut out = Vec::new();
    for chunk in moves.chunks(CHUNK) {
        out.extend(
            lt::table
                .filter(lt::move_id.eq_any(chunk))
                .order((lt::move_id, lt::id))
                .select(LayerTake::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// The layers a re-costing from some point can touch: those with stock left, those the
/// later moves took from, and those the later moves made.
pub fn layers_for_replay(
    conn: &mut DbConnection,
    item: ItemId,
    warehouse: WarehouseId,
    taken: &[String],
    made_by: &[String],
) -> QueryResult<Vec<CostLayer>> {
    let mut out = open_layers(conn, item, warehouse)?;
    let mut want: Vec<&String> = taken.iter().chain(made_by).collect();
    want.sort();
    want.dedup();
    for chunk in want.chunks(CHUNK) {
        let found: Vec<CostLayer> = cl::table
            .filter(cl::item_id.eq(item))
            .filter(cl::warehouse_id.eq(warehouse))
            .filter(cl::quantity_remaining.eq(0))
            .filter(cl::id.eq_any(chunk).or(cl::move_id.eq_any(chunk)))
            .select(CostLayer::as_select())
            .load(conn)?;
        out.extend(found);
    }
    out.sort_by(|a, b| {
        (a.effective_at, a.created_at, &a.id).cmp(&(b.effective_at, b.created_at, &b.id))
    });
    out.dedup_by(|a, b| a.id == b.id);
    Ok(out)
}

pub fn delete_takes(conn: &mut DbConnection, moves: &[String]) -> QueryResult<()> {
    for chunk in moves.chunks(CHUNK) {
        diesel::delete(lt::table.filter(lt::move_id.eq_any(chunk))).execute(conn)?;
    }
    Ok(())
}

erp_core::insert_rows!(insert_takes, lt::table, LayerTake);
erp_core::insert_rows!(insert_entries, ve::table, ValueEntry);

/// Moves' costs restated by a re-costing: (id, unit cost, total cost). On PostgreSQL one
/// statement per thousand moves (the ids are our own UUIDs, checked before they are
/// written into the statement); SQLite updates in-process, row by row.
pub fn set_move_costs(conn: &mut DbConnection, costs: &[(String, i64, i64)]) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(pg) => {
            for chunk in costs.chunks(1000) {
                let mut values = String::new();
                for (id, unit, total) in chunk {
                    let id = uuid::Uuid::parse_str(id)
                        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
                    if !values.is_empty() {
                        values.push(',');
                    }
                    values.push_str(&format!("('{id}',{unit},{total})"));
                }
                diesel::sql_query(format!(
                    "UPDATE stock_moves AS m SET unit_cost = v.u, total_cost = v.t \
                     FROM (VALUES {values}) AS v(id, u, t) WHERE m.id = v.id"
                ))
                .execute(pg)?;
            }
        }
        DbConnection::Sqlite(_) => {
            for (id, unit, total) in costs {
                diesel::update(sm::table.find(id))
                    .set((sm::unit_cost.eq(unit), sm::total_cost.eq(total)))
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}

/// The layers taken by some moves, with the receipt (move id and lot) each layer came from.
pub fn takes_with_layers(
    conn: &mut DbConnection,
    moves: &[String],
) -> QueryResult<Vec<(LayerTake, String, NaiveDateTime, String)>> {
    let mut out = Vec::new();
    for chunk in moves.chunks(CHUNK) {
        out.extend(
            lt::table
                .inner_join(cl::table)
                .filter(lt::move_id.eq_any(chunk))
                .order((lt::move_id, cl::effective_at, cl::created_at, cl::id))
                .select((
                    LayerTake::as_select(),
                    cl::move_id,
                    cl::effective_at,
                    cl::lot,
                ))
                .load::<(LayerTake, String, NaiveDateTime, String)>(conn)?,
        );
    }
    Ok(out)
}
