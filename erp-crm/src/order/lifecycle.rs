//! A sales order's life after it is drafted: confirmed (stock reserved), delivered in whole
//! or in part, cancelled; each step taken in turn, audited and announced.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx_retrying, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Qty;
use erp_inventory::ids::ReservationId;
use erp_inventory::reservation::{dto::CreateReservationRequest, service as reservation};
use erp_inventory::stock::dto::{MoveType, PostMoveRequest};
use erp_inventory::stock::post::{post_move_for_document, Visibility};

use super::dto::*;
use super::repo;
use super::service::*;
use crate::access;
use crate::error::CrmError;
use crate::ids::SalesOrderId;
use crate::model::SalesOrderRow;

/// Takes the order for a transition before anything else is written: of two concurrent
/// transitions one waits for the other and then runs again on what it left
/// ([`write_tx_retrying`]), so the loser sees the order's new state.
pub(super) fn take_turn(conn: &mut DbConnection, o: &mut SalesOrderRow) -> Result<(), AppError> {
    if !repo::claim(conn, &o.id, o.version)? {
        return Err(AppError::Contended);
    }
    o.version += 1;
    Ok(())
}

/// Writes the new status of an order taken with [`take_turn`] (whose version moved on then).
pub(super) fn set_status(
    conn: &mut DbConnection,
    o: &mut SalesOrderRow,
    status: OrderStatus,
) -> Result<(), AppError> {
    o.status = status;
    o.updated_at = now();
    if !repo::set_status(conn, o, o.version)? {
        return Err(AppError::Contended);
    }
    Ok(())
}

pub(super) fn finish(
    conn: &mut DbConnection,
    actor: &Actor,
    o: &SalesOrderRow,
    action: &'static str,
    event: &str,
) -> Result<OrderResponse, AppError> {
    let out = to_response(conn, o)?;
    audit::record(
        conn,
        actor,
        ENTITY,
        &o.id,
        Change::Action(action, Some(&out)),
    )?;
    crate::webhook::service::emit(conn, &o.company_id, event, &out)?;
    crate::notify::service::order_event(conn, o, event)?;
    Ok(out)
}

/// Confirms a draft: every line's stock is reserved, or none is (409 `insufficient_stock`).
pub fn confirm(
    conn: &mut DbConnection,
    actor: &Actor,
    id: SalesOrderId,
) -> Result<OrderResponse, AppError> {
    actor.require(access::ORDERS)?;
    write_tx_retrying(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string(), true)?;
        if o.status != OrderStatus::Draft {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "confirm",
                current: o.status.to_string(),
            });
        }
        take_turn(conn, &mut o)?;
        for mut l in repo::lines_of(conn, &o.id)? {
            let r = reservation::reserve_for_document(
                conn,
                actor,
                CreateReservationRequest {
                    item_id: l.item_id,
                    location_id: o.location_id,
                    lot: None,
                    quantity: Qty::from_scaled(l.quantity),
                    uom_id: None,
                    reference_type: Some(ENTITY.into()),
                    reference_id: Some(o.id.clone()),
                },
            )
            .map_err(|e| e.under(&format!("lines[{}]", l.line_no - 1)))?;
            l.reservation_id = Some(r.id.to_string());
            repo::save_line(conn, &l)?;
        }
        set_status(conn, &mut o, OrderStatus::Confirmed)?;
        finish(conn, actor, &o, "confirm", "order.confirmed")
    })
}

/// Delivers lines (all that is left by default): issue moves consuming the reservations.
pub fn deliver(
    conn: &mut DbConnection,
    actor: &Actor,
    id: SalesOrderId,
    req: DeliverRequest,
) -> Result<OrderResponse, AppError> {
    actor.require(access::ORDERS)?;
    write_tx_retrying(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string(), true)?;
        if o.status != OrderStatus::Confirmed && o.status != OrderStatus::PartiallyDelivered {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "deliver",
                current: o.status.to_string(),
            });
        }
        take_turn(conn, &mut o)?;
        let mut lines = repo::lines_of(conn, &o.id)?;
        let wanted: Vec<(usize, i64)> = match &req.lines {
            None => lines
                .iter()
                .enumerate()
                .map(|(k, l)| (k, l.quantity - l.delivered_quantity))
                .filter(|(_, q)| *q > 0)
                .collect(),
            Some(given) => {
                let mut v = Validator::new();
                let mut out = Vec::new();
                for (i, g) in given.iter().enumerate() {
                    match lines.iter().position(|l| l.line_no == g.line_no) {
                        None => v.add(format!("lines[{i}].line_no"), "no such line"),
                        Some(k) => {
                            let left = lines[k].quantity - lines[k].delivered_quantity;
                            match g.quantity.to_scaled() {
                                Ok(q) if q > 0 && q <= left => out.push((k, q)),
                                _ => v.add(
                                    format!("lines[{i}].quantity"),
                                    format!(
                                        "must be more than 0 and at most the {} left",
                                        Qty::from_scaled(left)
                                    ),
                                ),
                            }
                        }
                    }
                }
                v.finish()?;
                out
            }
        };
        if wanted.is_empty() {
            return Err(CrmError::NothingToDeliver.into());
        }
        for (k, q) in wanted {
            let l = &mut lines[k];
            post_move_for_document(
                conn,
                actor,
                PostMoveRequest {
                    move_type: MoveType::Issue,
                    item_id: l.item_id,
                    quantity: Qty::from_scaled(q),
                    uom_id: None,
                    from_location_id: Some(o.location_id),
                    to_location_id: None,
                    lot: None,
                    unit_cost: None,
                    reference_type: Some(ENTITY.into()),
                    reference_id: Some(o.id.clone()),
                    reservation_id: ReservationId::from_db_opt(l.reservation_id.as_deref())?,
                    note: Some(format!("delivery of {}", o.number)),
                    effective_at: req.effective_at,
                },
                Visibility::Company,
            )
            .map_err(|e| e.under(&format!("lines[{}]", l.line_no - 1)))?;
            l.delivered_quantity += q;
            repo::save_line(conn, l)?;
        }
        let all = lines.iter().all(|l| l.delivered_quantity >= l.quantity);
        let (status, event) = if all {
            (OrderStatus::Delivered, "order.delivered")
        } else {
            (OrderStatus::PartiallyDelivered, "order.shipped")
        };
        set_status(conn, &mut o, status)?;
        finish(conn, actor, &o, "deliver", event)
    })
}

/// Cancels an order that is not delivered in full; what is still reserved is released.
pub fn cancel(
    conn: &mut DbConnection,
    actor: &Actor,
    id: SalesOrderId,
) -> Result<OrderResponse, AppError> {
    actor.require(access::ORDERS)?;
    write_tx_retrying(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string(), true)?;
        if !matches!(
            o.status.as_str(),
            "draft" | "confirmed" | "partially_delivered"
        ) {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "cancel",
                current: o.status.to_string(),
            });
        }
        take_turn(conn, &mut o)?;
        for l in repo::lines_of(conn, &o.id)? {
            if let Some(r) = &l.reservation_id {
                reservation::release_if_open(conn, actor, r)?;
            }
        }
        set_status(conn, &mut o, OrderStatus::Cancelled)?;
        finish(conn, actor, &o, "cancel", "order.cancelled")
    })
}
