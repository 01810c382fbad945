//! Queries of the ledger and its caches. Every change to a cache is an atomic update that
//! names its guard, so two processes on one PostgreSQL cannot oversell. The value side
//! (positions, layers, value entries) is in `valuation.rs`; the reservations held against
//! the balances in `reservations.rs`, here because a posting consumes them.

pub mod reservations;
mod valuation;

use erp_core::ids::CompanyId;
pub use valuation::*;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{stock_balances as sb, stock_moves as sm};
use erp_core::db::{update_or_insert, DbConnection};

use super::dto::MoveType;
use super::model::{Balance, StockMove};
use crate::ids::{ItemId, LocationId};

/// Lists bound into one `IN (...)` at most (SQLite allows 32,766 parameters).
pub(super) const CHUNK: usize = 10_000;

pub fn insert_move(conn: &mut DbConnection, m: &StockMove) -> QueryResult<()> {
    diesel::insert_into(sm::table)
        .values(m)
        .execute(conn)
        .map(|_| ())
}

pub fn find_move(
    conn: &mut DbConnection,
    id: &str,
    company_id: CompanyId,
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
    item: ItemId,
    location: LocationId,
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
    item: ItemId,
    location: LocationId,
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
    item: ItemId,
    location: LocationId,
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
    item: ItemId,
    location: LocationId,
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
    item: ItemId,
    location: LocationId,
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
    item: ItemId,
    location: LocationId,
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
pub fn on_hand_of_lot(conn: &mut DbConnection, item: ItemId, lot: &str) -> QueryResult<i64> {
    let rows: Vec<i64> = sb::table
        .filter(sb::item_id.eq(item))
        .filter(sb::lot.eq(lot))
        .select(sb::on_hand)
        .load(conn)?;
    Ok(rows.iter().sum())
}

/// Moves of an item touching any of `locations` (all when None), posted in [from, to).
pub fn moves_of_item(
    conn: &mut DbConnection,
    item: ItemId,
    locations: Option<&[LocationId]>,
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
    pub locations: Option<Vec<LocationId>>,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

pub fn list_moves(
    conn: &mut DbConnection,
    company_id: CompanyId,
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
    company_id: CompanyId,
    reference_type: &str,
    reference_id: &str,
    move_type: MoveType,
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
    locations: &[LocationId],
    item: Option<ItemId>,
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
    locations: &[LocationId],
    item: Option<ItemId>,
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

/// The latest business date of a document's moves.
pub fn latest_effective_of(
    conn: &mut DbConnection,
    company_id: CompanyId,
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
