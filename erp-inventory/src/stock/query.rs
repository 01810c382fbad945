//! Reading the ledger: moves, stock on hand (now or at a past date), the stock card, and
//! the value of stock. Past states are the current caches minus what was posted since.

use std::collections::{BTreeMap, HashMap};

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::money::{Money, Price, Qty};
use erp_core::pagination::ListParams;

use super::dto::*;
use super::model::StockMove;
use super::repo::{self, MoveFilter};
use crate::ids::{ItemId, LocationId, MoveId, ReservationId, WarehouseId};
use crate::item::dto::ValuationMethod;
use crate::item::{self, model::Item};
use crate::valuation::engine::unit_cost_of;
use crate::warehouse::repo::{self as wh_repo, Location, Warehouse};
use crate::warehouse::service::{load_location, load_visible};

/// The most stock-card lines one request returns; narrow `from`/`to` for more.
const MAX_CARD_LINES: i64 = 5000;

/// Responses for some moves, with the layers each took (one query for all).
pub fn move_responses(
    conn: &mut DbConnection,
    moves: &[StockMove],
) -> Result<Vec<StockMoveResponse>, AppError> {
    let ids: Vec<String> = moves.iter().map(|m| m.id.clone()).collect();
    let mut taken: HashMap<String, Vec<TakenLayer>> = HashMap::new();
    for (t, receipt, received_at, lot) in repo::takes_with_layers(conn, &ids)? {
        taken
            .entry(t.move_id.clone())
            .or_default()
            .push(TakenLayer {
                receipt_move_id: MoveId::from_db(&receipt)?,
                received_at: received_at.and_utc(),
                lot: Some(lot).filter(|l| !l.is_empty()),
                quantity: Qty::from_scaled(t.quantity),
                cost: Money::from_scaled(t.value),
            });
    }
    moves
        .iter()
        .map(|m| move_response(m, taken.remove(&m.id).unwrap_or_default()))
        .collect()
}

pub fn move_response_of(
    conn: &mut DbConnection,
    m: &StockMove,
) -> Result<StockMoveResponse, AppError> {
    Ok(move_responses(conn, std::slice::from_ref(m))?
        .pop()
        .expect("one move in, one out"))
}

/// The response to a move just posted for `item`: a moving-average item takes no layers, so
/// there are none to read.
pub fn posted_move_response(
    conn: &mut DbConnection,
    item: &Item,
    m: &StockMove,
) -> Result<StockMoveResponse, AppError> {
    if item.valuation_method() == ValuationMethod::MovingAverage {
        return move_response(m, Vec::new());
    }
    move_response_of(conn, m)
}

fn move_response(m: &StockMove, layers: Vec<TakenLayer>) -> Result<StockMoveResponse, AppError> {
    Ok(StockMoveResponse {
        id: MoveId::from_db(&m.id)?,
        move_type: m.move_type,
        item_id: m.item_id,
        quantity: Qty::from_scaled(m.quantity),
        entered_quantity: Qty::from_scaled(m.entered_quantity),
        entered_uom_id: m.entered_uom_id,
        from_location_id: m.from_location_id,
        to_location_id: m.to_location_id,
        lot: Some(m.lot.clone()).filter(|l| !l.is_empty()),
        unit_cost: Price::from_scaled(m.unit_cost),
        total_cost: Money::from_scaled(m.total_cost),
        reference_type: m.reference_type.clone(),
        reference_id: m.reference_id.clone(),
        reservation_id: ReservationId::from_db_opt(m.reservation_id.as_deref())?,
        reversal_of_id: MoveId::from_db_opt(m.reversal_of_id.as_deref())?,
        note: m.note.clone(),
        posted_at: m.posted_at.and_utc(),
        effective_at: m.effective_at.and_utc(),
        user_id: m.user_id,
        layers,
    })
}

/// Warehouses in scope: one (checked), or all the actor may see.
pub(crate) fn warehouses_in_scope(
    conn: &mut DbConnection,
    actor: &Actor,
    warehouse: Option<WarehouseId>,
) -> Result<Vec<Warehouse>, AppError> {
    if let Some(w) = warehouse {
        return Ok(vec![load_visible(conn, actor, w)?]);
    }
    Ok(wh_repo::list(
        conn,
        actor.company_id,
        actor.visible_branches().as_deref(),
    )?)
}

/// Locations in scope (one location, one warehouse, or everything visible), by id.
fn locations_in_scope(
    conn: &mut DbConnection,
    actor: &Actor,
    warehouse: Option<WarehouseId>,
    location: Option<LocationId>,
) -> Result<BTreeMap<LocationId, (Location, Warehouse)>, AppError> {
    let mut out = BTreeMap::new();
    if let Some(l) = location {
        let (loc, wh) = load_location(conn, actor, l)?;
        if warehouse.is_some_and(|w| w != wh.id) {
            return Err(AppError::field(
                "location_id",
                "is not in the warehouse given",
            ));
        }
        out.insert(loc.id, (loc, wh));
        return Ok(out);
    }
    for wh in warehouses_in_scope(conn, actor, warehouse)? {
        for loc in wh_repo::locations_of(conn, wh.id)? {
            out.insert(loc.id, (loc, wh.clone()));
        }
    }
    Ok(out)
}

/// SKUs of the items named, in one query.
pub(crate) fn skus_of<'a>(
    conn: &mut DbConnection,
    actor: &Actor,
    ids: impl Iterator<Item = &'a ItemId>,
) -> Result<HashMap<ItemId, String>, AppError> {
    let ids = erp_core::ids::distinct(ids.copied());
    Ok(item::repo::skus(conn, actor.company_id, &ids)?)
}

pub fn get_move(
    conn: &mut DbConnection,
    actor: &Actor,
    id: MoveId,
) -> Result<StockMoveResponse, AppError> {
    actor.require("inventory.stock.read")?;
    let m = repo::find_move(conn, &id.to_string(), actor.company_id)?
        .ok_or(AppError::NotFound("stock move"))?;
    // A move is visible when one of its sides is.
    let visible = [&m.from_location_id, &m.to_location_id]
        .into_iter()
        .flatten()
        .any(|l| load_location(conn, actor, *l).is_ok());
    if !visible {
        return Err(AppError::NotFound("stock move"));
    }
    move_response_of(conn, &m)
}

pub fn list_moves(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: MoveListQuery,
) -> Result<StockMovePage, AppError> {
    actor.require("inventory.stock.read")?;
    let page = params.validate()?;
    let restricted =
        q.warehouse_id.is_some() || q.location_id.is_some() || !actor.sees_all_branches();
    let locations = if restricted {
        Some(
            locations_in_scope(conn, actor, q.warehouse_id, q.location_id)?
                .into_keys()
                .collect(),
        )
    } else {
        None
    };
    crate::item::service::check_filter(conn, actor, q.item_id)?;
    let filter = MoveFilter {
        item_id: q.item_id.map(|i| i.to_string()),
        locations,
        reference_type: q.reference_type,
        reference_id: q.reference_id,
        from: q.from.map(|t| t.naive_utc()).or(page.updated_since),
        to: q.to.map(|t| t.naive_utc()),
    };
    let rows = repo::list_moves(
        conn,
        actor.company_id,
        &filter,
        page.after.as_deref(),
        page.fetch_limit(),
    )?;
    let (rows, next_cursor) = page.finish(rows, |m| &m.id);
    Ok(StockMovePage {
        items: move_responses(conn, &rows)?,
        next_cursor,
    })
}

/// The effect of a move on one location: + in, - out.
fn effect_on(m: &StockMove, location: LocationId) -> i64 {
    let mut e = 0;
    if m.to_location_id == Some(location) {
        e += m.quantity;
    }
    if m.from_location_id == Some(location) {
        e -= m.quantity;
    }
    e
}

/// (on hand, reserved) per (item, location, lot).
pub(crate) type OnHand = BTreeMap<(ItemId, LocationId, String), (i64, i64)>;

/// (on hand, reserved) per (item, location, lot) in some locations: now, or at instant
/// `as_of` by business date (the cache minus what was dated since; reserved is then the
/// current reservation).
pub(crate) fn on_hand_as_of(
    conn: &mut DbConnection,
    locations: &[LocationId],
    item: Option<ItemId>,
    lot: Option<&str>,
    as_of: Option<chrono::NaiveDateTime>,
) -> Result<OnHand, AppError> {
    let mut rows: OnHand = repo::balances(conn, locations, item, lot)?
        .into_iter()
        .map(|b| ((b.item_id, b.location_id, b.lot), (b.on_hand, b.reserved)))
        .collect();
    if let Some(t) = as_of {
        for m in repo::moves_after(conn, locations, item, t)? {
            if lot.is_some_and(|l| l != m.lot) {
                continue;
            }
            for loc in [m.from_location_id, m.to_location_id].into_iter().flatten() {
                if let Some(entry) = rows.get_mut(&(m.item_id, loc, m.lot.clone())) {
                    entry.0 -= effect_on(&m, loc);
                }
            }
        }
    }
    Ok(rows)
}

pub fn stock_on_hand(
    conn: &mut DbConnection,
    actor: &Actor,
    q: StockQuery,
) -> Result<StockReport, AppError> {
    actor.require("inventory.stock.read")?;
    let scope = locations_in_scope(conn, actor, q.warehouse_id, q.location_id)?;
    let ids: Vec<LocationId> = scope.keys().cloned().collect();
    crate::item::service::check_filter(conn, actor, q.item_id)?;
    let as_of = q.as_of.map(|t| t.naive_utc());
    let mut rows = on_hand_as_of(conn, &ids, q.item_id, q.lot.as_deref(), as_of)?;
    rows.retain(|_, (on_hand, _)| *on_hand != 0 || q.include_zero);
    let skus = skus_of(conn, actor, rows.keys().map(|k| &k.0))?;
    let mut items = Vec::new();
    for ((item_id, location_id, lot), (on_hand, reserved)) in rows {
        let (loc, wh) = &scope[&location_id];
        let current = as_of.is_none();
        items.push(StockLine {
            item_id,
            sku: skus[&item_id].clone(),
            warehouse_id: wh.id,
            location_id,
            location_code: loc.code.clone(),
            lot: Some(lot).filter(|l| !l.is_empty()),
            on_hand: Qty::from_scaled(on_hand),
            reserved: current.then(|| Qty::from_scaled(reserved)),
            available: current.then(|| {
                Qty::from_scaled(if loc.is_available() {
                    (on_hand - reserved).max(0)
                } else {
                    0
                })
            }),
        });
    }
    Ok(StockReport {
        as_of: q.as_of,
        items,
    })
}

pub fn stock_card(
    conn: &mut DbConnection,
    actor: &Actor,
    item_id: ItemId,
    q: StockCardQuery,
) -> Result<StockCard, AppError> {
    actor.require("inventory.stock.read")?;
    let item: Item = item::service::load(conn, actor, item_id)?;
    let scope = locations_in_scope(conn, actor, q.warehouse_id, q.location_id)?;
    let ids: Vec<LocationId> = scope.keys().cloned().collect();
    let (from, to) = (q.from.map(|t| t.naive_utc()), q.to.map(|t| t.naive_utc()));
    if let (Some(f), Some(t)) = (from, to) {
        if f >= t {
            return Err(AppError::field("to", "must be after `from`"));
        }
    }
    let effect = |m: &StockMove| ids.iter().map(|l| effect_on(m, *l)).sum::<i64>();
    let current: i64 = repo::balances(conn, &ids, Some(item.id), None)?
        .iter()
        .map(|b| b.on_hand)
        .sum();
    // Opening = now minus everything dated since `from` (nothing came before the beginning).
    let opening = match from {
        Some(f) => {
            let since = f - chrono::Duration::microseconds(1);
            current
                - repo::moves_after(conn, &ids, Some(item.id), since)?
                    .iter()
                    .map(effect)
                    .sum::<i64>()
        }
        None => 0,
    };
    let moves = repo::moves_of_item(conn, item.id, Some(&ids), from, to, MAX_CARD_LINES + 1)?;
    if moves.len() as i64 > MAX_CARD_LINES {
        return Err(AppError::field(
            "from",
            format!("more than {MAX_CARD_LINES} moves: narrow the period"),
        ));
    }
    let mut balance = opening;
    let mut lines = Vec::with_capacity(moves.len());
    for m in &moves {
        let (mut qin, mut qout) = (0, 0);
        for l in &ids {
            if m.to_location_id == Some(*l) {
                qin += m.quantity;
            }
            if m.from_location_id == Some(*l) {
                qout += m.quantity;
            }
        }
        balance += qin - qout;
        lines.push(StockCardLine {
            move_id: MoveId::from_db(&m.id)?,
            posted_at: m.posted_at.and_utc(),
            effective_at: m.effective_at.and_utc(),
            move_type: m.move_type,
            quantity_in: Qty::from_scaled(qin),
            quantity_out: Qty::from_scaled(qout),
            balance: Qty::from_scaled(balance),
            total_cost: Money::from_scaled(m.total_cost),
            lot: Some(m.lot.clone()).filter(|l| !l.is_empty()),
            reference_type: m.reference_type.clone(),
            reference_id: m.reference_id.clone(),
        });
    }
    Ok(StockCard {
        item_id,
        opening_balance: Qty::from_scaled(opening),
        closing_balance: Qty::from_scaled(balance),
        lines,
    })
}

pub fn valuation_report(
    conn: &mut DbConnection,
    actor: &Actor,
    q: ValuationQuery,
) -> Result<ValuationReport, AppError> {
    actor.require("inventory.valuation.read")?;
    let warehouses = warehouses_in_scope(conn, actor, q.warehouse_id)?;
    let ids: Vec<WarehouseId> = warehouses.iter().map(|w| w.id).collect();
    crate::item::service::check_filter(conn, actor, q.item_id)?;
    let item = q.item_id;
    let mut rows: BTreeMap<(ItemId, WarehouseId), (i64, i64)> = repo::positions(conn, &ids, item)?
        .into_iter()
        .map(|(i, w, qty, v)| ((i, w), (qty, v)))
        .collect();
    if let Some(t) = q.as_of {
        for e in repo::entries_after(conn, &ids, item, t.naive_utc())? {
            if let Some(r) = rows.get_mut(&(e.item_id, e.warehouse_id)) {
                r.0 -= e.quantity;
                r.1 -= e.value;
            }
        }
    }
    rows.retain(|_, (qty, value)| *qty != 0 || *value != 0);
    let skus = skus_of(conn, actor, rows.keys().map(|k| &k.0))?;
    let mut items = Vec::new();
    let mut total = 0i64;
    for ((item_id, wh), (qty, value)) in rows {
        total += value;
        let (quantity, value) = (Qty::from_scaled(qty), Money::from_scaled(value));
        items.push(ValuationLine {
            item_id,
            sku: skus[&item_id].clone(),
            warehouse_id: wh,
            quantity,
            value,
            average_unit_cost: if qty > 0 {
                unit_cost_of(value, quantity).unwrap_or_default()
            } else {
                Price::ZERO
            },
        });
    }
    Ok(ValuationReport {
        as_of: q.as_of,
        items,
        total_value: Money::from_scaled(total),
    })
}

/// The valuation report as a chart: value per warehouse and the ABC picture.
pub fn valuation_chart(
    conn: &mut DbConnection,
    actor: &Actor,
    q: ValuationQuery,
) -> Result<erp_core::chart::BarChart, AppError> {
    let report = valuation_report(conn, actor, q)?;
    let names = crate::warehouse::repo::list(conn, actor.company_id, None)?
        .into_iter()
        .map(|w| Ok((w.id, w.name)))
        .collect::<Result<_, AppError>>()?;
    Ok(super::chart::valuation(&report, &names))
}
