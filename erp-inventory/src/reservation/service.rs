use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Qty;
use erp_core::pagination::ListParams;

use super::dto::*;
use super::repo::{self, Reservation, ReservationFilter};
use crate::ids::ReservationId;
use crate::item;
use crate::stock::{convert, repo as stock_repo};
use crate::warehouse::service::load_location;

pub fn to_response(r: &Reservation) -> Result<ReservationResponse, AppError> {
    Ok(ReservationResponse {
        id: ReservationId::from_db(&r.id)?,
        item_id: r.item_id,
        location_id: r.location_id,
        lot: Some(r.lot.clone()).filter(|l| !l.is_empty()),
        quantity: Qty::from_scaled(r.quantity),
        consumed: Qty::from_scaled(r.consumed),
        remaining: Qty::from_scaled(if r.status == ReservationStatus::Open {
            r.quantity - r.consumed
        } else {
            0
        }),
        status: r.status,
        reference_type: r.reference_type.clone(),
        reference_id: r.reference_id.clone(),
        version: r.version,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    })
}

/// Reserves available stock; 409 `insufficient_stock` when there is not enough.
pub fn create_reservation(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateReservationRequest,
) -> Result<ReservationResponse, AppError> {
    actor.require("inventory.stock.reserve")?;
    reserve_for_document(conn, actor, req)
}

/// Reserves stock for a document (a production order) whose own permission the caller has
/// checked. Inside the caller's transaction it is a savepoint.
pub fn reserve_for_document(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateReservationRequest,
) -> Result<ReservationResponse, AppError> {
    let mut v = Validator::new();
    v.check(
        req.quantity > Qty::ZERO,
        "quantity",
        "must be greater than zero",
    );
    v.opt_text("reference_type", req.reference_type.as_deref(), 50);
    v.opt_text("reference_id", req.reference_id.as_deref(), 100);
    v.finish()?;
    write_tx(conn, |conn| {
        let item = item::service::load(conn, actor, req.item_id)
            .map_err(|_| AppError::field("item_id", "no such item"))?;
        let (loc, _) = load_location(conn, actor, req.location_id)
            .map_err(|_| AppError::field("location_id", "no such location"))?;
        if !loc.is_available() {
            return Err(AppError::field(
                "location_id",
                "stock can be reserved only in storage and receiving locations",
            ));
        }
        let uom = req.uom_id.unwrap_or(item.base_uom_id);
        let qty = convert::to_base(conn, &item, req.quantity, uom, "quantity")?;
        let q = qty
            .to_scaled()
            .map_err(|e| AppError::field("quantity", e.to_string()))?;
        let lot = req.lot.clone().unwrap_or_default().trim().to_string();
        if !stock_repo::reserve(conn, item.id, loc.id, &lot, q)? {
            let available = stock_repo::balance(conn, item.id, loc.id, &lot)?
                .map_or(0, |b| b.on_hand - b.reserved)
                .max(0);
            return Err(AppError::InsufficientStock {
                item: item.sku.clone(),
                requested: qty.to_string(),
                available: Qty::from_scaled(available).to_string(),
            });
        }
        let at = now();
        let r = Reservation {
            id: new_id(),
            company_id: actor.company_id,
            item_id: item.id,
            location_id: loc.id,
            lot,
            quantity: q,
            consumed: 0,
            status: ReservationStatus::Open,
            reference_type: req.reference_type.clone(),
            reference_id: req.reference_id.clone(),
            user_id: actor.user_id,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::insert(conn, &r)?;
        to_response(&r)
    })
}

/// Gives what is left of a reservation back to available stock.
pub fn release_reservation(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ReservationId,
) -> Result<ReservationResponse, AppError> {
    actor.require("inventory.stock.reserve")?;
    release_for_document(conn, actor, id)
}

/// Releases what is left of a document's reservation, if it is still open (a production
/// order closing, a sales order cancelled) of the actor's company.
pub fn release_if_open(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<(), AppError> {
    if repo::find(conn, id, actor.company_id)?.is_some_and(|r| r.status == ReservationStatus::Open)
    {
        release_for_document(conn, actor, ReservationId::from_db(id)?)?;
    }
    Ok(())
}

/// Releases a reservation for a document whose own permission the caller has checked.
pub fn release_for_document(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ReservationId,
) -> Result<ReservationResponse, AppError> {
    write_tx(conn, |conn| {
        let r = repo::find(conn, &id.to_string(), actor.company_id)?
            .ok_or(AppError::NotFound("reservation"))?;
        load_location(conn, actor, r.location_id).map_err(|_| AppError::NotFound("reservation"))?;
        if !repo::release(conn, &r.id, now())? {
            return Err(AppError::InvalidState {
                entity: "reservation",
                action: "release",
                current: r.status.to_string(),
            });
        }
        let remaining = r.quantity - r.consumed;
        if !stock_repo::unreserve(conn, r.item_id, r.location_id, &r.lot, remaining)? {
            return Err(AppError::Internal(format!(
                "reservation {} holds more than its balance",
                r.id
            )));
        }
        let r = repo::find(conn, &r.id, r.company_id)?.ok_or(AppError::NotFound("reservation"))?;
        to_response(&r)
    })
}

pub fn get_reservation(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ReservationId,
) -> Result<ReservationResponse, AppError> {
    actor.require("inventory.stock.read")?;
    let r = repo::find(conn, &id.to_string(), actor.company_id)?
        .ok_or(AppError::NotFound("reservation"))?;
    load_location(conn, actor, r.location_id).map_err(|_| AppError::NotFound("reservation"))?;
    to_response(&r)
}

pub fn list_reservations(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: ReservationListQuery,
) -> Result<ReservationPage, AppError> {
    actor.require("inventory.stock.read")?;
    let page = params.validate()?;
    crate::item::service::check_filter(conn, actor, q.item_id)?;
    let filter = ReservationFilter {
        item_id: q.item_id.map(|i| i.to_string()),
        status: q.status.map(|s| enum_to_db(&s)),
        reference_type: q.reference_type,
        reference_id: q.reference_id,
    };
    let rows = repo::list(
        conn,
        actor.company_id,
        &filter,
        page.after.as_deref(),
        page.fetch_limit(),
    )?;
    let (rows, next_cursor) = page.finish(rows, |r| &r.id);
    let mut items = Vec::new();
    for r in &rows {
        if load_location(conn, actor, r.location_id).is_ok() {
            items.push(to_response(r)?);
        }
    }
    Ok(ReservationPage { items, next_cursor })
}
