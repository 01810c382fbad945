//! Purchase orders: draft, confirmed, partially received, received, closed, cancelled.

use std::collections::HashMap;

use chrono::Utc;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::{Money, Price, Qty};
use erp_core::numbering::next_number;
use erp_core::org::{check_currency, company};
use erp_core::pagination::ListParams;
use erp_finance::ids::InvoiceId;

use super::dto::*;
use super::price::{check_supplier, price_for};
use super::repo::{self, OrderFilter, PurchaseOrder, PurchaseOrderLine};
use crate::error::InventoryError;
use crate::ids::{PurchaseOrderId, PurchaseOrderLineId};
use crate::item;
use crate::item::dto::ItemType;
use crate::stock::convert;
use crate::warehouse::service::{load_visible, warehouse_filter};

pub(super) const ENTITY: &str = "purchase_order";

/// What the order's standing supplier bills bill, by line number, and those bills.
pub fn billed(
    conn: &mut DbConnection,
    order_id: &str,
) -> Result<
    (
        HashMap<i32, i64>,
        Vec<erp_finance::invoice::dto::InvoiceRef>,
    ),
    AppError,
> {
    let links: Vec<(InvoiceId, i32, i64)> = repo::bill_lines_of(conn, order_id)?
        .into_iter()
        .map(|l| (l.invoice_id, l.line_no, l.quantity))
        .collect();
    erp_finance::invoice::service::billed_by_line(conn, &links)
}

pub fn to_response(
    conn: &mut DbConnection,
    o: &PurchaseOrder,
) -> Result<PurchaseOrderResponse, AppError> {
    let (billed, bills) = billed(conn, &o.id)?;
    let lines = repo::lines_of(conn, &o.id)?
        .iter()
        .map(|l| {
            Ok(PurchaseOrderLineResponse {
                id: PurchaseOrderLineId::from_db(&l.id)?,
                line_no: l.line_no,
                item_id: l.item_id,
                quantity: Qty::from_scaled(l.quantity),
                unit_price: Price::from_scaled(l.unit_price),
                line_total: Money::from_scaled(l.line_total),
                received_quantity: Qty::from_scaled(l.received_quantity),
                open_quantity: Qty::from_scaled((l.quantity - l.received_quantity).max(0)),
                billed_quantity: Qty::from_scaled(billed.get(&l.line_no).copied().unwrap_or(0)),
                expected_date: l.expected_date,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(PurchaseOrderResponse {
        id: PurchaseOrderId::from_db(&o.id)?,
        number: o.number.clone(),
        supplier_id: o.supplier_id,
        warehouse_id: o.warehouse_id,
        status: o.status,
        currency: o.currency.clone(),
        order_date: o.order_date,
        expected_date: o.expected_date,
        over_receipt_tolerance: Qty::from_scaled(o.over_receipt_tolerance),
        notes: o.notes.clone(),
        total: Money::from_scaled(o.total),
        lines,
        bills,
        budget_warnings: Vec::new(),
        version: o.version,
        created_at: o.created_at.and_utc(),
        updated_at: o.updated_at.and_utc(),
    })
}

/// An order of the actor's company whose warehouse they may see.
pub fn load(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<PurchaseOrder, AppError> {
    let o = repo::find(conn, id, actor.company_id)?.ok_or(AppError::NotFound(ENTITY))?;
    load_visible(conn, actor, o.warehouse_id).map_err(|_| AppError::NotFound(ENTITY))?;
    Ok(o)
}

/// Turns line input into lines: base-unit quantities, prices from the supplier if not given.
fn build_lines(
    conn: &mut DbConnection,
    actor: &Actor,
    order: &PurchaseOrder,
    input: &[PurchaseOrderLineInput],
) -> Result<(Vec<PurchaseOrderLine>, i64), AppError> {
    let mut v = Validator::new();
    v.check(
        !input.is_empty(),
        "lines",
        "an order needs at least one line",
    );
    v.check(input.len() <= 1000, "lines", "at most 1000 lines");
    let mut lines = Vec::new();
    let mut total = rust_decimal::Decimal::ZERO;
    for (i, l) in input.iter().enumerate() {
        let field = |f: &str| format!("lines[{i}].{f}");
        let Ok(it) = item::service::load(conn, actor, l.item_id) else {
            v.add(field("item_id"), "no such item");
            continue;
        };
        if it.item_type == ItemType::Service || !it.active {
            v.add(field("item_id"), "the item is not an active stocked item");
            continue;
        }
        if l.quantity <= Qty::ZERO {
            v.add(field("quantity"), "must be greater than zero");
            continue;
        }
        let uom = l.uom_id.unwrap_or(it.base_uom_id);
        let qty = match convert::to_base(conn, &it, l.quantity, uom, &field("quantity")) {
            Ok(q) => q,
            Err(AppError::Validation(errors)) => {
                for e in errors {
                    v.add(e.field, e.message);
                }
                continue;
            }
            Err(e) => return Err(e),
        };
        let q = qty
            .to_scaled()
            .map_err(|e| AppError::field(field("quantity"), e.to_string()))?;
        let price = match l.unit_price {
            Some(p) if p < Price::ZERO => {
                v.add(field("unit_price"), "must not be negative");
                continue;
            }
            Some(p) => p,
            None => match price_for(conn, order.company_id, order.supplier_id, &it, q)? {
                Some(p) => p,
                None => {
                    v.add(
                        field("unit_price"),
                        "no price is known for this supplier and item: give one",
                    );
                    continue;
                }
            },
        };
        let line_total = Money::rounded(qty.value() * price.value())
            .map_err(|e| AppError::field(field("unit_price"), e.to_string()))?;
        total += line_total.value();
        lines.push(PurchaseOrderLine {
            id: new_id(),
            order_id: order.id.clone(),
            line_no: (i + 1) as i32,
            item_id: it.id,
            quantity: q,
            unit_price: price
                .to_scaled()
                .map_err(|e| AppError::field(field("unit_price"), e.to_string()))?,
            line_total: line_total.to_scaled().unwrap_or(0),
            received_quantity: 0,
            received_value: 0,
            expected_date: l.expected_date.or(order.expected_date),
        });
    }
    v.finish()?;
    let total = Money::new(total)
        .and_then(|t| t.to_scaled())
        .map_err(|e| AppError::field("lines", e.to_string()))?;
    Ok((lines, total))
}

fn tolerance(v: Option<Qty>) -> Result<i64, AppError> {
    let t = v.unwrap_or(Qty::ZERO);
    if t < Qty::ZERO || t.value() > rust_decimal::Decimal::from(1000) {
        return Err(AppError::field(
            "over_receipt_tolerance",
            "must be a percentage between 0 and 1000",
        ));
    }
    t.to_scaled()
        .map_err(|e| AppError::field("over_receipt_tolerance", e.to_string()))
}

pub fn create_purchase_order(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreatePurchaseOrderRequest,
) -> Result<PurchaseOrderResponse, AppError> {
    actor.require("inventory.purchase.write")?;
    let mut v = Validator::new();
    if let Some(c) = &req.currency {
        check_currency(&mut v, "currency", c);
    }
    v.opt_text("notes", req.notes.as_deref(), 10_000);
    v.finish()?;
    let tolerance = tolerance(req.over_receipt_tolerance)?;
    write_tx(conn, |conn| {
        let company_id = actor.company_id;
        check_supplier(conn, company_id, req.supplier_id, "supplier_id")?;
        let w = load_visible(conn, actor, req.warehouse_id)
            .map_err(|_| AppError::field("warehouse_id", "no such warehouse"))?;
        let company =
            company::repo::find(conn, actor.company_id)?.ok_or(AppError::NotFound("company"))?;
        let order_date = req.order_date.unwrap_or_else(|| Utc::now().date_naive());
        if req.expected_date.is_some_and(|d| d < order_date) {
            return Err(AppError::field(
                "expected_date",
                "must not be before the order date",
            ));
        }
        let at = now();
        let mut o = PurchaseOrder {
            id: req.id.unwrap_or_default().to_db(),
            company_id,
            number: String::new(),
            supplier_id: req.supplier_id,
            warehouse_id: w.id,
            status: PurchaseOrderStatus::Draft,
            currency: req.currency.clone().unwrap_or(company.currency),
            order_date,
            expected_date: req.expected_date,
            over_receipt_tolerance: tolerance,
            notes: req.notes.clone(),
            total: 0,
            version: 1,
            created_by: actor.user_id,
            created_at: at,
            updated_at: at,
        };
        let (lines, total) = build_lines(conn, actor, &o, &req.lines)?;
        if repo::find(conn, &o.id, company_id)?.is_some() {
            return Err(InventoryError::DuplicatePurchaseOrderId.into());
        }
        o.total = total;
        o.number = next_number(
            conn,
            actor.company_id,
            "PO",
            chrono::Datelike::year(&order_date),
        )?;
        repo::insert(conn, &o)?;
        repo::replace_lines(conn, &o.id, &lines)?;
        let out = to_response(conn, &o)?;
        audit::record(conn, actor, ENTITY, &o.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_purchase_order(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PurchaseOrderId,
) -> Result<PurchaseOrderResponse, AppError> {
    actor.require("inventory.purchase.read")?;
    let o = load(conn, actor, &id.to_string())?;
    to_response(conn, &o)
}

pub fn list_purchase_orders(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: PurchaseOrderListQuery,
) -> Result<PurchaseOrderPage, AppError> {
    actor.require("inventory.purchase.read")?;
    let page = params.validate()?;
    let warehouse_ids = warehouse_filter(conn, actor, q.warehouse_id)?;
    super::price::check_supplier_filter(conn, actor, q.supplier_id)?;
    let filter = OrderFilter {
        status: q.status.map(|s| enum_to_db(&s)),
        supplier_id: q.supplier_id.map(|s| s.to_string()),
        warehouse_ids,
    };
    let rows = repo::list(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |o| &o.id);
    let items = rows
        .iter()
        .map(|o| to_response(conn, o))
        .collect::<Result<_, _>>()?;
    Ok(PurchaseOrderPage { items, next_cursor })
}

pub fn update_purchase_order(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PurchaseOrderId,
    expected: i64,
    req: UpdatePurchaseOrderRequest,
) -> Result<PurchaseOrderResponse, AppError> {
    actor.require("inventory.purchase.write")?;
    let mut v = Validator::new();
    v.opt_text("notes", req.notes.as_deref(), 10_000);
    v.finish()?;
    write_tx(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string())?;
        if o.version != expected {
            return Err(AppError::VersionMismatch { current: o.version });
        }
        if o.status != PurchaseOrderStatus::Draft {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "change",
                current: o.status.to_string(),
            });
        }
        let before = to_response(conn, &o)?;
        if let Some(d) = req.expected_date {
            if d < o.order_date {
                return Err(AppError::field(
                    "expected_date",
                    "must not be before the order date",
                ));
            }
            o.expected_date = Some(d);
        }
        if req.over_receipt_tolerance.is_some() {
            o.over_receipt_tolerance = tolerance(req.over_receipt_tolerance)?;
        }
        if let Some(n) = &req.notes {
            o.notes = Some(n.clone()).filter(|n| !n.is_empty());
        }
        if let Some(input) = &req.lines {
            let (lines, total) = build_lines(conn, actor, &o, input)?;
            repo::replace_lines(conn, &o.id, &lines)?;
            o.total = total;
        }
        o.version += 1;
        o.updated_at = now();
        if !repo::update_versioned(conn, &o, expected)? {
            return Err(AppError::VersionMismatch { current: o.version });
        }
        let after = to_response(conn, &o)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &o.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

/// Moves an order from one of `from` to `to`; 409 with the current state otherwise.
pub fn transition(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PurchaseOrderId,
    action: &'static str,
    from: &[&str],
    to: PurchaseOrderStatus,
) -> Result<PurchaseOrderResponse, AppError> {
    actor.require("inventory.purchase.write")?;
    write_tx(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string())?;
        if !from.contains(&o.status.as_str()) {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action,
                current: o.status.to_string(),
            });
        }
        if to == PurchaseOrderStatus::Cancelled
            && repo::lines_of(conn, &o.id)?
                .iter()
                .any(|l| l.received_quantity > 0)
        {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action,
                current: "partially_received".into(),
            });
        }
        // Confirming commits the order's value: budget control may warn or refuse.
        let warnings = if to == PurchaseOrderStatus::Confirmed {
            super::budget::check_order(conn, &o)?
        } else {
            Vec::new()
        };
        let expected = o.version;
        o.status = to;
        o.version += 1;
        o.updated_at = now();
        if !repo::update_versioned(conn, &o, expected)? {
            return Err(AppError::VersionMismatch { current: o.version });
        }
        let mut after = to_response(conn, &o)?;
        after.budget_warnings = warnings;
        audit::record(
            conn,
            actor,
            ENTITY,
            &o.id,
            Change::Action(action, Some(&after)),
        )?;
        Ok(after)
    })
}
