//! Ending an order: closed (reservations released) or cancelled, and its report of plan
//! against actual.

use std::collections::HashMap;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{write_tx, DbConnection};
use erp_core::error::AppError;
use erp_core::money::{Money, Price, Qty};
use erp_inventory::reservation::service as reservation;
use rust_decimal::Decimal;

use super::dto::*;
use super::posting;
use super::repo::{self};
use super::service::*;
use crate::bom::structure::{ceil6, CostModel, Structure};
use crate::ids::{ProductionOrderId, WorkCenterId};
use crate::model::ProductionOrder;
use crate::work_center;

pub(super) fn release_reservations(
    conn: &mut DbConnection,
    actor: &Actor,
    o: &ProductionOrder,
) -> Result<(), AppError> {
    for c in repo::components(conn, &o.id)? {
        if let Some(r) = &c.reservation_id {
            reservation::release_if_open(conn, actor, r)?;
        }
    }
    Ok(())
}

/// Closes an order: reservations left are released; the report is final.
pub fn close(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ProductionOrderId,
) -> Result<ProductionReport, AppError> {
    actor.require("mrp.production.write")?;
    write_tx(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string())?;
        if !matches!(o.status.as_str(), "released" | "in_progress" | "completed") {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "close",
                current: o.status.to_string(),
            });
        }
        release_reservations(conn, actor, &o)?;
        touch(conn, &mut o, ProductionStatus::Closed)?;
        let out = to_response(conn, &o)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &o.id,
            Change::Action("close", Some(&out)),
        )?;
        let report = build_report(conn, &o)?;
        let currency = erp_finance::entry::service::company_currency(conn, o.company_id)?;
        let mut absorbed = Decimal::ZERO;
        for op in &report.operations {
            absorbed += op.actual_cost.value();
        }
        let cost = posting::OrderCost {
            issued: repo::components(conn, &o.id)?
                .iter()
                .map(|c| c.issued_cost)
                .sum(),
            absorbed: Money::new(erp_finance::currency::round_to_minor_unit(
                absorbed, &currency,
            ))
            .and_then(Money::to_scaled)?,
        };
        posting::post_close(conn, actor, &o, &cost, chrono::Utc::now().date_naive())?;
        Ok(report)
    })
}

/// Cancels an order nothing was issued to or received from.
pub fn cancel(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ProductionOrderId,
) -> Result<ProductionOrderResponse, AppError> {
    actor.require("mrp.production.write")?;
    write_tx(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string())?;
        let issued = repo::components(conn, &o.id)?
            .iter()
            .any(|c| c.quantity_issued > 0);
        if o.status != ProductionStatus::Released || issued || o.quantity_completed > 0 {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "cancel",
                current: if issued {
                    "components issued".into()
                } else {
                    o.status.to_string()
                },
            });
        }
        release_reservations(conn, actor, &o)?;
        touch(conn, &mut o, ProductionStatus::Cancelled)?;
        let out = to_response(conn, &o)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &o.id,
            Change::Action("cancel", Some(&out)),
        )?;
        Ok(out)
    })
}

pub fn report(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ProductionOrderId,
) -> Result<ProductionReport, AppError> {
    actor.require("mrp.production.read")?;
    let o = load(conn, actor, &id.to_string())?;
    build_report(conn, &o)
}

pub(super) fn build_report(
    conn: &mut DbConnection,
    o: &ProductionOrder,
) -> Result<ProductionReport, AppError> {
    let planned_qty = Qty::from_scaled(o.quantity).value();
    let done = Qty::from_scaled(o.quantity_completed).value();
    // Plan for what was made; for the whole order while nothing is made yet.
    let basis = if done > Decimal::ZERO {
        done / planned_qty
    } else {
        Decimal::ONE
    };
    let mut structure = Structure::load(conn, o.company_id)?;
    let mut costs = CostModel::new(conn, &mut structure)?;
    let mut materials = Vec::new();
    let (mut planned_total, mut actual_total) = (Decimal::ZERO, Decimal::ZERO);
    for c in repo::components(conn, &o.id)? {
        let unit = costs.unit_cost(conn, c.item_id, 1)?;
        let plan_q = ceil6(Qty::from_scaled(c.quantity_required).value() * basis);
        let plan_cost = plan_q.value() * unit;
        let actual_cost = Money::from_scaled(c.issued_cost).value();
        planned_total += plan_cost;
        actual_total += actual_cost;
        let sku = erp_inventory::item::repo::find(conn, c.item_id, o.company_id)?
            .map(|i| i.sku)
            .unwrap_or_default();
        materials.push(MaterialVariance {
            item_id: c.item_id,
            sku,
            planned_quantity: plan_q,
            actual_quantity: Qty::from_scaled(c.quantity_issued),
            planned_cost: money(plan_cost),
            actual_cost: money(actual_cost),
        });
    }
    let rates: HashMap<WorkCenterId, Decimal> = work_center::repo::list(conn, o.company_id)?
        .into_iter()
        .map(|w| (w.id, Price::from_scaled(w.cost_per_hour).value()))
        .collect();
    let mut operations = Vec::new();
    for op in repo::operations(conn, &o.id)? {
        let rate = rates.get(&op.work_center_id).copied().unwrap_or_default();
        let planned = Qty::from_scaled(op.planned_setup_hours).value()
            + Qty::from_scaled(op.planned_run_hours).value() * basis;
        let actual = Qty::from_scaled(op.actual_setup_hours).value()
            + Qty::from_scaled(op.actual_run_hours).value();
        planned_total += planned * rate;
        actual_total += actual * rate;
        operations.push(OperationVariance {
            seq: op.seq,
            name: op.name.clone(),
            planned_hours: ceil6(planned),
            actual_hours: ceil6(actual),
            cost_per_hour: Price::from_scaled(rates.get(&op.work_center_id).map_or(0, |r| {
                Price::new(*r).and_then(|p| p.to_scaled()).unwrap_or(0)
            })),
            planned_cost: money(planned * rate),
            actual_cost: money(actual * rate),
        });
    }
    Ok(ProductionReport {
        order_id: ProductionOrderId::from_db(&o.id)?,
        number: o.number.clone(),
        status: o.status,
        planned_quantity: Qty::from_scaled(o.quantity),
        completed_quantity: Qty::from_scaled(o.quantity_completed),
        materials,
        operations,
        planned_cost: money(planned_total),
        actual_cost: money(actual_total),
        variance: money(actual_total - planned_total),
        actual_unit_cost: (done > Decimal::ZERO).then(|| money(actual_total / done)),
    })
}
