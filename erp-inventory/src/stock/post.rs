//! Posting moves: the one place stock changes. Physical balances, valuation positions, FIFO
//! layers, value entries and the move itself are written in one transaction.

use std::collections::BTreeMap;

use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::{Money, Price, Qty};
use uuid::Uuid;

use super::convert;
use super::dto::{MoveType, PostMoveRequest, ReverseMoveRequest, StockMoveResponse};
use super::model::{CostLayer, StockMove, ValueEntry};
use super::query::move_response;
use super::repo;
use crate::item::{self, model::Item};
use crate::reservation::repo::{self as reservation_repo, Reservation};
use crate::valuation::engine::{issue_fifo, unit_cost_of, value_of, CostError, Layer, Position};
use crate::warehouse::repo::{Location, Warehouse};
use crate::warehouse::service::load_location;

/// One side of a move: a location and its warehouse.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub location: Location,
    pub warehouse: Warehouse,
}

/// A move ready to apply: resolved, converted to the base unit, checked.
struct NewMove<'a> {
    move_type: MoveType,
    item: &'a Item,
    quantity: Qty,
    entered_quantity: Qty,
    entered_uom: String,
    from: Option<Endpoint>,
    to: Option<Endpoint>,
    lot: String,
    unit_cost: Option<Price>,
    reference_type: Option<String>,
    reference_id: Option<String>,
    reservation: Option<Reservation>,
    reversal_of: Option<StockMove>,
    note: Option<String>,
}

fn cost_error(e: CostError) -> AppError {
    match e {
        CostError::NotEnoughLayers {
            requested,
            available,
        } => AppError::conflict(
            "fifo_layers_exhausted",
            format!(
                "FIFO items cannot go below zero: {requested} requested, {available} in layers"
            ),
        ),
        CostError::Amount(a) => AppError::Unprocessable {
            code: "amount_out_of_range",
            detail: a.to_string(),
        },
    }
}

/// Whose view of locations a move is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// The actor's branches (moves posted directly).
    Actor,
    /// The whole company: a document the actor may act on authorises both its sides
    /// (a transfer received in one branch takes goods from another branch's transit).
    Company,
}

fn resolve(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Option<Uuid>,
    field: &str,
    visibility: Visibility,
) -> Result<Option<Endpoint>, AppError> {
    let Some(id) = id else { return Ok(None) };
    let found = match visibility {
        Visibility::Actor => load_location(conn, actor, &id.to_string()).ok(),
        Visibility::Company => crate::warehouse::repo::find_location(conn, &id.to_string())?
            .map(|l| {
                crate::warehouse::repo::find(conn, &l.warehouse_id, &actor.company_id.to_db())
                    .map(|w| w.map(|w| (l, w)))
            })
            .transpose()?
            .flatten(),
    };
    let (location, warehouse) = found.ok_or_else(|| AppError::field(field, "no such location"))?;
    if !location.active || !warehouse.active {
        return Err(AppError::field(
            field,
            "the location or its warehouse is not active",
        ));
    }
    Ok(Some(Endpoint {
        location,
        warehouse,
    }))
}

/// Posts a move given through the API.
pub fn post_move(
    conn: &mut DbConnection,
    actor: &Actor,
    req: PostMoveRequest,
) -> Result<StockMoveResponse, AppError> {
    actor.require("inventory.stock.post")?;
    post_move_for_document(conn, actor, req, Visibility::Actor)
}

/// Posts a move on behalf of a document (a purchase order receipt) whose own permission the
/// caller has checked. Inside the caller's transaction it is a savepoint.
pub fn post_move_for_document(
    conn: &mut DbConnection,
    actor: &Actor,
    req: PostMoveRequest,
    visibility: Visibility,
) -> Result<StockMoveResponse, AppError> {
    let mut v = Validator::new();
    v.check(
        req.quantity > Qty::ZERO,
        "quantity",
        "must be greater than zero",
    );
    v.check(
        req.move_type != MoveType::Reversal,
        "move_type",
        "reversals are made with POST /stock-moves/{id}/reverse",
    );
    v.check(
        req.unit_cost.is_none_or(|c| c >= Price::ZERO),
        "unit_cost",
        "must not be negative",
    );
    v.opt_text("lot", req.lot.as_deref(), 100);
    v.opt_text("reference_type", req.reference_type.as_deref(), 50);
    v.opt_text("reference_id", req.reference_id.as_deref(), 100);
    v.opt_text("note", req.note.as_deref(), 2000);
    v.finish()?;
    write_tx(conn, |conn| {
        let item = item::service::load(conn, actor, req.item_id)
            .map_err(|_| AppError::field("item_id", "no such item"))?;
        if item.item_type == "service" {
            return Err(AppError::field("item_id", "services are not stocked"));
        }
        if !item.active {
            return Err(AppError::field("item_id", "the item is not active"));
        }
        let from = resolve(
            conn,
            actor,
            req.from_location_id,
            "from_location_id",
            visibility,
        )?;
        let mut to = resolve(
            conn,
            actor,
            req.to_location_id,
            "to_location_id",
            visibility,
        )?;
        let mut v = Validator::new();
        match req.move_type {
            MoveType::Receipt => {
                v.check(
                    from.is_none(),
                    "from_location_id",
                    "a receipt comes from outside: leave it out",
                );
                v.check(
                    to.as_ref().is_some_and(|t| t.location.is_available()),
                    "to_location_id",
                    "a receipt needs a storage or receiving location",
                );
            }
            MoveType::Issue => {
                v.check(
                    from.is_some(),
                    "from_location_id",
                    "an issue needs the location it leaves",
                );
                v.check(
                    to.is_none(),
                    "to_location_id",
                    "an issue goes outside: leave it out",
                );
            }
            MoveType::Transfer => {
                v.check(
                    from.is_some(),
                    "from_location_id",
                    "a transfer needs both locations",
                );
                v.check(
                    to.is_some(),
                    "to_location_id",
                    "a transfer needs both locations",
                );
                if let (Some(f), Some(t)) = (&from, &to) {
                    v.check(
                        f.location.id != t.location.id,
                        "to_location_id",
                        "must differ from from_location_id",
                    );
                }
            }
            MoveType::Adjustment => {
                v.check(
                    from.is_some() != to.is_some(),
                    "to_location_id",
                    "an adjustment has either to_location_id (adds) or from_location_id (removes)",
                );
            }
            MoveType::Scrap => {
                v.check(
                    from.as_ref().is_some_and(|f| f.location.kind != "scrap"),
                    "from_location_id",
                    "scrap needs the location it leaves",
                );
                if to.is_none() {
                    if let Some(f) = &from {
                        let scrap = crate::warehouse::repo::special_location(
                            conn,
                            &f.warehouse.id,
                            "scrap",
                        )?;
                        to = scrap.map(|location| Endpoint {
                            location,
                            warehouse: f.warehouse.clone(),
                        });
                    }
                }
                v.check(
                    to.as_ref().is_none_or(|t| t.location.kind == "scrap"),
                    "to_location_id",
                    "must be a scrap location",
                );
            }
            MoveType::Reversal => {}
        }
        let reservation = match req.reservation_id {
            None => None,
            Some(id) => {
                let r = reservation_repo::find(conn, &id.to_string(), &actor.company_id.to_db())?
                    .ok_or_else(|| AppError::field("reservation_id", "no such reservation"))?;
                let matches = r.item_id == item.id
                    && from
                        .as_ref()
                        .is_some_and(|f| f.location.id == r.location_id)
                    && r.lot == req.lot.clone().unwrap_or_default();
                v.check(
                    matches,
                    "reservation_id",
                    "reserves another item, location or lot",
                );
                v.check(
                    matches!(req.move_type, MoveType::Issue | MoveType::Transfer),
                    "reservation_id",
                    "only issues and transfers consume reservations",
                );
                if r.status != "open" {
                    return Err(AppError::InvalidState {
                        entity: "reservation",
                        action: "issue against",
                        current: r.status,
                    });
                }
                Some(r)
            }
        };
        v.finish()?;
        let entered_uom = req
            .uom_id
            .map(|u| u.to_string())
            .unwrap_or_else(|| item.base_uom_id.clone());
        let quantity = convert::to_base(conn, &item, req.quantity, &entered_uom, "quantity")?;
        let lot = check_lot(
            conn,
            &item,
            req.lot.as_deref(),
            quantity,
            to.is_some() && from.is_none(),
        )?;
        if let Some(r) = &reservation {
            if quantity.to_scaled().unwrap_or(i64::MAX) > r.quantity - r.consumed {
                return Err(AppError::field(
                    "quantity",
                    "is more than the reservation has left",
                ));
            }
        }
        let posted = apply(
            conn,
            actor,
            NewMove {
                move_type: req.move_type,
                item: &item,
                quantity,
                entered_quantity: req.quantity,
                entered_uom,
                from,
                to,
                lot,
                unit_cost: req.unit_cost,
                reference_type: req.reference_type.clone(),
                reference_id: req.reference_id.clone(),
                reservation,
                reversal_of: None,
                note: req.note.clone(),
            },
        )?;
        move_response(&posted)
    })
}

/// Lot rules: untracked items have none; lot- and serial-tracked items need one; a serial
/// number is one unit and cannot come in twice.
fn check_lot(
    conn: &mut DbConnection,
    item: &Item,
    lot: Option<&str>,
    quantity: Qty,
    incoming: bool,
) -> Result<String, AppError> {
    let lot = lot.map(str::trim).unwrap_or("").to_string();
    match item.tracking.as_str() {
        "none" if !lot.is_empty() => Err(AppError::field(
            "lot",
            "the item is not tracked by lot or serial",
        )),
        "lot" | "serial" if lot.is_empty() => Err(AppError::field(
            "lot",
            "the item is tracked: give the lot or serial number",
        )),
        "serial" if quantity != Qty::new(1.into()).unwrap_or_default() => Err(AppError::field(
            "quantity",
            "a serial number is exactly one unit",
        )),
        "serial" if incoming && repo::on_hand_of_lot(conn, &item.id, &lot)? > 0 => {
            Err(AppError::conflict(
                "duplicate_serial",
                format!("serial number {lot} is already in stock"),
            ))
        }
        _ => Ok(lot),
    }
}

/// Reverses a move: the same quantity back the other way, at the value it carried.
pub fn reverse_move(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    req: ReverseMoveRequest,
) -> Result<StockMoveResponse, AppError> {
    actor.require("inventory.stock.post")?;
    write_tx(conn, |conn| {
        let original = repo::find_move(conn, &id.to_string(), &actor.company_id.to_db())?
            .ok_or(AppError::NotFound("stock move"))?;
        if original.move_type == "reversal" {
            return Err(AppError::InvalidState {
                entity: "stock move",
                action: "reverse",
                current: "a reversal".into(),
            });
        }
        if repo::reversal_of(conn, &original.id)?.is_some() {
            return Err(AppError::InvalidState {
                entity: "stock move",
                action: "reverse",
                current: "reversed".into(),
            });
        }
        let item = item::repo::find(conn, &original.item_id, &original.company_id)?
            .ok_or(AppError::NotFound("item"))?;
        let side =
            |conn: &mut DbConnection, loc: &Option<String>| -> Result<Option<Endpoint>, AppError> {
                match loc {
                    None => Ok(None),
                    Some(l) => {
                        let (location, warehouse) = load_location(conn, actor, l)?;
                        Ok(Some(Endpoint {
                            location,
                            warehouse,
                        }))
                    }
                }
            };
        let from = side(conn, &original.to_location_id)?;
        let to = side(conn, &original.from_location_id)?;
        let posted = apply(
            conn,
            actor,
            NewMove {
                move_type: MoveType::Reversal,
                item: &item,
                quantity: Qty::from_scaled(original.quantity),
                entered_quantity: Qty::from_scaled(original.entered_quantity),
                entered_uom: original.entered_uom_id.clone(),
                from,
                to,
                lot: original.lot.clone(),
                unit_cost: None,
                reference_type: original.reference_type.clone(),
                reference_id: original.reference_id.clone(),
                reservation: None,
                reversal_of: Some(original),
                note: req.note,
            },
        )?;
        move_response(&posted)
    })
}

fn insufficient(
    conn: &mut DbConnection,
    item: &Item,
    location: &str,
    lot: &str,
    requested: i64,
) -> AppError {
    let available = repo::balance(conn, &item.id, location, lot)
        .ok()
        .flatten()
        .map_or(0, |b| b.on_hand - b.reserved)
        .max(0);
    AppError::InsufficientStock {
        item: item.sku.clone(),
        requested: Qty::from_scaled(requested).to_string(),
        available: Qty::from_scaled(available).to_string(),
    }
}

fn apply(conn: &mut DbConnection, actor: &Actor, m: NewMove<'_>) -> Result<StockMove, AppError> {
    let q = m
        .quantity
        .to_scaled()
        .map_err(|e| AppError::field("quantity", e.to_string()))?;
    let item = m.item;
    let valued = |e: &Option<Endpoint>| e.clone().filter(|e| e.location.is_valued());
    let (from_valued, to_valued) = (valued(&m.from), valued(&m.to));
    let same_warehouse = matches!((&from_valued, &to_valued), (Some(f), Some(t)) if f.warehouse.id == t.warehouse.id);
    let out_wh = from_valued.filter(|_| !same_warehouse).map(|e| e.warehouse);
    let in_wh = to_valued.filter(|_| !same_warehouse).map(|e| e.warehouse);

    // Lock order: valuation rows by warehouse id, then balances by location id.
    let mut positions: BTreeMap<String, Position> = BTreeMap::new();
    for w in [&out_wh, &in_wh].into_iter().flatten() {
        positions.entry(w.id.clone()).or_default();
    }
    for (wid, pos) in positions.iter_mut() {
        let (qty, value) = repo::lock_position(conn, &item.id, wid)?;
        *pos = Position {
            quantity: Qty::from_scaled(qty),
            value: Money::from_scaled(value),
        };
    }
    let mut sides: Vec<(&Endpoint, bool)> = Vec::new();
    if let Some(f) = &m.from {
        sides.push((f, true));
    }
    if let Some(t) = &m.to {
        sides.push((t, false));
    }
    sides.sort_by(|a, b| a.0.location.id.cmp(&b.0.location.id));
    for (side, outgoing) in sides {
        let loc = &side.location.id;
        if !outgoing {
            repo::add_on_hand(conn, &item.id, loc, &m.lot, q)?;
        } else if m.reservation.is_some() {
            if !repo::take_reserved(conn, &item.id, loc, &m.lot, q)? {
                return Err(insufficient(conn, item, loc, &m.lot, q));
            }
        } else if side.warehouse.allow_negative {
            repo::add_on_hand(conn, &item.id, loc, &m.lot, -q)?;
        } else if !repo::take_available(conn, &item.id, loc, &m.lot, q)? {
            return Err(insufficient(conn, item, loc, &m.lot, q));
        }
    }

    let move_id = new_id();
    let posted_at = now();
    let fifo = item.valuation == "fifo";
    let standard = Price::new(Money::from_scaled(item.standard_cost).value()).unwrap_or_default();
    let mut entries = Vec::new();
    let mut new_layer = None;
    let mut out_cost = None;
    if let Some(w) = &out_wh {
        let pos = positions.get_mut(&w.id).expect("locked above");
        let reversing_incoming = m
            .reversal_of
            .as_ref()
            .filter(|o| o.to_location_id.as_ref() == m.from.as_ref().map(|f| &f.location.id));
        let cost = match reversing_incoming {
            Some(original) => {
                let cost = Money::from_scaled(original.total_cost);
                if fifo {
                    match repo::layer_of_move(conn, &original.id)? {
                        Some(layer) if layer.quantity_remaining == original.quantity => repo::update_layer(conn, &layer.id, 0, 0)?,
                        _ => {
                            return Err(AppError::conflict(
                                "layer_consumed",
                                "stock from this move was already issued; correct it with an adjustment",
                            ))
                        }
                    }
                }
                pos.quantity = Qty::new(pos.quantity.value() - m.quantity.value())
                    .map_err(|e| cost_error(e.into()))?;
                pos.value = Money::new(pos.value.value() - cost.value())
                    .map_err(|e| cost_error(e.into()))?;
                cost
            }
            None if fifo => {
                let open = repo::open_layers(conn, &item.id, &w.id)?;
                let mut layers: Vec<Layer> = open
                    .iter()
                    .map(|l| Layer {
                        quantity: Qty::from_scaled(l.quantity_remaining),
                        value: Money::from_scaled(l.value_remaining),
                    })
                    .collect();
                let (cost, taken) = issue_fifo(&mut layers, m.quantity).map_err(cost_error)?;
                for t in taken {
                    let l = &layers[t.layer];
                    repo::update_layer(
                        conn,
                        &open[t.layer].id,
                        l.quantity.to_scaled().unwrap_or(0),
                        l.value.to_scaled().unwrap_or(0),
                    )?;
                }
                pos.quantity = Qty::new(pos.quantity.value() - m.quantity.value())
                    .map_err(|e| cost_error(e.into()))?;
                pos.value = Money::new(pos.value.value() - cost.value())
                    .map_err(|e| cost_error(e.into()))?;
                cost
            }
            None => pos
                .issue_moving_average(m.quantity, standard)
                .map_err(cost_error)?,
        };
        entries.push((w.id.clone(), -q, -cost.to_scaled().unwrap_or(0)));
        out_cost = Some(cost);
    }
    let mut in_value = None;
    if let Some(w) = &in_wh {
        let pos = positions.get_mut(&w.id).expect("locked above");
        let value = match (out_cost, &m.reversal_of) {
            (Some(c), _) => c,
            (None, Some(original)) => Money::from_scaled(original.total_cost),
            (None, None) => {
                let unit = m.unit_cost.unwrap_or_else(|| {
                    if m.move_type != MoveType::Receipt && pos.quantity > Qty::ZERO {
                        unit_cost_of(pos.value, pos.quantity).unwrap_or(standard)
                    } else {
                        standard
                    }
                });
                value_of(m.quantity, unit).map_err(cost_error)?
            }
        };
        pos.receive(m.quantity, value).map_err(cost_error)?;
        if fifo {
            new_layer = Some(CostLayer {
                id: new_id(),
                item_id: item.id.clone(),
                warehouse_id: w.id.clone(),
                move_id: move_id.clone(),
                quantity_remaining: q,
                value_remaining: value.to_scaled().unwrap_or(0),
                created_at: posted_at,
            });
        }
        entries.push((w.id.clone(), q, value.to_scaled().unwrap_or(0)));
        in_value = Some(value);
    }
    for (wid, pos) in &positions {
        let qty = pos.quantity.to_scaled().map_err(|e| cost_error(e.into()))?;
        let value = pos.value.to_scaled().map_err(|e| cost_error(e.into()))?;
        repo::save_position(conn, &item.id, wid, qty, value)?;
    }

    let total = out_cost.or(in_value).unwrap_or(Money::ZERO);
    let unit_cost = match (m.unit_cost, out_cost) {
        (Some(u), None) => u,
        _ => unit_cost_of(total, m.quantity).map_err(cost_error)?,
    };
    let posted = StockMove {
        id: move_id.clone(),
        company_id: actor.company_id.to_db(),
        item_id: item.id.clone(),
        move_type: enum_to_db(&m.move_type),
        quantity: q,
        entered_quantity: m
            .entered_quantity
            .to_scaled()
            .map_err(|e| AppError::field("quantity", e.to_string()))?,
        entered_uom_id: m.entered_uom,
        from_location_id: m.from.as_ref().map(|f| f.location.id.clone()),
        to_location_id: m.to.as_ref().map(|t| t.location.id.clone()),
        lot: m.lot,
        unit_cost: unit_cost.to_scaled().map_err(|e| cost_error(e.into()))?,
        total_cost: total.to_scaled().map_err(|e| cost_error(e.into()))?,
        reference_type: m.reference_type,
        reference_id: m.reference_id,
        reservation_id: m.reservation.as_ref().map(|r| r.id.clone()),
        reversal_of_id: m.reversal_of.as_ref().map(|o| o.id.clone()),
        note: m.note,
        posted_at,
        user_id: actor.user_id.to_db(),
    };
    repo::insert_move(conn, &posted)?;
    let branch_of = |wid: &str| {
        [&m.from, &m.to]
            .into_iter()
            .flatten()
            .find(|e| e.warehouse.id == wid)
            .map(|e| e.warehouse.branch_id.clone())
            .unwrap_or_default()
    };
    let values: Vec<(String, String, i64)> = entries
        .iter()
        .map(|(wid, _, value)| (wid.clone(), branch_of(wid), *value))
        .collect();
    let reversed_type = m.reversal_of.as_ref().map(|o| o.move_type.clone());
    for (warehouse_id, quantity, value) in entries {
        repo::insert_entry(
            conn,
            &ValueEntry {
                id: new_id(),
                move_id: move_id.clone(),
                item_id: item.id.clone(),
                warehouse_id,
                quantity,
                value,
                posted_at,
            },
        )?;
    }
    if let Some(layer) = new_layer {
        repo::insert_layer(conn, &layer)?;
    }
    super::ledger::post_value(
        conn,
        actor,
        &posted,
        item,
        &values,
        reversed_type.as_deref(),
    )?;
    if let Some(r) = &m.reservation {
        if !reservation_repo::consume(conn, &r.id, q)? {
            return Err(AppError::field(
                "quantity",
                "is more than the reservation has left",
            ));
        }
    }
    Ok(posted)
}

/// The lines of a receipt against a document (purchase order, transfer): at least one, each
/// with a positive quantity.
pub(crate) fn check_receipt_quantities(
    quantities: impl ExactSizeIterator<Item = Qty>,
) -> Result<(), AppError> {
    let mut v = Validator::new();
    v.check(
        quantities.len() > 0,
        "lines",
        "name at least one line to receive",
    );
    for (i, q) in quantities.enumerate() {
        v.check(
            q > Qty::ZERO,
            &format!("lines[{i}].quantity"),
            "must be greater than zero",
        );
    }
    v.finish()
}
