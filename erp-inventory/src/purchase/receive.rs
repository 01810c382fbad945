//! Receiving against a purchase order: receipt moves at the order price, in part or whole;
//! more than ordered is refused unless the order tolerates it.

use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::money::{Price, Qty};
use rust_decimal::Decimal;

use super::dto::*;
use super::repo;
use super::service::{load, to_response};
use crate::error::InventoryError;
use crate::ids::{ItemId, LocationId, PurchaseOrderId};
use crate::stock::dto::{MoveType, PostMoveRequest};
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
        let location = match req.location_id {
            Some(l) => {
                let (loc, wh) = load_location(conn, actor, &l.to_string())
                    .map_err(|_| AppError::field("location_id", "no such location"))?;
                if wh.id != order.warehouse_id || !loc.is_available() {
                    return Err(AppError::field(
                        "location_id",
                        "must be a storage or receiving location of the order's warehouse",
                    ));
                }
                loc.id
            }
            None => {
                wh_repo::special_location(conn, &order.warehouse_id, LocationKind::Receiving)?
                    .ok_or_else(|| {
                        AppError::field(
                            "location_id",
                            "the warehouse has no receiving location: give one",
                        )
                    })?
                    .id
            }
        };
        let lines = repo::lines_of(conn, &order.id)?;
        let tolerance = Qty::from_scaled(order.over_receipt_tolerance).value();
        // An order in another currency is received at its price converted at the rate of the
        // receipt's business date: the stock is valued in the company's currency.
        let own = erp_finance::entry::service::company_currency(
            conn,
            CompanyId::from_db(&order.company_id)?,
        )?;
        let rate = erp_finance::rate::service::document_rate(
            conn,
            CompanyId::from_db(&order.company_id)?,
            &own,
            &order.currency,
            effective_at.date(),
            "currency",
        )?;
        let mut moves = Vec::new();
        for (i, input) in req.lines.iter().enumerate() {
            let line = lines
                .iter()
                .find(|l| l.id == input.line_id.to_string())
                .ok_or_else(|| {
                    AppError::field(format!("lines[{i}].line_id"), "no such line on the order")
                })?;
            let q = input
                .quantity
                .to_scaled()
                .map_err(|e| AppError::field(format!("lines[{i}].quantity"), e.to_string()))?;
            // The most a line may receive: ordered plus the tolerance, rounded down to the unit scale.
            let ordered = Qty::from_scaled(line.quantity).value();
            let max = Qty::new(
                (ordered * (Decimal::ONE + tolerance / Decimal::from(100)))
                    .trunc_with_scale(Qty::SCALE),
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
            let posted = post_move_for_document(
                conn,
                actor,
                PostMoveRequest {
                    move_type: MoveType::Receipt,
                    item_id: ItemId::from_db(&line.item_id)?,
                    quantity: input.quantity,
                    uom_id: None,
                    from_location_id: None,
                    to_location_id: Some(LocationId::from_db(&location)?),
                    lot: input.lot.clone(),
                    unit_cost: Some(
                        Price::rounded(
                            Decimal::new(line.unit_price, 6)
                                * erp_finance::currency::rate_value(rate),
                        )
                        .map_err(|e| AppError::field(format!("lines[{i}]"), e.to_string()))?,
                    ),
                    reference_type: Some("purchase_order".into()),
                    reference_id: Some(order.number.clone()),
                    reservation_id: None,
                    note: None,
                    effective_at: Some(effective_at.and_utc()),
                },
                Visibility::Actor,
            )
            .map_err(|e| e.under(&format!("lines[{i}]")))?;
            repo::add_received_value(conn, &line.id, posted.total_cost.to_scaled()?)?;
            moves.push(posted);
        }
        let all_received = repo::lines_of(conn, &order.id)?
            .iter()
            .all(|l| l.received_quantity >= l.quantity);
        let status = if all_received {
            PurchaseOrderStatus::Received
        } else {
            PurchaseOrderStatus::PartiallyReceived
        };
        let expected = order.version;
        order.status = status;
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
