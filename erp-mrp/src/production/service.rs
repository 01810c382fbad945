//! Production orders: released with components reserved, components issued (by hand or by
//! backflush), operations reported, output received, closed with plan against actual.

use std::collections::HashMap;

use chrono::{Datelike, Utc};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, uuid_from_db, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::{round_commercial, Money, Price, Qty};
use erp_core::numbering::next_number;
use erp_core::pagination::ListParams;
use erp_inventory::reservation::{
    dto::CreateReservationRequest, repo as reservation_repo, service as reservation,
};
use erp_inventory::stock::dto::{MoveType, PostMoveRequest};
use erp_inventory::stock::post::{post_move_for_document, Visibility};
use erp_inventory::stock::repo as stock_repo;
use erp_inventory::warehouse::service::load_location;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::dto::*;
use super::posting;
use super::repo::{self, ProductionFilter};
use crate::bom::repo as bom_repo;
use crate::bom::service::stocked_item;
use crate::bom::structure::{ceil6, quantity_per, CostModel, Structure};
use crate::error::MrpError;
use crate::model::{ComponentRow, OperationRow, ProductionOrder};
use crate::planning::repo as planning_repo;
use crate::util::scaled;
use crate::work_center;

const ENTITY: &str = "production_order";

fn money(d: Decimal) -> Money {
    Money::new(round_commercial(d, 4)).unwrap_or(Money::ZERO)
}

pub fn to_response(
    conn: &mut DbConnection,
    o: &ProductionOrder,
) -> Result<ProductionOrderResponse, AppError> {
    let sku = |conn: &mut DbConnection, id: &str| -> Result<String, AppError> {
        Ok(erp_inventory::item::repo::find(conn, id, &o.company_id)?
            .map(|i| i.sku)
            .unwrap_or_default())
    };
    let mut components = Vec::new();
    for c in repo::components(conn, &o.id)? {
        let reserved = match &c.reservation_id {
            Some(r) => reservation_repo::find(conn, r, &o.company_id)?
                .filter(|r| r.status == "open")
                .map_or(0, |r| r.quantity - r.consumed),
            None => 0,
        };
        components.push(ComponentResponse {
            line_no: c.line_no,
            item_id: uuid_from_db(&c.item_id)?,
            sku: sku(conn, &c.item_id)?,
            quantity_required: Qty::from_scaled(c.quantity_required),
            quantity_issued: Qty::from_scaled(c.quantity_issued),
            quantity_reserved: Qty::from_scaled(reserved),
            shortage: Qty::from_scaled((c.quantity_required - c.quantity_issued - reserved).max(0)),
            issued_cost: Money::from_scaled(c.issued_cost),
            reservation_id: c.reservation_id.as_deref().map(uuid_from_db).transpose()?,
        });
    }
    let operations = repo::operations(conn, &o.id)?
        .into_iter()
        .map(|op| {
            Ok(OperationProgress {
                seq: op.seq,
                name: op.name.clone(),
                work_center_id: uuid_from_db(&op.work_center_id)?,
                planned_setup_hours: Qty::from_scaled(op.planned_setup_hours),
                planned_run_hours: Qty::from_scaled(op.planned_run_hours),
                actual_setup_hours: Qty::from_scaled(op.actual_setup_hours),
                actual_run_hours: Qty::from_scaled(op.actual_run_hours),
                quantity_done: Qty::from_scaled(op.quantity_done),
                quantity_scrapped: Qty::from_scaled(op.quantity_scrapped),
                status: op.status.clone(),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(ProductionOrderResponse {
        id: uuid_from_db(&o.id)?,
        number: o.number.clone(),
        item_id: uuid_from_db(&o.item_id)?,
        sku: sku(conn, &o.item_id)?,
        bom_id: o.bom_id.as_deref().map(uuid_from_db).transpose()?,
        status: enum_from_db(&o.status)?,
        quantity: Qty::from_scaled(o.quantity),
        quantity_completed: Qty::from_scaled(o.quantity_completed),
        location_id: uuid_from_db(&o.location_id)?,
        warehouse_id: uuid_from_db(&o.warehouse_id)?,
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

fn load(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<ProductionOrder, AppError> {
    let o = repo::find(conn, id, &actor.company_id.to_db())?.ok_or(AppError::NotFound(ENTITY))?;
    load_location(conn, actor, &o.location_id).map_err(|_| AppError::NotFound(ENTITY))?;
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
    let mut v = Validator::new();
    v.check(
        req.quantity > Qty::ZERO,
        "quantity",
        "must be greater than zero",
    );
    v.opt_text("notes", req.notes.as_deref(), 10_000);
    let start = req.start_date.unwrap_or_else(|| Utc::now().date_naive());
    v.check(
        req.due_date >= start,
        "due_date",
        "must not be before the start date",
    );
    v.finish()?;
    write_tx(conn, |conn| {
        let it = stocked_item(conn, actor, req.item_id, "item_id")?;
        let bom = bom_repo::active_of(conn, &it.id)?
            .ok_or_else(|| AppError::field("item_id", "the item has no active BOM"))?;
        let (loc, warehouse) = load_location(conn, actor, &req.location_id.to_string())
            .map_err(|_| AppError::field("location_id", "no such location"))?;
        if loc.kind != "storage" || !loc.active {
            return Err(AppError::field(
                "location_id",
                "production takes from and puts into an active storage location",
            ));
        }
        let company_id = actor.company_id.to_db();
        let qty = req.quantity.value();
        let at = now();
        let id = req.id.map(|i| i.to_string()).unwrap_or_else(new_id);
        let mut structure = Structure::load(conn, &company_id)?;
        let mut costs = CostModel::new(conn, &mut structure)?;
        let mut planned = Decimal::ZERO;
        let mut components = Vec::new();
        for l in bom_repo::lines_of(conn, &bom.id)?.iter().filter(|l| {
            l.effective_from.is_none_or(|d| start >= d) && l.effective_to.is_none_or(|d| start <= d)
        }) {
            let required = ceil6(qty * quantity_per(&bom, l));
            planned += required.value() * costs.unit_cost(conn, &l.component_id, 1)?;
            components.push(ComponentRow {
                id: new_id(),
                order_id: id.clone(),
                line_no: components.len() as i32 + 1,
                item_id: l.component_id.clone(),
                quantity_required: scaled(required, "quantity")?,
                quantity_issued: 0,
                issued_cost: 0,
                reservation_id: None,
            });
        }
        let rates: HashMap<String, Decimal> = work_center::repo::list(conn, &company_id)?
            .into_iter()
            .map(|w| (w.id, Price::from_scaled(w.cost_per_hour).value()))
            .collect();
        let mut ops = Vec::new();
        for op in planning_repo::routing_of(conn, &it.id)? {
            let run = ceil6(Qty::from_scaled(op.run_hours).value() * qty);
            planned += (Qty::from_scaled(op.setup_hours).value() + run.value())
                * rates.get(&op.work_center_id).copied().unwrap_or_default();
            ops.push(OperationRow {
                id: new_id(),
                order_id: id.clone(),
                seq: op.seq,
                name: op.name.clone(),
                work_center_id: op.work_center_id.clone(),
                planned_setup_hours: op.setup_hours,
                planned_run_hours: scaled(run, "quantity")?,
                actual_setup_hours: 0,
                actual_run_hours: 0,
                quantity_done: 0,
                quantity_scrapped: 0,
                status: "pending".into(),
            });
        }
        let o = ProductionOrder {
            id: id.clone(),
            company_id: company_id.clone(),
            number: next_number(conn, &company_id, "MO", start.year())?,
            item_id: it.id.clone(),
            bom_id: Some(bom.id.clone()),
            location_id: loc.id.clone(),
            warehouse_id: warehouse.id.clone(),
            status: enum_to_db(&ProductionStatus::Released),
            quantity: scaled(req.quantity, "quantity")?,
            quantity_completed: 0,
            start_date: start,
            due_date: req.due_date,
            backflush: req.backflush.unwrap_or(false),
            planned_order_id,
            planned_cost: money(planned)
                .to_scaled()
                .map_err(|e| AppError::field("quantity", e.to_string()))?,
            notes: req.notes.clone(),
            version: 1,
            created_by: actor.user_id.to_db(),
            created_at: at,
            updated_at: at,
            closed_at: None,
        };
        repo::insert(conn, &o, &ops)?;
        // Reserve what the location has of each component.
        for mut c in components {
            let available = stock_repo::balance(conn, &c.item_id, &loc.id, "")?
                .map_or(0, |b| b.on_hand - b.reserved)
                .max(0);
            let take = available.min(c.quantity_required);
            if take > 0 {
                let r = reservation::reserve_for_document(
                    conn,
                    actor,
                    CreateReservationRequest {
                        item_id: uuid_from_db(&c.item_id)?,
                        location_id: req.location_id,
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
        let out = to_response(conn, &o)?;
        audit::record(conn, actor, ENTITY, &o.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_production_order(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
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
    let filter = ProductionFilter {
        item_id: q.item_id.map(|i| i.to_string()),
        status: q.status.map(|s| enum_to_db(&s)),
    };
    let rows = repo::list(conn, &actor.company_id.to_db(), &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |o| &o.id);
    let items = rows
        .iter()
        .map(|o| to_response(conn, o))
        .collect::<Result<_, _>>()?;
    Ok(ProductionOrderPage { items, next_cursor })
}

fn require_open(o: &ProductionOrder, action: &'static str) -> Result<(), AppError> {
    if o.status == "released" || o.status == "in_progress" {
        Ok(())
    } else {
        Err(AppError::InvalidState {
            entity: ENTITY,
            action,
            current: o.status.clone(),
        })
    }
}

/// Issues `q` (base unit ×10^6) of a component: from its reservation first, then from what
/// is free in the location.
fn issue_component(
    conn: &mut DbConnection,
    actor: &Actor,
    o: &ProductionOrder,
    c: &mut ComponentRow,
    q: i64,
    effective_at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(), AppError> {
    let reserved_left = match &c.reservation_id {
        Some(r) => reservation_repo::find(conn, r, &o.company_id)?
            .filter(|r| r.status == "open")
            .map_or(0, |r| r.quantity - r.consumed),
        None => 0,
    };
    let from_reservation = q.min(reserved_left);
    for (part, reservation_id) in [
        (from_reservation, c.reservation_id.clone()),
        (q - from_reservation, None),
    ] {
        if part <= 0 {
            continue;
        }
        let m = post_move_for_document(
            conn,
            actor,
            PostMoveRequest {
                move_type: MoveType::Issue,
                item_id: uuid_from_db(&c.item_id)?,
                quantity: Qty::from_scaled(part),
                uom_id: None,
                from_location_id: Some(uuid_from_db(&o.location_id)?),
                to_location_id: None,
                lot: None,
                unit_cost: None,
                reference_type: Some(ENTITY.into()),
                reference_id: Some(o.id.clone()),
                reservation_id: reservation_id.as_deref().map(uuid_from_db).transpose()?,
                note: Some(format!("issued to {}", o.number)),
                effective_at,
            },
            Visibility::Company,
        )
        .map_err(|e| e.under(&format!("components[{}]", c.line_no - 1)))?;
        c.quantity_issued += part;
        c.issued_cost += m.total_cost.to_scaled().unwrap_or(0);
    }
    repo::save_component(conn, c)?;
    Ok(())
}

fn touch(
    conn: &mut DbConnection,
    o: &mut ProductionOrder,
    status: ProductionStatus,
) -> Result<(), AppError> {
    let expected = o.version;
    o.status = enum_to_db(&status);
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

/// Issues components: the lines given, or everything still to issue.
pub fn issue(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    req: IssueRequest,
) -> Result<ProductionOrderResponse, AppError> {
    actor.require("mrp.production.write")?;
    write_tx(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string())?;
        require_open(&o, "issue")?;
        let mut components = repo::components(conn, &o.id)?;
        let wanted: Vec<(usize, i64)> = match &req.lines {
            None => components
                .iter()
                .enumerate()
                .map(|(k, c)| (k, c.quantity_required - c.quantity_issued))
                .filter(|(_, q)| *q > 0)
                .collect(),
            Some(lines) => {
                let mut v = Validator::new();
                v.check(
                    !lines.is_empty(),
                    "lines",
                    "name at least one line, or leave lines out to issue everything",
                );
                let mut out = Vec::new();
                for (i, l) in lines.iter().enumerate() {
                    let item = l.item_id.to_string();
                    match components.iter().position(|c| c.item_id == item) {
                        None => v.add(
                            format!("lines[{i}].item_id"),
                            "is not a component of this order",
                        ),
                        Some(k) => {
                            let left =
                                components[k].quantity_required - components[k].quantity_issued;
                            match l.quantity.to_scaled() {
                                Ok(q) if q > 0 && q <= left => out.push((k, q)),
                                Ok(q) if q > 0 => v.add(
                                    format!("lines[{i}].quantity"),
                                    format!("only {} is still to issue", Qty::from_scaled(left)),
                                ),
                                _ => v.add(
                                    format!("lines[{i}].quantity"),
                                    "must be greater than zero",
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
            return Err(MrpError::NothingToIssue.into());
        }
        for (k, q) in wanted {
            issue_component(conn, actor, &o, &mut components[k], q, req.effective_at)?;
        }
        if o.status == "released" {
            touch(conn, &mut o, ProductionStatus::InProgress)?;
        }
        let out = to_response(conn, &o)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &o.id,
            Change::Action("issue", Some(&out)),
        )?;
        Ok(out)
    })
}

/// Reports progress on an operation: quantities and hours add to what was reported.
pub fn report_operation(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    seq: i32,
    req: ReportOperationRequest,
) -> Result<ProductionOrderResponse, AppError> {
    actor.require("mrp.production.write")?;
    let mut v = Validator::new();
    for (f, q) in [
        ("quantity_done", Some(req.quantity_done)),
        ("quantity_scrapped", req.quantity_scrapped),
        ("setup_hours", req.setup_hours),
        ("run_hours", req.run_hours),
    ] {
        crate::util::check_non_negative(&mut v, f, q);
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string())?;
        require_open(&o, "report")?;
        let mut op = repo::operations(conn, &o.id)?
            .into_iter()
            .find(|op| op.seq == seq)
            .ok_or(AppError::NotFound("operation"))?;
        if op.status == "done" {
            return Err(AppError::InvalidState {
                entity: "operation",
                action: "report",
                current: op.status.clone(),
            });
        }
        op.quantity_done += scaled(req.quantity_done, "quantity_done")?;
        op.quantity_scrapped += scaled(
            req.quantity_scrapped.unwrap_or(Qty::ZERO),
            "quantity_scrapped",
        )?;
        op.actual_setup_hours += scaled(req.setup_hours.unwrap_or(Qty::ZERO), "setup_hours")?;
        op.actual_run_hours += scaled(req.run_hours.unwrap_or(Qty::ZERO), "run_hours")?;
        op.status = if req.finished.unwrap_or(op.quantity_done >= o.quantity) {
            "done".into()
        } else {
            "in_progress".into()
        };
        repo::save_operation(conn, &op)?;
        if o.status == "released" {
            touch(conn, &mut o, ProductionStatus::InProgress)?;
        }
        let out = to_response(conn, &o)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &o.id,
            Change::Action("report_operation", Some(&out)),
        )?;
        Ok(out)
    })
}

/// Receives output into the order's location at the item's standard cost (or the planned
/// unit cost); with backflush, issues the components that output used.
pub fn receive_output(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    req: ReceiveOutputRequest,
) -> Result<ProductionOrderResponse, AppError> {
    actor.require("mrp.production.write")?;
    if req.quantity <= Qty::ZERO {
        return Err(AppError::field("quantity", "must be greater than zero"));
    }
    write_tx(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string())?;
        require_open(&o, "receive")?;
        let q = scaled(req.quantity, "quantity")?;
        if o.quantity_completed + q > o.quantity {
            return Err(MrpError::OverCompletion(Qty::from_scaled(
                o.quantity - o.quantity_completed,
            ))
            .into());
        }
        let completed = o.quantity_completed + q;
        if o.backflush {
            let mut components = repo::components(conn, &o.id)?;
            for c in components.iter_mut() {
                let target = if completed == o.quantity {
                    c.quantity_required
                } else {
                    scaled(
                        ceil6(
                            Qty::from_scaled(c.quantity_required).value()
                                * Decimal::from(completed)
                                / Decimal::from(o.quantity),
                        ),
                        "quantity",
                    )?
                };
                let due = target - c.quantity_issued;
                if due > 0 {
                    issue_component(conn, actor, &o, c, due, req.effective_at)?;
                }
            }
        }
        let it = erp_inventory::item::repo::find(conn, &o.item_id, &o.company_id)?
            .ok_or(AppError::NotFound("item"))?;
        let unit_cost = if it.standard_cost != 0 {
            Money::from_scaled(it.standard_cost).value()
        } else {
            Money::from_scaled(o.planned_cost).value() / Qty::from_scaled(o.quantity).value()
        };
        post_move_for_document(
            conn,
            actor,
            PostMoveRequest {
                move_type: MoveType::Receipt,
                item_id: uuid_from_db(&o.item_id)?,
                quantity: req.quantity,
                uom_id: None,
                from_location_id: None,
                to_location_id: Some(uuid_from_db(&o.location_id)?),
                lot: req.lot.clone(),
                unit_cost: Some(
                    Price::rounded(unit_cost)
                        .map_err(|e| AppError::field("quantity", e.to_string()))?,
                ),
                reference_type: Some(ENTITY.into()),
                reference_id: Some(o.id.clone()),
                reservation_id: None,
                note: Some(format!("output of {}", o.number)),
                effective_at: req.effective_at,
            },
            Visibility::Company,
        )?;
        o.quantity_completed = completed;
        let status = if completed == o.quantity {
            ProductionStatus::Completed
        } else {
            ProductionStatus::InProgress
        };
        touch(conn, &mut o, status)?;
        let out = to_response(conn, &o)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &o.id,
            Change::Action("receive", Some(&out)),
        )?;
        Ok(out)
    })
}

fn release_reservations(
    conn: &mut DbConnection,
    actor: &Actor,
    o: &ProductionOrder,
) -> Result<(), AppError> {
    for c in repo::components(conn, &o.id)? {
        if let Some(r) = &c.reservation_id {
            reservation::release_if_open(conn, actor, &o.company_id, r)?;
        }
    }
    Ok(())
}

/// Closes an order: reservations left are released; the report is final.
pub fn close(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<ProductionReport, AppError> {
    actor.require("mrp.production.write")?;
    write_tx(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string())?;
        if !matches!(o.status.as_str(), "released" | "in_progress" | "completed") {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "close",
                current: o.status.clone(),
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
        let currency = erp_finance::entry::service::company_currency(conn, &o.company_id)?;
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
    id: Uuid,
) -> Result<ProductionOrderResponse, AppError> {
    actor.require("mrp.production.write")?;
    write_tx(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string())?;
        let issued = repo::components(conn, &o.id)?
            .iter()
            .any(|c| c.quantity_issued > 0);
        if o.status != "released" || issued || o.quantity_completed > 0 {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "cancel",
                current: if issued {
                    "components issued".into()
                } else {
                    o.status.clone()
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
    id: Uuid,
) -> Result<ProductionReport, AppError> {
    actor.require("mrp.production.read")?;
    let o = load(conn, actor, &id.to_string())?;
    build_report(conn, &o)
}

fn build_report(
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
    let mut structure = Structure::load(conn, &o.company_id)?;
    let mut costs = CostModel::new(conn, &mut structure)?;
    let mut materials = Vec::new();
    let (mut planned_total, mut actual_total) = (Decimal::ZERO, Decimal::ZERO);
    for c in repo::components(conn, &o.id)? {
        let unit = costs.unit_cost(conn, &c.item_id, 1)?;
        let plan_q = ceil6(Qty::from_scaled(c.quantity_required).value() * basis);
        let plan_cost = plan_q.value() * unit;
        let actual_cost = Money::from_scaled(c.issued_cost).value();
        planned_total += plan_cost;
        actual_total += actual_cost;
        let sku = erp_inventory::item::repo::find(conn, &c.item_id, &o.company_id)?
            .map(|i| i.sku)
            .unwrap_or_default();
        materials.push(MaterialVariance {
            item_id: uuid_from_db(&c.item_id)?,
            sku,
            planned_quantity: plan_q,
            actual_quantity: Qty::from_scaled(c.quantity_issued),
            planned_cost: money(plan_cost),
            actual_cost: money(actual_cost),
        });
    }
    let rates: HashMap<String, Decimal> = work_center::repo::list(conn, &o.company_id)?
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
        order_id: uuid_from_db(&o.id)?,
        number: o.number.clone(),
        status: enum_from_db(&o.status)?,
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

/// Adds labour hours booked on a timesheet to an operation's actual run hours, inside the
/// booking's transaction; HR checked who books. The order must be open; an operation that is
/// done still takes late bookings.
pub fn book_labour(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    seq: i32,
    hours: i64,
) -> Result<(), AppError> {
    let o = repo::find(conn, id, &actor.company_id.to_db())?
        .ok_or_else(|| AppError::field("production_order_id", "no such production order"))?;
    require_open(&o, "book labour on")?;
    let mut op = repo::operations(conn, &o.id)?
        .into_iter()
        .find(|op| op.seq == seq)
        .ok_or_else(|| AppError::field("operation_seq", "no such operation on the order"))?;
    op.actual_run_hours += hours;
    repo::save_operation(conn, &op)?;
    audit::record(
        conn,
        actor,
        ENTITY,
        &o.id,
        Change::Action(
            "book_labour",
            Some(&serde_json::json!({"seq": seq, "hours": Qty::from_scaled(hours)})),
        ),
    )
}
