//! Receiving against a purchase order: receipt moves at the order price, in part or whole;
//! more than ordered is refused unless the order tolerates it.

use chrono::{NaiveDate, NaiveDateTime};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::AppError;
use erp_core::money::{Price, Qty};
use rust_decimal::Decimal;

use super::dto::*;
use super::repo::{self, PurchaseOrder, PurchaseOrderLine};
use super::service::{load, to_response};
use crate::error::InventoryError;
use crate::ids::{LocationId, PurchaseOrderId};
use crate::stock::dto::{MoveType, PostMoveRequest, StockMoveResponse};
use crate::stock::post::{post_move_for_document, Visibility};
use crate::warehouse::dto::LocationKind;
use crate::warehouse::repo as wh_repo;
use crate::warehouse::service::load_location;

pub fn receive_purchase_order(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PurchaseOrderId,
    req: ReceivePurchaseOrderRequest,
) -> Result<PurchaseReceiptResponse, AppError> {
    actor.require("inventory.purchase.receive")?;
    crate::stock::post::check_receipt_quantities(req.lines.iter().map(|l| l.quantity))?;
    write_tx(conn, |conn| {
        let effective_at = crate::stock::post::business_date(conn, actor, req.effective_at)?;
        let mut order = load(conn, actor, &id.to_string())?;
        if !matches!(order.status.as_str(), "confirmed" | "partially_received") {
            return Err(AppError::InvalidState {
                entity: "purchase_order",
                action: "receive",
                current: order.status.to_string(),
            });
        }
        let receipt = Receipt {
            location: receiving_location(conn, actor, &order, req.location_id)?,
            rate: receipt_rate(conn, &order, effective_at.date())?,
            effective_at,
        };
        let lines = repo::lines_of(conn, &order.id)?;
        let mut moves = Vec::new();
        for (i, input) in req.lines.iter().enumerate() {
            let line = lines
                .iter()
                .find(|l| l.id == input.line_id.to_string())
                .ok_or_else(|| {
                    AppError::field(format!("lines[{i}].line_id"), "no such line on the order")
                })?;
            moves.push(receive_line(
                conn,
                actor,
                &order,
                (i, line),
                input,
                &receipt,
            )?);
        }
        let all_received = repo::lines_of(conn, &order.id)?
            .iter()
            .all(|l| l.received_quantity >= l.quantity);
        let expected = order.version;
        order.status = if all_received {
            PurchaseOrderStatus::Received
        } else {
            PurchaseOrderStatus::PartiallyReceived
        };
        order.version += 1;
        order.updated_at = now();
        if !repo::update_versioned(conn, &order, expected)? {
            return Err(AppError::VersionMismatch {
                current: order.version,
            });
        }
        let out = to_response(conn, &order)?;
        erp_core::audit::record(
            conn,
            actor,
            "purchase_order",
            &order.id,
            erp_core::audit::Change::Action("receive", Some(&out)),
        )?;
        Ok(PurchaseReceiptResponse { order: out, moves })
    })
}

/// Where, when and at what rate the goods of one receipt arrive.
struct Receipt {
    location: LocationId,
    /// The order currency's rate to the company's at the receipt's business date.
    rate: i64,
    effective_at: NaiveDateTime,
}

/// The location asked for (a storage or receiving location of the order's warehouse), or
/// the warehouse's receiving location.
fn receiving_location(
    conn: &mut DbConnection,
    actor: &Actor,
    order: &PurchaseOrder,
    asked: Option<LocationId>,
) -> Result<LocationId, AppError> {
    match asked {
        Some(l) => {
            let (loc, wh) = load_location(conn, actor, l)
                .map_err(|_| AppError::field("location_id", "no such location"))?;
            if wh.id != order.warehouse_id || !loc.is_available() {
                return Err(AppError::field(
                    "location_id",
                    "must be a storage or receiving location of the order's warehouse",
                ));
            }
            Ok(loc.id)
        }
        None => Ok(
            wh_repo::special_location(conn, order.warehouse_id, LocationKind::Receiving)?
                .ok_or_else(|| {
                    AppError::field(
                        "location_id",
                        "the warehouse has no receiving location: give one",
                    )
                })?
                .id,
        ),
    }
}

/// An order in another currency is received at its price converted at the rate of the
/// receipt's business date: the stock is valued in the company's currency.
fn receipt_rate(
    conn: &mut DbConnection,
    order: &PurchaseOrder,
    date: NaiveDate,
) -> Result<i64, AppError> {
    let company = order.company_id;
    let own = erp_finance::entry::service::company_currency(conn, company)?;
    erp_finance::rate::service::document_rate(
        conn,
        company,
        &own,
        &order.currency,
        date,
        "currency",
    )
}

/// Receives line `i` of the request: no more than ordered plus the order's tolerance (rounded down to the
/// unit scale), a receipt move at the line's price in company currency, and the value the
/// line has received so far.
fn receive_line(
    conn: &mut DbConnection,
    actor: &Actor,
    order: &PurchaseOrder,
    (i, line): (usize, &PurchaseOrderLine),
    input: &ReceiptLineInput,
    receipt: &Receipt,
) -> Result<StockMoveResponse, AppError> {
    let q = input
        .quantity
        .to_scaled()
        .map_err(|e| AppError::field(format!("lines[{i}].quantity"), e.to_string()))?;
    let tolerance = Qty::from_scaled(order.over_receipt_tolerance).value();
    let ordered = Qty::from_scaled(line.quantity).value();
    let max = Qty::new(
        (ordered * (Decimal::ONE + tolerance / Decimal::from(100))).trunc_with_scale(Qty::SCALE),
    )
    .and_then(|m| m.to_scaled())
    .unwrap_or(line.quantity);
    if !repo::add_received(conn, &line.id, q, max)? {
        return Err(InventoryError::OverReceipt {
            line: line.line_no,
            ordered: Qty::from_scaled(line.quantity),
            received: Qty::from_scaled(line.received_quantity),
            tolerance: Qty::from_scaled(order.over_receipt_tolerance),
        }
        .into());
    }
    let unit_cost = Price::rounded(
        Decimal::new(line.unit_price, 6) * erp_finance::currency::rate_value(receipt.rate),
    )
    .map_err(|e| AppError::field(format!("lines[{i}]"), e.to_string()))?;
    let posted = post_move_for_document(
        conn,
        actor,
        PostMoveRequest {
            move_type: MoveType::Receipt,
            item_id: line.item_id,
            quantity: input.quantity,
            uom_id: None,
            from_location_id: None,
            to_location_id: Some(receipt.location),
            lot: input.lot.clone(),
            unit_cost: Some(unit_cost),
            reference_type: Some("purchase_order".into()),
            reference_id: Some(order.number.clone()),
            reservation_id: None,
            note: None,
            effective_at: Some(receipt.effective_at.and_utc()),
        },
        Visibility::Actor,
    )
    .map_err(|e| e.under(&format!("lines[{i}]")))?;
    repo::add_received_value(conn, &line.id, posted.total_cost.to_scaled()?)?;
    Ok(posted)
}
