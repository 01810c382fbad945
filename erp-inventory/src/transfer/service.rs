use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Qty;
use erp_core::numbering::next_number;
use erp_core::pagination::ListParams;

use super::dto::*;
use super::repo::{self, Transfer, TransferLine};
use crate::error::InventoryError;
use crate::ids::{ItemId, LocationId, TransferId, TransferLineId, WarehouseId};
use crate::item;
use crate::stock::dto::{MoveType, PostMoveRequest, StockMoveResponse};
use crate::stock::post::{post_move_for_document, Visibility};
use crate::stock::repo as stock_repo;
use crate::warehouse::dto::LocationKind;
use crate::warehouse::repo::{self as wh_repo, Warehouse};
use crate::warehouse::service::{load_visible, warehouse_filter};

const ENTITY: &str = "transfer";

fn to_response(conn: &mut DbConnection, x: &Transfer) -> Result<TransferResponse, AppError> {
    let lines = repo::lines_of(conn, x.id)?
        .iter()
        .map(|l| {
            Ok(TransferLineResponse {
                id: l.id,
                line_no: l.line_no,
                item_id: l.item_id,
                from_location_id: l.from_location_id,
                lot: Some(l.lot.clone()).filter(|s| !s.is_empty()),
                quantity: Qty::from_scaled(l.quantity),
                received_quantity: Qty::from_scaled(l.received_quantity),
                written_off_quantity: Qty::from_scaled(l.written_off_quantity),
                difference: Qty::from_scaled(
                    if x.status == TransferStatus::Draft || x.status == TransferStatus::Cancelled {
                        0
                    } else {
                        open_of(l)
                    },
                ),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(TransferResponse {
        id: x.id,
        number: x.number.clone(),
        from_warehouse_id: x.from_warehouse_id,
        to_warehouse_id: x.to_warehouse_id,
        status: x.status,
        notes: x.notes.clone(),
        lines,
        version: x.version,
        created_at: x.created_at.and_utc(),
        updated_at: x.updated_at.and_utc(),
    })
}

fn open_of(l: &TransferLine) -> i64 {
    (l.quantity - l.received_quantity - l.written_off_quantity).max(0)
}

/// A transfer the actor may see: from or to one of their warehouses.
fn load(conn: &mut DbConnection, actor: &Actor, id: TransferId) -> Result<Transfer, AppError> {
    let x = repo::find(conn, id, actor.company_id)?.ok_or(AppError::NotFound(ENTITY))?;
    let sees = load_visible(conn, actor, x.from_warehouse_id).is_ok()
        || load_visible(conn, actor, x.to_warehouse_id).is_ok();
    if !sees {
        return Err(AppError::NotFound(ENTITY));
    }
    Ok(x)
}

fn special(
    conn: &mut DbConnection,
    w: WarehouseId,
    kind: LocationKind,
) -> Result<LocationId, AppError> {
    let l = wh_repo::special_location(conn, w, kind)?
        .ok_or_else(|| InventoryError::MissingLocation(kind.to_string()))?;
    Ok(l.id)
}

fn move_request(
    item: ItemId,
    qty: i64,
    lot: &str,
    from: LocationId,
    to: LocationId,
    move_type: MoveType,
    number: &str,
) -> Result<PostMoveRequest, AppError> {
    Ok(PostMoveRequest {
        move_type,
        item_id: item,
        quantity: Qty::from_scaled(qty),
        uom_id: None,
        from_location_id: Some(from),
        to_location_id: Some(to),
        lot: Some(lot.to_string()).filter(|l| !l.is_empty()),
        unit_cost: None,
        reference_type: Some("transfer".into()),
        reference_id: Some(number.to_string()),
        reservation_id: None,
        note: None,
        effective_at: None,
    })
}

pub fn create_transfer(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateTransferRequest,
) -> Result<TransferResponse, AppError> {
    actor.require("inventory.transfer.write")?;
    let mut v = Validator::new();
    v.check(
        !req.lines.is_empty(),
        "lines",
        "a transfer needs at least one line",
    );
    v.check(
        req.from_warehouse_id != req.to_warehouse_id,
        "to_warehouse_id",
        "must differ from from_warehouse_id",
    );
    v.opt_text("notes", req.notes.as_deref(), 10_000);
    v.finish()?;
    write_tx(conn, |conn| {
        let company = actor.company_id;
        let from: Warehouse = load_visible(conn, actor, req.from_warehouse_id)
            .map_err(|_| AppError::field("from_warehouse_id", "no such warehouse"))?;
        let to = wh_repo::find(conn, req.to_warehouse_id, company)?
            .ok_or_else(|| AppError::field("to_warehouse_id", "no such warehouse"))?;
        let from_id = from.id;
        let stock = special(conn, from_id, LocationKind::Storage)?;
        let at = now();
        let mut x = Transfer {
            id: TransferId::new(),
            company_id: company,
            number: String::new(),
            from_warehouse_id: from_id,
            to_warehouse_id: to.id,
            status: TransferStatus::Draft,
            notes: req.notes.clone(),
            version: 1,
            created_by: actor.user_id,
            created_at: at,
            updated_at: at,
        };
        let mut v = Validator::new();
        let mut lines = Vec::new();
        for (i, l) in req.lines.iter().enumerate() {
            if item::service::load(conn, actor, l.item_id).is_err() {
                v.add(format!("lines[{i}].item_id"), "no such item");
            }
            let q = l.quantity.to_scaled().unwrap_or(0);
            if q <= 0 {
                v.add(format!("lines[{i}].quantity"), "must be greater than zero");
            }
            let loc = match l.from_location_id {
                Some(id) => match wh_repo::find_location(conn, id)? {
                    Some(loc) if loc.warehouse_id == from.id && loc.is_available() => loc.id,
                    _ => {
                        v.add(
                            format!("lines[{i}].from_location_id"),
                            "must be a storage location of the sending warehouse",
                        );
                        continue;
                    }
                },
                None => stock,
            };
            lines.push(TransferLine {
                id: TransferLineId::new(),
                transfer_id: x.id,
                line_no: (i + 1) as i32,
                item_id: l.item_id,
                from_location_id: loc,
                lot: l.lot.clone().unwrap_or_default().trim().to_string(),
                quantity: q,
                received_quantity: 0,
                written_off_quantity: 0,
            });
        }
        v.finish()?;
        x.number = next_number(conn, actor.company_id, "TR", chrono::Datelike::year(&at))?;
        repo::insert(conn, &x, &lines)?;
        let out = to_response(conn, &x)?;
        audit::record(conn, actor, ENTITY, x.id, Change::Created(&out))?;
        Ok(out)
    })
}

fn finish(
    conn: &mut DbConnection,
    actor: &Actor,
    id: TransferId,
    action: &'static str,
    moves: Vec<StockMoveResponse>,
) -> Result<TransferActionResponse, AppError> {
    let x = repo::find(conn, id, actor.company_id)?.ok_or(AppError::NotFound(ENTITY))?;
    let out = to_response(conn, &x)?;
    audit::record(
        conn,
        actor,
        ENTITY,
        x.id,
        Change::Action(action, Some(&out)),
    )?;
    Ok(TransferActionResponse {
        transfer: out,
        moves,
    })
}

/// Ships every line into the sending warehouse's transit location.
pub fn ship_transfer(
    conn: &mut DbConnection,
    actor: &Actor,
    id: TransferId,
) -> Result<TransferActionResponse, AppError> {
    actor.require("inventory.transfer.write")?;
    write_tx(conn, |conn| {
        let x = load(conn, actor, id)?;
        load_visible(conn, actor, x.from_warehouse_id)
            .map_err(|_| AppError::Forbidden("inventory.transfer.write (sending branch)".into()))?;
        if !repo::set_status(
            conn,
            x.id,
            TransferStatus::Draft,
            TransferStatus::Shipped,
            now(),
        )? {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "ship",
                current: x.status.to_string(),
            });
        }
        let transit = special(conn, x.from_warehouse_id, LocationKind::Transit)?;
        let mut moves = Vec::new();
        for (i, l) in repo::lines_of(conn, x.id)?.iter().enumerate() {
            let req = move_request(
                l.item_id,
                l.quantity,
                &l.lot,
                l.from_location_id,
                transit,
                MoveType::Transfer,
                &x.number,
            )?;
            moves.push(
                post_move_for_document(conn, actor, req, Visibility::Actor)
                    .map_err(|e| e.under(&format!("lines[{i}]")))?,
            );
        }
        finish(conn, actor, x.id, "ship", moves)
    })
}

/// Receives shipped goods at the destination, in part or whole.
pub fn receive_transfer(
    conn: &mut DbConnection,
    actor: &Actor,
    id: TransferId,
    req: ReceiveTransferRequest,
) -> Result<TransferActionResponse, AppError> {
    actor.require("inventory.transfer.receive")?;
    crate::stock::post::check_receipt_quantities(req.lines.iter().map(|l| l.quantity))?;
    write_tx(conn, |conn| {
        let effective_at = crate::stock::post::business_date(conn, actor, req.effective_at)?;
        let x = load(conn, actor, id)?;
        load_visible(conn, actor, x.to_warehouse_id).map_err(|_| {
            AppError::Forbidden("inventory.transfer.receive (receiving branch)".into())
        })?;
        if !matches!(x.status.as_str(), "shipped" | "partially_received") {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "receive",
                current: x.status.to_string(),
            });
        }
        let target = match req.location_id {
            Some(l) => match wh_repo::find_location(conn, l)? {
                Some(loc) if loc.warehouse_id == x.to_warehouse_id && loc.is_available() => loc.id,
                _ => {
                    return Err(AppError::field(
                        "location_id",
                        "must be a storage or receiving location of the destination",
                    ))
                }
            },
            None => special(conn, x.to_warehouse_id, LocationKind::Receiving)?,
        };
        let transit = special(conn, x.from_warehouse_id, LocationKind::Transit)?;
        let shipped = stock_repo::latest_effective_of(conn, x.company_id, "transfer", &x.number)?;
        if shipped.is_some_and(|s| effective_at < s) {
            return Err(AppError::field(
                "effective_at",
                "goods cannot arrive before they were shipped",
            ));
        }
        let lines = repo::lines_of(conn, x.id)?;
        let mut moves = Vec::new();
        for (i, input) in req.lines.iter().enumerate() {
            let line = lines
                .iter()
                .find(|l| l.id == input.line_id)
                .ok_or_else(|| {
                    AppError::field(
                        format!("lines[{i}].line_id"),
                        "no such line on the transfer",
                    )
                })?;
            let q = input
                .quantity
                .to_scaled()
                .map_err(|e| AppError::field(format!("lines[{i}].quantity"), e.to_string()))?;
            if !repo::add_received(conn, line.id, q)? {
                return Err(InventoryError::OverTransferReceipt {
                    line: line.line_no,
                    open: Qty::from_scaled(open_of(line)),
                }
                .into());
            }
            let mut req = move_request(
                line.item_id,
                q,
                &line.lot,
                transit,
                target,
                MoveType::Transfer,
                &x.number,
            )?;
            req.effective_at = Some(effective_at.and_utc());
            moves.push(
                post_move_for_document(conn, actor, req, Visibility::Company)
                    .map_err(|e| e.under(&format!("lines[{i}]")))?,
            );
        }
        let done = repo::lines_of(conn, x.id)?.iter().all(|l| open_of(l) == 0);
        let next = if done {
            TransferStatus::Received
        } else {
            TransferStatus::PartiallyReceived
        };
        if !repo::set_status(conn, x.id, x.status, next, now())? {
            return Err(InventoryError::ConcurrentChange.into());
        }
        finish(conn, actor, x.id, "receive", moves)
    })
}

/// Closes a transfer; what never arrived stays in transit, or is scrapped when asked.
pub fn close_transfer(
    conn: &mut DbConnection,
    actor: &Actor,
    id: TransferId,
    req: CloseTransferRequest,
) -> Result<TransferActionResponse, AppError> {
    actor.require("inventory.transfer.write")?;
    write_tx(conn, |conn| {
        let x = load(conn, actor, id)?;
        if !matches!(
            x.status.as_str(),
            "shipped" | "partially_received" | "received"
        ) || !repo::set_status(conn, x.id, x.status, TransferStatus::Closed, now())?
        {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "close",
                current: x.status.to_string(),
            });
        }
        let mut moves = Vec::new();
        if req.write_off_difference {
            let (transit, scrap) = (
                special(conn, x.from_warehouse_id, LocationKind::Transit)?,
                special(conn, x.from_warehouse_id, LocationKind::Scrap)?,
            );
            for (i, l) in repo::lines_of(conn, x.id)?.iter().enumerate() {
                let open = open_of(l);
                if open > 0 {
                    let req = move_request(
                        l.item_id,
                        open,
                        &l.lot,
                        transit,
                        scrap,
                        MoveType::Scrap,
                        &x.number,
                    )?;
                    moves.push(
                        post_move_for_document(conn, actor, req, Visibility::Company)
                            .map_err(|e| e.under(&format!("lines[{i}]")))?,
                    );
                    repo::write_off(conn, l.id, open)?;
                }
            }
        }
        finish(conn, actor, x.id, "close", moves)
    })
}

pub fn cancel_transfer(
    conn: &mut DbConnection,
    actor: &Actor,
    id: TransferId,
) -> Result<TransferActionResponse, AppError> {
    actor.require("inventory.transfer.write")?;
    write_tx(conn, |conn| {
        let x = load(conn, actor, id)?;
        if !repo::set_status(
            conn,
            x.id,
            TransferStatus::Draft,
            TransferStatus::Cancelled,
            now(),
        )? {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "cancel",
                current: x.status.to_string(),
            });
        }
        finish(conn, actor, x.id, "cancel", Vec::new())
    })
}

pub fn get_transfer(
    conn: &mut DbConnection,
    actor: &Actor,
    id: TransferId,
) -> Result<TransferResponse, AppError> {
    actor.require("inventory.stock.read")?;
    let x = load(conn, actor, id)?;
    to_response(conn, &x)
}

pub fn list_transfers(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: TransferListQuery,
) -> Result<TransferPage, AppError> {
    actor.require("inventory.stock.read")?;
    let page = params.validate()?;
    let warehouses = warehouse_filter(conn, actor, q.warehouse_id)?;
    let status = q.status.map(|s| enum_to_db(&s));
    let rows = repo::list(
        conn,
        actor.company_id,
        warehouses.as_deref(),
        status.as_deref(),
        page.after.as_deref(),
        page.fetch_limit(),
    )?;
    let (rows, next_cursor) = page.finish_typed(rows, |t| t.id);
    let items = rows
        .iter()
        .map(|t| to_response(conn, t))
        .collect::<Result<_, _>>()?;
    Ok(TransferPage { items, next_cursor })
}
