//! Queries of the ledger and its caches. Every change to a cache is an atomic update that
//! names its guard, so two processes on one PostgreSQL cannot oversell.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{
    cost_layer_takes as lt, cost_layers as cl, stock_balances as sb, stock_moves as sm,
    stock_valuations as sv, stock_value_entries as ve,
};
use erp_core::db::{update_or_insert, DbConnection};

use super::model::{Balance, CostLayer, Key, LayerTake, StockMove, ValueEntry};

/// Lists bound into one `IN (...)` at most (SQLite allows 32,766 parameters).
const CHUNK: usize = 10_000;

pub fn insert_move(conn: &mut DbConnection, m: &StockMove) -> QueryResult<()> {
    diesel::insert_into(sm::table)
        .values(m)
        .execute(conn)
        .map(|_| ())
}

pub fn insert_entry(conn: &mut DbConnection, e: &ValueEntry) -> QueryResult<()> {
    diesel::insert_into(ve::table)
        .values(e)
        .execute(conn)
        .map(|_| ())
}

pub fn find_move(
    conn: &mut DbConnection,
    id: &str,
    company_id: &str,
) -> QueryResult<Option<StockMove>> {
    sm::table
        .find(id)
        .filter(sm::company_id.eq(company_id))
        .select(StockMove::as_select())
        .first(conn)
        .optional()
}

pub fn reversal_of(conn: &mut DbConnection, move_id: &str) -> QueryResult<Option<String>> {
    sm::table
        .filter(sm::reversal_of_id.eq(move_id))
        .select(sm::id)
        .first(conn)
        .optional()
}

pub fn balance(
    conn: &mut DbConnection,
    item: &str,
    location: &str,
    lot: &str,
) -> QueryResult<Option<Balance>> {
    sb::table
        .find((item, location, lot))
        .select(Balance::as_select())
        .first(conn)
        .optional()
}

/// Adds `delta` to on hand, creating the row if needed (safe against a concurrent insert).
pub fn add_on_hand(
    conn: &mut DbConnection,
    item: &str,
    location: &str,
    lot: &str,
    delta: i64,
) -> QueryResult<()> {
    let update = |conn: &mut DbConnection| {
        diesel::update(sb::table.find((item, location, lot)))
            .set(sb::on_hand.eq(sb::on_hand + delta))
            .execute(conn)
    };
    let insert = |conn: &mut DbConnection| {
        diesel::insert_into(sb::table)
            .values((
                sb::item_id.eq(item),
                sb::location_id.eq(location),
                sb::lot.eq(lot),
                sb::on_hand.eq(delta),
                sb::reserved.eq(0),
            ))
            .execute(conn)
    };
    update_or_insert(conn, update, insert).map(|_| ())
}

/// Takes `qty` off on hand if that leaves `on_hand - reserved >= 0`; false when it would not.
pub fn take_available(
    conn: &mut DbConnection,
    item: &str,
    location: &str,
    lot: &str,
    qty: i64,
) -> QueryResult<bool> {
    let n = diesel::update(
        sb::table
            .find((item, location, lot))
            .filter((sb::on_hand - sb::reserved).ge(qty)),
    )
    .set(sb::on_hand.eq(sb::on_hand - qty))
    .execute(conn)?;
    Ok(n == 1)
}

/// Takes `qty` off on hand and off reserved together (an issue against a reservation).
pub fn take_reserved(
    conn: &mut DbConnection,
    item: &str,
    location: &str,
    lot: &str,
    qty: i64,
) -> QueryResult<bool> {
    let n = diesel::update(
        sb::table
            .find((item, location, lot))
            .filter(sb::reserved.ge(qty))
            .filter(sb::on_hand.ge(qty)),
    )
    .set((
        sb::on_hand.eq(sb::on_hand - qty),
        sb::reserved.eq(sb::reserved - qty),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Reserves `qty` if that much is available; false when it is not.
pub fn reserve(
    conn: &mut DbConnection,
    item: &str,
    location: &str,
    lot: &str,
    qty: i64,
) -> QueryResult<bool> {
    let n = diesel::update(
        sb::table
            .find((item, location, lot))
            .filter((sb::on_hand - sb::reserved).ge(qty)),
    )
    .set(sb::reserved.eq(sb::reserved + qty))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn unreserve(
    conn: &mut DbConnection,
    item: &str,
    location: &str,
    lot: &str,
    qty: i64,
) -> QueryResult<bool> {
    let n = diesel::update(
        sb::table
            .find((item, location, lot))
            .filter(sb::reserved.ge(qty)),
    )
    .set(sb::reserved.eq(sb::reserved - qty))
    .execute(conn)?;
    Ok(n == 1)
}

/// On hand of an item and lot over all locations (to refuse a serial number twice).
pub fn on_hand_of_lot(conn: &mut DbConnection, item: &str, lot: &str) -> QueryResult<i64> {
    let rows: Vec<i64> = sb::table
        .filter(sb::item_id.eq(item))
        .filter(sb::lot.eq(lot))
        .select(sb::on_hand)
        .load(conn)?;
    Ok(rows.iter().sum())
}

/// Locks the valuation row of an item in a warehouse for this transaction (creating it if
/// needed) and returns (quantity, value). The no-op UPDATE takes PostgreSQL's row lock, so
/// the read that follows sees the latest committed state; SQLite is already serialised.
pub fn lock_position(
    conn: &mut DbConnection,
    item: &str,
    warehouse: &str,
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
    item: &str,
    warehouse: &str,
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
    item: &str,
    warehouse: &str,
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

/// Moves of an item touching any of `locations` (all when None), posted in [from, to).
pub fn moves_of_item(
    conn: &mut DbConnection,
    item: &str,
    locations: Option<&[String]>,
    from: Option<NaiveDateTime>,
    to: Option<NaiveDateTime>,
    limit: i64,
) -> QueryResult<Vec<StockMove>> {
    let mut q = sm::table.filter(sm::item_id.eq(item)).into_boxed();
    if let Some(locs) = locations {
        q = q.filter(
            sm::from_location_id
                .eq_any(locs.to_vec())
                .or(sm::to_location_id.eq_any(locs.to_vec())),
        );
    }
    if let Some(f) = from {
        q = q.filter(sm::effective_at.ge(f));
    }
    if let Some(t) = to {
        q = q.filter(sm::effective_at.lt(t));
    }
    q.order((sm::effective_at, sm::id))
        .limit(limit)
        .select(StockMove::as_select())
        .load(conn)
}

#[derive(Debug, Default)]
pub struct MoveFilter {
    pub item_id: Option<String>,
    pub locations: Option<Vec<String>>,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

pub fn list_moves(
    conn: &mut DbConnection,
    company_id: &str,
    f: &MoveFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<StockMove>> {
    let mut q = sm::table.filter(sm::company_id.eq(company_id)).into_boxed();
    if let Some(i) = &f.item_id {
        q = q.filter(sm::item_id.eq(i.clone()));
    }
    if let Some(locs) = &f.locations {
        q = q.filter(
            sm::from_location_id
                .eq_any(locs.clone())
                .or(sm::to_location_id.eq_any(locs.clone())),
        );
    }
    if let Some(t) = &f.reference_type {
        q = q.filter(sm::reference_type.eq(t.clone()));
    }
    if let Some(r) = &f.reference_id {
        q = q.filter(sm::reference_id.eq(r.clone()));
    }
    if let Some(from) = f.from {
        q = q.filter(sm::posted_at.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(sm::posted_at.lt(to));
    }
    if let Some(a) = after {
        q = q.filter(sm::id.gt(a.to_string()));
    }
    q.order(sm::id.asc())
        .limit(limit)
        .select(StockMove::as_select())
        .load(conn)
}

/// The value (money ×10⁴) of a document's moves of one type (its receipts, its issues), less
/// what reversals took back.
pub fn value_of_document(
    conn: &mut DbConnection,
    company_id: &str,
    reference_type: &str,
    reference_id: &str,
    move_type: &str,
) -> QueryResult<i64> {
    let moves: Vec<(String, i64)> = sm::table
        .filter(sm::company_id.eq(company_id))
        .filter(sm::reference_type.eq(reference_type))
        .filter(sm::reference_id.eq(reference_id))
        .filter(sm::move_type.eq(move_type))
        .select((sm::id, sm::total_cost))
        .load(conn)?;
    let ids: Vec<&String> = moves.iter().map(|m| &m.0).collect();
    let reversed: i64 = sm::table
        .filter(sm::reversal_of_id.eq_any(ids))
        .select(sm::total_cost)
        .load::<i64>(conn)?
        .iter()
        .sum();
    Ok(moves.iter().map(|m| m.1).sum::<i64>() - reversed)
}

/// Balance rows of the company's locations in `locations`, optionally of one item and lot.
pub fn balances(
    conn: &mut DbConnection,
    locations: &[String],
    item: Option<&str>,
    lot: Option<&str>,
) -> QueryResult<Vec<Balance>> {
    let mut q = sb::table
        .filter(sb::location_id.eq_any(locations.to_vec()))
        .into_boxed();
    if let Some(i) = item {
        q = q.filter(sb::item_id.eq(i.to_string()));
    }
    if let Some(l) = lot {
        q = q.filter(sb::lot.eq(l.to_string()));
    }
    q.order((sb::item_id, sb::location_id, sb::lot))
        .select(Balance::as_select())
        .load(conn)
}

/// Moves posted after `after` touching `locations` (to roll balances back to a past date).
pub fn moves_after(
    conn: &mut DbConnection,
    locations: &[String],
    item: Option<&str>,
    after: NaiveDateTime,
) -> QueryResult<Vec<StockMove>> {
    let mut q = sm::table
        .filter(sm::effective_at.gt(after))
        .filter(
            sm::from_location_id
                .eq_any(locations.to_vec())
                .or(sm::to_location_id.eq_any(locations.to_vec())),
        )
        .into_boxed();
    if let Some(i) = item {
        q = q.filter(sm::item_id.eq(i.to_string()));
    }
    q.select(StockMove::as_select()).load(conn)
}

/// Valuation rows (item, warehouse, quantity, value) of some warehouses.
pub fn positions(
    conn: &mut DbConnection,
    warehouses: &[String],
    item: Option<&str>,
) -> QueryResult<Vec<(String, String, i64, i64)>> {
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
    warehouses: &[String],
    item: Option<&str>,
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
    item: &str,
    warehouse: &str,
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
    item: &str,
    warehouse: &str,
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

/// The latest business date of a document's moves.
pub fn latest_effective_of(
    conn: &mut DbConnection,
    company_id: &str,
    reference_type: &str,
    reference_id: &str,
) -> QueryResult<Option<NaiveDateTime>> {
    sm::table
        .filter(sm::company_id.eq(company_id))
        .filter(sm::reference_type.eq(reference_type))
        .filter(sm::reference_id.eq(reference_id))
        .select(diesel::dsl::max(sm::effective_at))
        .first(conn)
}
