//! Posting moves: the one place stock changes. Physical balances, valuation positions, FIFO
//! layers, value entries and the move itself are written in one transaction.

use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::{Money, Price, Qty};
use uuid::Uuid;

use super::convert;
use super::costing::{self, Book, Cascade, Flow};
use super::dto::{MoveType, PostMoveRequest, ReverseMoveRequest, StockMoveResponse};
use super::ledger::Restatement;
use super::model::{StockMove, ValueEntry, ENTRY_MOVE, ENTRY_RESIDUE};
use super::query::posted_move_response;
use super::repo;
use super::repo::reservations::{self as reservation_repo, Reservation};
use crate::error::InventoryError;
use crate::item::{self, model::Item};
use crate::valuation::engine::{unit_cost_of, value_of, CostError};
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
    effective_at: chrono::NaiveDateTime,
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
        Visibility::Company => crate::warehouse::repo::find_location_in(
            conn,
            &id.to_string(),
            &actor.company_id.to_db(),
        )?,
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
        let effective_at = business_date(conn, actor, req.effective_at)?;
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
                effective_at,
            },
        )?;
        posted_move_response(conn, &item, &posted)
    })
}

/// How far ahead of the clock a business date may lie (clocks differ).
const FUTURE_TOLERANCE_MINUTES: i64 = 5;

/// The business date of a move: `requested` or now. Not more than a few minutes ahead, not
/// further back than the company's `stock_backdate_days`, and never in a closed fiscal period.
pub fn business_date(
    conn: &mut DbConnection,
    actor: &Actor,
    requested: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<chrono::NaiveDateTime, AppError> {
    let at = now();
    let Some(requested) = requested else {
        return Ok(at);
    };
    let date = requested.naive_utc();
    if date > at + chrono::Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
        return Err(AppError::field(
            "effective_at",
            "lies in the future: goods are posted when they have moved",
        ));
    }
    let company = actor.company_id.to_db();
    let days =
        erp_core::org::company::repo::find(conn, &company)?.map_or(0, |c| c.stock_backdate_days);
    if date < at - chrono::Duration::days(i64::from(days)) {
        return Err(AppError::field(
            "effective_at",
            format!("lies more than {days} days back (the company's stock_backdate_days)"),
        ));
    }
    if let Some(period) = erp_finance::period::repo::covering(conn, &company, date.date())? {
        if period.status != "open" {
            return Err(InventoryError::PeriodClosed(period.name()).into());
        }
    }
    Ok(date.min(at))
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
            Err(InventoryError::DuplicateSerial(lot).into())
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
        let effective_at = business_date(conn, actor, req.effective_at)?;
        if effective_at < original.effective_at {
            return Err(AppError::field(
                "effective_at",
                "a reversal cannot be dated before the move it reverses",
            ));
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
                effective_at,
            },
        )?;
        posted_move_response(conn, &item, &posted)
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

    // Lock order: valuation rows by warehouse id, then balances by location id. Each book
    // holds the item's value in one warehouse as it stood at the move's business date.
    let mut valued: Vec<Warehouse> = [&out_wh, &in_wh].into_iter().flatten().cloned().collect();
    valued.sort_by(|a, b| a.id.cmp(&b.id));
    let move_id = new_id();
    let start = (m.effective_at, move_id.clone());
    let mut books = Vec::with_capacity(valued.len());
    for w in valued {
        books.push(Book::open(conn, item, w, &start)?);
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

    let standard = Price::new(Money::from_scaled(item.standard_cost).value()).unwrap_or_default();
    let mut posted = StockMove {
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
        unit_cost: 0,
        total_cost: 0,
        reference_type: m.reference_type,
        reference_id: m.reference_id,
        reservation_id: m.reservation.as_ref().map(|r| r.id.clone()),
        reversal_of_id: m.reversal_of.as_ref().map(|o| o.id.clone()),
        note: m.note,
        posted_at: now(),
        user_id: actor.user_id.to_db(),
        effective_at: m.effective_at,
    };
    let book_of = |books: &[Book<'_>], id: &str| {
        books
            .iter()
            .position(|b| b.warehouse.id == id)
            .expect("opened above")
    };
    let mut entries = Vec::new();
    let mut out_cost = None;
    let mut residue = Money::ZERO;
    if let Some(w) = &out_wh {
        let b = book_of(&books, &w.id);
        let flow = match m
            .reversal_of
            .as_ref()
            .filter(|o| o.to_location_id.as_ref() == m.from.as_ref().map(|f| &f.location.id))
        {
            Some(original) => Flow::Return {
                receipt: original.id.clone(),
                quantity: original.quantity,
                value: Money::from_scaled(original.total_cost),
            },
            None => Flow::Out,
        };
        let costed = books[b].post(&posted, flow)?;
        entries.push((w.id.clone(), -q, -costed.value.to_scaled().unwrap_or(0)));
        out_cost = Some(costed.value);
        residue = costed.residue;
    }
    let mut in_value = None;
    if let Some(w) = &in_wh {
        let b = book_of(&books, &w.id);
        let value = match (out_cost, &m.reversal_of) {
            (Some(c), _) => c,
            (None, Some(original)) => Money::from_scaled(original.total_cost),
            (None, None) => {
                let unit = m.unit_cost.unwrap_or_else(|| {
                    if m.move_type != MoveType::Receipt {
                        books[b].average().unwrap_or(standard)
                    } else {
                        standard
                    }
                });
                value_of(m.quantity, unit).map_err(|e| costing::cost_error(e, None))?
            }
        };
        books[b].post(&posted, Flow::In { value })?;
        entries.push((w.id.clone(), q, value.to_scaled().unwrap_or(0)));
        in_value = Some(value);
    }
    let total = out_cost.or(in_value).unwrap_or(Money::ZERO);
    let unit_cost = match (m.unit_cost, out_cost) {
        (Some(u), None) => u,
        _ => unit_cost_of(total, m.quantity).map_err(|e| costing::cost_error(e, None))?,
    };
    posted.unit_cost = unit_cost
        .to_scaled()
        .map_err(|e| costing::cost_error(CostError::from(e), None))?;
    posted.total_cost = total
        .to_scaled()
        .map_err(|e| costing::cost_error(CostError::from(e), None))?;
    repo::insert_move(conn, &posted)?;

    // Moves dated after this one in the same warehouses are costed again from it.
    let mut cascade = Cascade::new();
    for b in &mut books {
        b.replay(conn, &move_id, &mut cascade)?;
    }
    for b in books {
        b.finish(conn, actor, &move_id)?;
    }
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
                posted_at: posted.posted_at,
                effective_at: posted.effective_at,
                kind: ENTRY_MOVE.into(),
                caused_by_move_id: None,
            },
        )?;
    }
    super::ledger::post_value(
        conn,
        actor,
        &posted,
        item,
        &values,
        reversed_type.as_deref(),
    )?;
    if residue != Money::ZERO {
        let w = out_wh
            .as_ref()
            .expect("a residue is left where stock went out");
        let values = vec![(
            w.id.clone(),
            w.branch_id.clone(),
            -residue.to_scaled().unwrap_or(0),
        )];
        repo::insert_entries(
            conn,
            &costing::entries_of(&posted, &values, ENTRY_RESIDUE, None),
        )?;
        super::ledger::restate(
            conn,
            actor,
            &posted.company_id,
            &posted.id,
            item,
            posted.effective_at.date(),
            Restatement::Residue,
            &values,
        )?;
    }
    costing::run_cascade(conn, actor, item, &move_id, cascade)?;
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
