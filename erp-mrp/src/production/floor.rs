//! Work on the shop floor: components issued (by hand or by backflush), operations and
//! labour reported, output received.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::{Money, Price, Qty};
use erp_inventory::ids::ReservationId;
use erp_inventory::reservation::dto::ReservationStatus;
use erp_inventory::reservation::repo as reservation_repo;
use erp_inventory::stock::dto::{MoveType, PostMoveRequest};
use erp_inventory::stock::post::{post_move_for_document, Visibility};
use rust_decimal::Decimal;

use super::dto::*;
use super::repo::{self};
use super::service::*;
use crate::bom::structure::ceil6;
use crate::error::MrpError;
use crate::ids::ProductionOrderId;
use crate::model::{ComponentRow, ProductionOrder};
use crate::util::scaled;

/// Issues `q` (base unit ×10^6) of a component: from its reservation first, then from what
/// is free in the location.
pub(super) fn issue_component(
    conn: &mut DbConnection,
    actor: &Actor,
    o: &ProductionOrder,
    c: &mut ComponentRow,
    q: i64,
    effective_at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(), AppError> {
    let reserved_left = match &c.reservation_id {
        Some(r) => reservation_repo::find(conn, r, o.company_id)?
            .filter(|r| r.status == ReservationStatus::Open)
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
                item_id: c.item_id,
                quantity: Qty::from_scaled(part),
                uom_id: None,
                from_location_id: Some(o.location_id),
                to_location_id: None,
                lot: None,
                unit_cost: None,
                reference_type: Some(ENTITY.into()),
                reference_id: Some(o.id.clone()),
                reservation_id: ReservationId::from_db_opt(reservation_id.as_deref())?,
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

/// Issues components: the lines given, or everything still to issue.
pub fn issue(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ProductionOrderId,
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
                    match components.iter().position(|c| c.item_id == l.item_id) {
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
        if o.status == ProductionStatus::Released {
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
    id: ProductionOrderId,
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
        if op.status == OperationStatus::Done {
            return Err(AppError::InvalidState {
                entity: "operation",
                action: "report",
                current: op.status.to_string(),
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
            OperationStatus::Done
        } else {
            OperationStatus::InProgress
        };
        repo::save_operation(conn, &op)?;
        if o.status == ProductionStatus::Released {
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
    id: ProductionOrderId,
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
        let it = erp_inventory::item::repo::find(conn, o.item_id, o.company_id)?
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
                item_id: o.item_id,
                quantity: req.quantity,
                uom_id: None,
                from_location_id: None,
                to_location_id: Some(o.location_id),
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
    let o = repo::find(conn, id, actor.company_id)?
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
