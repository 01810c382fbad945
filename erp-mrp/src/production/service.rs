//! Production orders: made and released with components reserved, read and listed. Work on
//! the floor (issues, operations, output) is in `floor.rs`; closing, cancelling and the
//! plan-against-actual report in `closing.rs`.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::{round_commercial, Money, Price, Qty};
use erp_core::numbering::next_number;
use erp_core::pagination::ListParams;
use erp_inventory::ids::{ItemId, LocationId, ReservationId};
use erp_inventory::reservation::dto::ReservationStatus;
use erp_inventory::reservation::{
    dto::CreateReservationRequest, repo as reservation_repo, service as reservation,
};
use erp_inventory::stock::repo as stock_repo;
use erp_inventory::warehouse::dto::LocationKind;
use erp_inventory::warehouse::repo::{Location, Warehouse};
use erp_inventory::warehouse::service::load_location;
use rust_decimal::Decimal;

use super::dto::*;
use super::repo::{self, ProductionFilter};
use crate::bom::repo as bom_repo;
use crate::bom::service::stocked_item;
use crate::bom::structure::{ceil6, quantity_per, CostModel, Structure};
use crate::ids::{BomId, ProductionOrderId, WorkCenterId};
use crate::model::{Bom, ComponentRow, OperationRow, ProductionOrder};
use crate::planning::repo as planning_repo;
use crate::util::scaled;
use crate::work_center;

pub use super::closing::*;
pub use super::floor::*;

pub(super) const ENTITY: &str = "production_order";

pub(super) fn money(d: Decimal) -> Money {
    Money::new(round_commercial(d, 4)).unwrap_or(Money::ZERO)
}

pub fn to_response(
    conn: &mut DbConnection,
    o: &ProductionOrder,
) -> Result<ProductionOrderResponse, AppError> {
    let sku = |conn: &mut DbConnection, id: ItemId| -> Result<String, AppError> {
        Ok(erp_inventory::item::repo::find(conn, id, o.company_id)?
            .map(|i| i.sku)
            .unwrap_or_default())
    };
    let mut components = Vec::new();
    for c in repo::components(conn, &o.id)? {
        let reserved = match &c.reservation_id {
            Some(r) => reservation_repo::find(conn, r, o.company_id)?
                .filter(|r| r.status == ReservationStatus::Open)
                .map_or(0, |r| r.quantity - r.consumed),
            None => 0,
        };
        components.push(ComponentResponse {
            line_no: c.line_no,
            item_id: c.item_id,
            sku: sku(conn, c.item_id)?,
            quantity_required: Qty::from_scaled(c.quantity_required),
            quantity_issued: Qty::from_scaled(c.quantity_issued),
            quantity_reserved: Qty::from_scaled(reserved),
            shortage: Qty::from_scaled((c.quantity_required - c.quantity_issued - reserved).max(0)),
            issued_cost: Money::from_scaled(c.issued_cost),
            reservation_id: ReservationId::from_db_opt(c.reservation_id.as_deref())?,
        });
    }
    let operations = repo::operations(conn, &o.id)?
        .into_iter()
        .map(|op| {
            Ok(OperationProgress {
                seq: op.seq,
                name: op.name.clone(),
                work_center_id: op.work_center_id,
                planned_setup_hours: Qty::from_scaled(op.planned_setup_hours),
                planned_run_hours: Qty::from_scaled(op.planned_run_hours),
                actual_setup_hours: Qty::from_scaled(op.actual_setup_hours),
                actual_run_hours: Qty::from_scaled(op.actual_run_hours),
                quantity_done: Qty::from_scaled(op.quantity_done),
                quantity_scrapped: Qty::from_scaled(op.quantity_scrapped),
                status: op.status,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(ProductionOrderResponse {
        id: ProductionOrderId::from_db(&o.id)?,
        number: o.number.clone(),
        item_id: o.item_id,
        sku: sku(conn, o.item_id)?,
        bom_id: BomId::from_db_opt(o.bom_id.as_deref())?,
        status: o.status,
        quantity: Qty::from_scaled(o.quantity),
        quantity_completed: Qty::from_scaled(o.quantity_completed),
        location_id: o.location_id,
        warehouse_id: o.warehouse_id,
        start_date: o.start_date,
        due_date: o.due_date,
        backflush: o.backflush,
        planned_order_id: o.planned_order_id.clone(),
        planned_cost: Money::from_scaled(o.planned_cost),
        notes: o.notes.clone(),
        components,
        operations,
        version: o.version,
        created_at: o.created_at.and_utc(),
        updated_at: o.updated_at.and_utc(),
        closed_at: o.closed_at.map(|t| t.and_utc()),
    })
}

pub(super) fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<ProductionOrder, AppError> {
    let o = repo::find(conn, id, actor.company_id)?.ok_or(AppError::NotFound(ENTITY))?;
    load_location(conn, actor, o.location_id).map_err(|_| AppError::NotFound(ENTITY))?;
    Ok(o)
}

/// Releases a production order: components from the item's active BOM, reserved as far as
/// the location has them; operations from its routing.
pub fn create_production_order(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateProductionOrderRequest,
    planned_order_id: Option<String>,
) -> Result<ProductionOrderResponse, AppError> {
    actor.require("mrp.production.write")?;
    let start = req.start_date.unwrap_or_else(|| Utc::now().date_naive());
    check_new_order(&req, start)?;
    write_tx(conn, |conn| {
        let it = stocked_item(conn, actor, req.item_id, "item_id")?;
        let bom = bom_repo::active_of(conn, it.id)?
            .ok_or_else(|| AppError::field("item_id", "the item has no active BOM"))?;
        let (loc, warehouse) = production_location(conn, actor, req.location_id)?;
        let company_id = actor.company_id;
        let qty = req.quantity.value();
        let at = now();
        let id = req.id.map(|i| i.to_string()).unwrap_or_else(new_id);
        let (components, material) = components_of(conn, company_id, &bom, &id, qty, start)?;
        let (ops, labour) = operations_of(conn, company_id, it.id, &id, qty)?;
        let o = ProductionOrder {
            id: id.clone(),
            company_id,
            number: next_number(conn, actor.company_id, "MO", start.year())?,
            item_id: it.id,
            bom_id: Some(bom.id.clone()),
            location_id: loc.id,
            warehouse_id: warehouse.id,
            status: ProductionStatus::Released,
            quantity: scaled(req.quantity, "quantity")?,
            quantity_completed: 0,
            start_date: start,
            due_date: req.due_date,
            backflush: req.backflush.unwrap_or(false),
            planned_order_id,
            planned_cost: money(material + labour)
                .to_scaled()
                .map_err(|e| AppError::field("quantity", e.to_string()))?,
            notes: req.notes.clone(),
            version: 1,
            created_by: actor.user_id,
            created_at: at,
            updated_at: at,
            closed_at: None,
        };
        repo::insert(conn, &o, &ops)?;
        reserve_components(conn, actor, &o, components)?;
        let out = to_response(conn, &o)?;
        audit::record(conn, actor, ENTITY, &o.id, Change::Created(&out))?;
        Ok(out)
    })
}

fn check_new_order(req: &CreateProductionOrderRequest, start: NaiveDate) -> Result<(), AppError> {
    let mut v = Validator::new();
    v.check(
        req.quantity > Qty::ZERO,
        "quantity",
        "must be greater than zero",
    );
    v.opt_text("notes", req.notes.as_deref(), 10_000);
    v.check(
        req.due_date >= start,
        "due_date",
        "must not be before the start date",
    );
    v.finish()
}

/// The location production takes from and puts into: an active storage location the actor
/// sees, with its warehouse.
fn production_location(
    conn: &mut DbConnection,
    actor: &Actor,
    id: LocationId,
) -> Result<(Location, Warehouse), AppError> {
    let (loc, warehouse) = load_location(conn, actor, id)
        .map_err(|_| AppError::field("location_id", "no such location"))?;
    if loc.kind != LocationKind::Storage || !loc.active {
        return Err(AppError::field(
            "location_id",
            "production takes from and puts into an active storage location",
        ));
    }
    Ok((loc, warehouse))
}

/// The components order `order_id` needs to make `qty` by the BOM's lines in effect on
/// `start`, and what they cost at the components' unit costs.
fn components_of(
    conn: &mut DbConnection,
    company_id: CompanyId,
    bom: &Bom,
    order_id: &str,
    qty: Decimal,
    start: NaiveDate,
) -> Result<(Vec<ComponentRow>, Decimal), AppError> {
    let mut structure = Structure::load(conn, company_id)?;
    let mut costs = CostModel::new(conn, &mut structure)?;
    let mut cost = Decimal::ZERO;
    let mut components = Vec::new();
    for l in bom_repo::lines_of(conn, &bom.id)?.iter().filter(|l| {
        l.effective_from.is_none_or(|d| start >= d) && l.effective_to.is_none_or(|d| start <= d)
    }) {
        let required = ceil6(qty * quantity_per(bom, l));
        cost += required.value() * costs.unit_cost(conn, l.component_id, 1)?;
        components.push(ComponentRow {
            id: new_id(),
            order_id: order_id.to_string(),
            line_no: components.len() as i32 + 1,
            item_id: l.component_id,
            quantity_required: scaled(required, "quantity")?,
            quantity_issued: 0,
            issued_cost: 0,
            reservation_id: None,
        });
    }
    Ok((components, cost))
}

/// The operations of `item`'s routing for `qty`, and what they cost at their work centers'
/// rates (setup once, run per unit).
fn operations_of(
    conn: &mut DbConnection,
    company_id: CompanyId,
    item: ItemId,
    order_id: &str,
    qty: Decimal,
) -> Result<(Vec<OperationRow>, Decimal), AppError> {
    let rates: HashMap<WorkCenterId, Decimal> = work_center::repo::list(conn, company_id)?
        .into_iter()
        .map(|w| (w.id, Price::from_scaled(w.cost_per_hour).value()))
        .collect();
    let mut cost = Decimal::ZERO;
    let mut ops = Vec::new();
    for op in planning_repo::routing_of(conn, item)? {
        let run = ceil6(Qty::from_scaled(op.run_hours).value() * qty);
        cost += (Qty::from_scaled(op.setup_hours).value() + run.value())
            * rates.get(&op.work_center_id).copied().unwrap_or_default();
        ops.push(OperationRow {
            id: new_id(),
            order_id: order_id.to_string(),
            seq: op.seq,
            name: op.name.clone(),
            work_center_id: op.work_center_id,
            planned_setup_hours: op.setup_hours,
            planned_run_hours: scaled(run, "quantity")?,
            actual_setup_hours: 0,
            actual_run_hours: 0,
            quantity_done: 0,
            quantity_scrapped: 0,
            status: OperationStatus::Pending,
        });
    }
    Ok((ops, cost))
}

/// Stores the order's components, each reserved as far as the order's location has it.
fn reserve_components(
    conn: &mut DbConnection,
    actor: &Actor,
    o: &ProductionOrder,
    components: Vec<ComponentRow>,
) -> Result<(), AppError> {
    for mut c in components {
        let available = stock_repo::balance(conn, c.item_id, o.location_id, "")?
            .map_or(0, |b| b.on_hand - b.reserved)
            .max(0);
        let take = available.min(c.quantity_required);
        if take > 0 {
            let r = reservation::reserve_for_document(
                conn,
                actor,
                CreateReservationRequest {
                    item_id: c.item_id,
                    location_id: o.location_id,
                    lot: None,
                    quantity: Qty::from_scaled(take),
                    uom_id: None,
                    reference_type: Some(ENTITY.into()),
                    reference_id: Some(o.id.clone()),
                },
            )?;
            c.reservation_id = Some(r.id.to_string());
        }
        repo::insert_component(conn, &c)?;
    }
    Ok(())
}

pub fn get_production_order(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ProductionOrderId,
) -> Result<ProductionOrderResponse, AppError> {
    actor.require("mrp.production.read")?;
    let o = load(conn, actor, &id.to_string())?;
    to_response(conn, &o)
}

pub fn list_production_orders(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: ProductionListQuery,
) -> Result<ProductionOrderPage, AppError> {
    actor.require("mrp.production.read")?;
    let page = params.validate()?;
    erp_inventory::item::service::check_filter(conn, actor, q.item_id)?;
    let filter = ProductionFilter {
        item_id: q.item_id,
        status: q.status.map(|s| enum_to_db(&s)),
    };
    let rows = repo::list(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |o| &o.id);
    let items = rows
        .iter()
        .map(|o| to_response(conn, o))
        .collect::<Result<_, _>>()?;
    Ok(ProductionOrderPage { items, next_cursor })
}

pub(super) fn require_open(o: &ProductionOrder, action: &'static str) -> Result<(), AppError> {
    if o.status == ProductionStatus::Released || o.status == ProductionStatus::InProgress {
        Ok(())
    } else {
        Err(AppError::InvalidState {
            entity: ENTITY,
            action,
            current: o.status.to_string(),
        })
    }
}

pub(super) fn touch(
    conn: &mut DbConnection,
    o: &mut ProductionOrder,
    status: ProductionStatus,
) -> Result<(), AppError> {
    let expected = o.version;
    o.status = status;
    o.version += 1;
    o.updated_at = now();
    if status == ProductionStatus::Closed || status == ProductionStatus::Cancelled {
        o.closed_at = Some(o.updated_at);
    }
    if !repo::update_versioned(conn, o, expected)? {
        return Err(AppError::VersionMismatch {
            current: expected + 1,
        });
    }
    Ok(())
}
