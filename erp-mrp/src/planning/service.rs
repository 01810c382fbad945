//! Planning data per item and routings.

use std::collections::HashSet;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::{Money, Qty};
use erp_inventory::ids::ItemId;
use erp_inventory::item::dto::Procurement;
use erp_inventory::item::{self, model::Item};
use rust_decimal::Decimal;

use super::dto::*;
use super::repo;
use crate::engine::{LotSizing, OrderModifiers};
use crate::ids::RoutingOperationId;
use crate::model::{ItemPlanning, Operation};
use crate::util::{check_non_negative, check_positive, scaled};
use crate::work_center;

/// The planning data of an item: its own row, or the defaults.
pub fn planning_of(item: &Item, row: Option<&ItemPlanning>) -> Result<PlanningResponse, AppError> {
    let lot_sizing = match row {
        Some(r) => serde_json::from_str(&r.lot_sizing)
            .map_err(|e| AppError::Internal(format!("lot sizing of {}: {e}", item.id)))?,
        None => LotSizingRule::LotForLot,
    };
    let opt = |v: Option<i64>| v.map(Qty::from_scaled);
    Ok(PlanningResponse {
        item_id: item.id,
        sku: item.sku.clone(),
        lead_time_days: item.lead_time_days,
        make_or_buy: if item.procurement == Procurement::Make {
            MakeOrBuy::Make
        } else {
            MakeOrBuy::Buy
        },
        safety_stock: Qty::from_scaled(row.map_or(0, |r| r.safety_stock)),
        lot_sizing,
        min_order: opt(row.and_then(|r| r.min_order)),
        max_order: opt(row.and_then(|r| r.max_order)),
        order_multiple: opt(row.and_then(|r| r.order_multiple)),
        planning_time_fence_days: row.map_or(0, |r| r.time_fence_days),
        phantom: row.is_some_and(|r| r.phantom),
        version: row.map_or(0, |r| r.version),
        updated_at: row.map(|r| r.updated_at.and_utc()),
    })
}

/// The engine's rule for the planning data.
pub fn engine_rule(p: &PlanningResponse) -> (LotSizing, OrderModifiers) {
    let m = |v: Money| v.value();
    let rule = match &p.lot_sizing {
        LotSizingRule::LotForLot => LotSizing::LotForLot,
        LotSizingRule::FixedOrderQuantity { quantity } => {
            LotSizing::FixedOrderQuantity(quantity.value())
        }
        LotSizingRule::EconomicOrderQuantity {
            annual_demand,
            ordering_cost,
            annual_holding_cost,
        } => LotSizing::EconomicOrderQuantity {
            annual_demand: annual_demand.value(),
            ordering_cost: m(*ordering_cost),
            annual_holding_cost: m(*annual_holding_cost),
        },
        LotSizingRule::PeriodOrderQuantity { periods } => {
            LotSizing::PeriodOrderQuantity(*periods as usize)
        }
        LotSizingRule::LeastUnitCost {
            ordering_cost,
            holding_cost,
        } => LotSizing::LeastUnitCost {
            ordering_cost: m(*ordering_cost),
            holding_cost: m(*holding_cost),
        },
        LotSizingRule::LeastTotalCost {
            ordering_cost,
            holding_cost,
        } => LotSizing::LeastTotalCost {
            ordering_cost: m(*ordering_cost),
            holding_cost: m(*holding_cost),
        },
        LotSizingRule::PartPeriodBalancing {
            ordering_cost,
            holding_cost,
        } => LotSizing::PartPeriodBalancing {
            ordering_cost: m(*ordering_cost),
            holding_cost: m(*holding_cost),
        },
        LotSizingRule::WagnerWhitin {
            ordering_cost,
            holding_cost,
        } => LotSizing::WagnerWhitin {
            ordering_cost: m(*ordering_cost),
            holding_cost: m(*holding_cost),
        },
    };
    let modifiers = OrderModifiers {
        minimum: p.min_order.map(|q| q.value()),
        maximum: p.max_order.map(|q| q.value()),
        multiple: p.order_multiple.map(|q| q.value()),
    };
    (rule, modifiers)
}

fn check_rule(v: &mut Validator, rule: &LotSizingRule) {
    let f = "lot_sizing";
    let costs = |v: &mut Validator, o: &Money, h: &Money| {
        v.check(
            *o >= Money::ZERO,
            &format!("{f}.ordering_cost"),
            "must not be negative",
        );
        v.check(
            *h > Money::ZERO,
            &format!("{f}.holding_cost"),
            "must be greater than zero",
        );
    };
    match rule {
        LotSizingRule::LotForLot => {}
        LotSizingRule::FixedOrderQuantity { quantity } => {
            check_positive(v, &format!("{f}.quantity"), Some(*quantity))
        }
        LotSizingRule::EconomicOrderQuantity {
            annual_demand,
            ordering_cost,
            annual_holding_cost,
        } => {
            check_positive(v, &format!("{f}.annual_demand"), Some(*annual_demand));
            v.check(
                *ordering_cost > Money::ZERO,
                &format!("{f}.ordering_cost"),
                "must be greater than zero",
            );
            v.check(
                *annual_holding_cost > Money::ZERO,
                &format!("{f}.annual_holding_cost"),
                "must be greater than zero",
            );
        }
        LotSizingRule::PeriodOrderQuantity { periods } => v.check(
            (1..=520).contains(periods),
            &format!("{f}.periods"),
            "must be between 1 and 520",
        ),
        cost_rule => {
            if let Some((ordering_cost, holding_cost)) = cost_rule.costs() {
                costs(v, &ordering_cost, &holding_cost);
            }
        }
    }
}

pub fn get_planning(
    conn: &mut DbConnection,
    actor: &Actor,
    item_id: ItemId,
) -> Result<PlanningResponse, AppError> {
    actor.require("mrp.master.read")?;
    let it = item::service::load(conn, actor, item_id)?;
    let row = repo::find(conn, it.id)?;
    planning_of(&it, row.as_ref())
}

/// Sets many items' planning data in one transaction, each by [`put_planning`]'s rules;
/// refused records are named by their index and nothing is kept.
pub fn put_plannings(
    conn: &mut DbConnection,
    actor: &Actor,
    req: PlanningBatchRequest,
) -> Result<PlanningBatch, AppError> {
    actor.require("mrp.master.write")?;
    let items = erp_core::batch::all_or_nothing(conn, "items", req.items, |conn, x| {
        put_planning(conn, actor, x.item_id, x.planning.version, x.planning)
            .map_err(|e| e.under("planning"))
    })?;
    Ok(PlanningBatch { items })
}

/// Sets an item's planning data (`expected` 0 when it has none yet).
pub fn put_planning(
    conn: &mut DbConnection,
    actor: &Actor,
    item_id: ItemId,
    expected: Option<i64>,
    req: PlanningRequest,
) -> Result<PlanningResponse, AppError> {
    actor.require("mrp.master.write")?;
    let mut v = Validator::new();
    if let Some(d) = req.lead_time_days {
        v.check(
            (0..=3650).contains(&d),
            "lead_time_days",
            "must be between 0 and 3650",
        );
    }
    if let Some(d) = req.planning_time_fence_days {
        v.check(
            (0..=3650).contains(&d),
            "planning_time_fence_days",
            "must be between 0 and 3650",
        );
    }
    check_non_negative(&mut v, "safety_stock", req.safety_stock);
    check_positive(&mut v, "min_order", req.min_order);
    check_positive(&mut v, "max_order", req.max_order);
    check_positive(&mut v, "order_multiple", req.order_multiple);
    if let (Some(a), Some(b)) = (req.min_order, req.max_order) {
        v.check(a <= b, "max_order", "must not be less than min_order");
    }
    if let Some(r) = &req.lot_sizing {
        check_rule(&mut v, r);
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let it = item::service::load(conn, actor, item_id)?;
        let row = repo::find(conn, it.id)?;
        let current = row.as_ref().map_or(0, |r| r.version);
        if let Some(e) = expected {
            if e != current {
                return Err(AppError::VersionMismatch { current });
            }
        }
        let before = planning_of(&it, row.as_ref())?;
        if req.phantom == Some(true)
            && req.make_or_buy.unwrap_or(before.make_or_buy) == MakeOrBuy::Buy
        {
            return Err(AppError::field("phantom", "a phantom is made, not bought"));
        }
        let lot = req.lot_sizing.clone().unwrap_or(before.lot_sizing.clone());
        let opt = |new: Option<Qty>, old: Option<Qty>, f: &str| -> Result<Option<i64>, AppError> {
            new.or(old).map(|q| scaled(q, f)).transpose()
        };
        let p = ItemPlanning {
            item_id: it.id,
            company_id: it.company_id,
            safety_stock: scaled(
                req.safety_stock.unwrap_or(before.safety_stock),
                "safety_stock",
            )?,
            lot_sizing: serde_json::to_string(&lot)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            min_order: opt(req.min_order, before.min_order, "min_order")?,
            max_order: opt(req.max_order, before.max_order, "max_order")?,
            order_multiple: opt(req.order_multiple, before.order_multiple, "order_multiple")?,
            time_fence_days: req
                .planning_time_fence_days
                .unwrap_or(before.planning_time_fence_days),
            phantom: req.phantom.unwrap_or(before.phantom),
            version: current + 1,
            updated_at: now(),
        };
        if !repo::save(conn, &p, current)? {
            return Err(AppError::VersionMismatch {
                current: current + 1,
            });
        }
        if req.lead_time_days.is_some() || req.make_or_buy.is_some() {
            let procurement = match req.make_or_buy.unwrap_or(before.make_or_buy) {
                MakeOrBuy::Make => "make",
                MakeOrBuy::Buy => "buy",
            };
            repo::set_item_fields(
                conn,
                it.id,
                req.lead_time_days.or(it.lead_time_days),
                procurement,
            )?;
        }
        let it = item::service::load(conn, actor, item_id)?;
        let after = planning_of(&it, Some(&p))?;
        audit::record(
            conn,
            actor,
            "item_planning",
            it.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}

pub fn routing_response(
    conn: &mut DbConnection,
    company_id: CompanyId,
    item_id: ItemId,
) -> Result<RoutingResponse, AppError> {
    let ops = repo::routing_of(conn, item_id)?;
    let mut operations = Vec::new();
    let mut hours = Decimal::ZERO;
    for o in &ops {
        let code = work_center::repo::find(conn, o.work_center_id, company_id)?
            .map(|w| w.code)
            .unwrap_or_default();
        hours += Qty::from_scaled(o.setup_hours).value() + Qty::from_scaled(o.run_hours).value();
        operations.push(OperationResponse {
            id: RoutingOperationId::from_db(&o.id)?,
            seq: o.seq,
            name: o.name.clone(),
            work_center_id: o.work_center_id,
            work_center_code: code,
            setup_hours: Qty::from_scaled(o.setup_hours),
            run_hours: Qty::from_scaled(o.run_hours),
            queue_hours: Qty::from_scaled(o.queue_hours),
            move_hours: Qty::from_scaled(o.move_hours),
        });
    }
    Ok(RoutingResponse {
        item_id,
        operations,
        hours_per_unit: Qty::new(hours).unwrap_or(Qty::ZERO),
    })
}

pub fn get_routing(
    conn: &mut DbConnection,
    actor: &Actor,
    item_id: ItemId,
) -> Result<RoutingResponse, AppError> {
    actor.require("mrp.master.read")?;
    let it = item::service::load(conn, actor, item_id)?;
    routing_response(conn, it.company_id, it.id)
}

/// Replaces many items' routings in one transaction, each by [`put_routing`]'s rules;
/// refused records are named by their index and nothing is kept.
pub fn put_routings(
    conn: &mut DbConnection,
    actor: &Actor,
    req: RoutingBatchRequest,
) -> Result<RoutingBatch, AppError> {
    actor.require("mrp.master.write")?;
    let items = erp_core::batch::all_or_nothing(conn, "items", req.items, |conn, x| {
        put_routing(conn, actor, x.item_id, x.routing).map_err(|e| e.under("routing"))
    })?;
    Ok(RoutingBatch { items })
}

pub fn put_routing(
    conn: &mut DbConnection,
    actor: &Actor,
    item_id: ItemId,
    req: RoutingRequest,
) -> Result<RoutingResponse, AppError> {
    actor.require("mrp.master.write")?;
    let mut v = Validator::new();
    v.check(
        req.operations.len() <= 200,
        "operations",
        "at most 200 operations",
    );
    let mut seqs = HashSet::new();
    for (i, o) in req.operations.iter().enumerate() {
        let f = |x: &str| format!("operations[{i}].{x}");
        v.check(o.seq > 0, &f("seq"), "must be greater than zero");
        v.check(seqs.insert(o.seq), &f("seq"), "appears twice");
        v.text(&f("name"), &o.name, 200);
        check_non_negative(&mut v, &f("setup_hours"), o.setup_hours);
        check_non_negative(&mut v, &f("run_hours"), Some(o.run_hours));
        check_non_negative(&mut v, &f("queue_hours"), o.queue_hours);
        check_non_negative(&mut v, &f("move_hours"), o.move_hours);
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let it = item::service::load(conn, actor, item_id)?;
        let before = routing_response(conn, it.company_id, it.id)?;
        let mut ops = Vec::new();
        for (i, o) in req.operations.iter().enumerate() {
            let f = |x: &str| format!("operations[{i}].{x}");
            let w = work_center::repo::find(conn, o.work_center_id, it.company_id)?
                .ok_or_else(|| AppError::field(f("work_center_id"), "no such work center"))?;
            ops.push(Operation {
                id: new_id(),
                company_id: it.company_id,
                item_id: it.id,
                seq: o.seq,
                name: o.name.trim().to_string(),
                work_center_id: w.id,
                setup_hours: scaled(o.setup_hours.unwrap_or(Qty::ZERO), &f("setup_hours"))?,
                run_hours: scaled(o.run_hours, &f("run_hours"))?,
                queue_hours: scaled(o.queue_hours.unwrap_or(Qty::ZERO), &f("queue_hours"))?,
                move_hours: scaled(o.move_hours.unwrap_or(Qty::ZERO), &f("move_hours"))?,
            });
        }
        ops.sort_by_key(|o| o.seq);
        repo::replace_routing(conn, it.id, &ops)?;
        let after = routing_response(conn, it.company_id, it.id)?;
        audit::record(
            conn,
            actor,
            "routing",
            it.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}
