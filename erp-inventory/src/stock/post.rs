//! Posting moves: the one place stock changes. Physical balances, valuation positions, FIFO
//! layers, value entries and the move itself are written in one transaction. This file
//! resolves and checks a move; `apply.rs` writes it.

use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::{Price, Qty};
use erp_finance::period::dto::PeriodStatus;

use super::apply::{apply, NewMove};
use super::dto::{MoveType, PostMoveRequest, ReverseMoveRequest, StockMoveResponse};
use super::query::posted_move_response;
use super::repo::reservations::{self as reservation_repo, Reservation};
use super::{convert, repo};
use crate::error::InventoryError;
use crate::ids::{ItemId, LocationId, MoveId, ReservationId};
use crate::item::dto::ItemType;
use crate::item::{self, model::Item};
use crate::stock::states::ReservationStatus;
use crate::warehouse::dto::LocationKind;
use crate::warehouse::repo::{Location, Warehouse};
use crate::warehouse::service::load_location;

/// One side of a move: a location and its warehouse.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub location: Location,
    pub warehouse: Warehouse,
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
    id: Option<LocationId>,
    field: &str,
    visibility: Visibility,
) -> Result<Option<Endpoint>, AppError> {
    let Some(id) = id else { return Ok(None) };
    let found = match visibility {
        Visibility::Actor => load_location(conn, actor, id).ok(),
        Visibility::Company => {
            crate::warehouse::repo::find_location_in(conn, id, actor.company_id)?
        }
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
    check_request(&req)?;
    write_tx(conn, |conn| {
        let effective_at = business_date(conn, actor, req.effective_at)?;
        let item = stocked_item(conn, actor, req.item_id)?;
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
        check_ends(conn, &mut v, req.move_type, from.as_ref(), &mut to)?;
        let reservation = match req.reservation_id {
            None => None,
            Some(id) => Some(reservation_for(
                conn,
                actor,
                &mut v,
                id,
                &req,
                &item,
                from.as_ref(),
            )?),
        };
        v.finish()?;
        let entered_uom = req.uom_id.unwrap_or(item.base_uom_id);
        let quantity = convert::to_base(conn, &item, req.quantity, entered_uom, "quantity")?;
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

/// What a move request must hold before anything is read: a positive quantity, a cost not
/// below zero, texts within their lengths; reversals have their own route.
fn check_request(req: &PostMoveRequest) -> Result<(), AppError> {
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
    v.finish()
}

/// The item a move is of: one of the company's, active, and stocked (not a service).
fn stocked_item(conn: &mut DbConnection, actor: &Actor, id: ItemId) -> Result<Item, AppError> {
    let item = item::service::load(conn, actor, id)
        .map_err(|_| AppError::field("item_id", "no such item"))?;
    if item.item_type == ItemType::Service {
        return Err(AppError::field("item_id", "services are not stocked"));
    }
    if !item.active {
        return Err(AppError::field("item_id", "the item is not active"));
    }
    Ok(item)
}

/// The locations a move of this type needs: a receipt only a destination where stock is
/// available, an issue only a source, a transfer two different ones, an adjustment one of
/// the two, scrap a source and a scrap location (the warehouse's own when none is named).
fn check_ends(
    conn: &mut DbConnection,
    v: &mut Validator,
    move_type: MoveType,
    from: Option<&Endpoint>,
    to: &mut Option<Endpoint>,
) -> Result<(), AppError> {
    match move_type {
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
            if let (Some(f), Some(t)) = (from, &*to) {
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
                from.is_some_and(|f| f.location.kind != LocationKind::Scrap),
                "from_location_id",
                "scrap needs the location it leaves",
            );
            if to.is_none() {
                if let Some(f) = from {
                    let scrap = crate::warehouse::repo::special_location(
                        conn,
                        f.warehouse.id,
                        LocationKind::Scrap,
                    )?;
                    *to = scrap.map(|location| Endpoint {
                        location,
                        warehouse: f.warehouse.clone(),
                    });
                }
            }
            v.check(
                to.as_ref()
                    .is_none_or(|t| t.location.kind == LocationKind::Scrap),
                "to_location_id",
                "must be a scrap location",
            );
        }
        MoveType::Reversal => {}
    }
    Ok(())
}

/// The open reservation `id` a move consumes: of the same item, source location and lot, by
/// an issue or a transfer. Mismatches go to `v`; a reservation no longer open is 409.
fn reservation_for(
    conn: &mut DbConnection,
    actor: &Actor,
    v: &mut Validator,
    id: ReservationId,
    req: &PostMoveRequest,
    item: &Item,
    from: Option<&Endpoint>,
) -> Result<Reservation, AppError> {
    let r = reservation_repo::find(conn, &id.to_string(), actor.company_id)?
        .ok_or_else(|| AppError::field("reservation_id", "no such reservation"))?;
    let matches = r.item_id == item.id
        && from.is_some_and(|f| f.location.id == r.location_id)
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
    if r.status != ReservationStatus::Open {
        return Err(AppError::InvalidState {
            entity: "reservation",
            action: "issue against",
            current: r.status.to_string(),
        });
    }
    Ok(r)
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
    let days = erp_core::org::company::repo::find(conn, actor.company_id)?
        .map_or(0, |c| c.stock_backdate_days);
    if date < at - chrono::Duration::days(i64::from(days)) {
        return Err(AppError::field(
            "effective_at",
            format!("lies more than {days} days back (the company's stock_backdate_days)"),
        ));
    }
    if let Some(period) = erp_finance::period::repo::covering(conn, actor.company_id, date.date())?
    {
        if period.status != PeriodStatus::Open {
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
        "serial" if incoming && repo::on_hand_of_lot(conn, item.id, &lot)? > 0 => {
            Err(InventoryError::DuplicateSerial(lot).into())
        }
        _ => Ok(lot),
    }
}

/// Reverses a move: the same quantity back the other way, at the value it carried.
pub fn reverse_move(
    conn: &mut DbConnection,
    actor: &Actor,
    id: MoveId,
    req: ReverseMoveRequest,
) -> Result<StockMoveResponse, AppError> {
    actor.require("inventory.stock.post")?;
    write_tx(conn, |conn| {
        let original = repo::find_move(conn, &id.to_string(), actor.company_id)?
            .ok_or(AppError::NotFound("stock move"))?;
        if original.move_type == MoveType::Reversal {
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
        let item = item::repo::find(conn, original.item_id, original.company_id)?
            .ok_or(AppError::NotFound("item"))?;
        let side = |conn: &mut DbConnection,
                    loc: Option<LocationId>|
         -> Result<Option<Endpoint>, AppError> {
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
        let from = side(conn, original.to_location_id)?;
        let to = side(conn, original.from_location_id)?;
        let posted = apply(
            conn,
            actor,
            NewMove {
                move_type: MoveType::Reversal,
                item: &item,
                quantity: Qty::from_scaled(original.quantity),
                entered_quantity: Qty::from_scaled(original.entered_quantity),
                entered_uom: original.entered_uom_id,
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
