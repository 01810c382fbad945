//! Capacity planning: CRP (the load of planned and released production orders, operation
//! by operation, against each work center's calendar) and rough-cut planning of the MPS.

use std::collections::HashMap;

use chrono::Utc;
use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::money::{round_commercial, Qty};
use erp_inventory::ids::ItemId;
use rust_decimal::Decimal;

use super::dto::*;
use crate::bom::structure::{quantity_per, Structure};
use crate::ids::WorkCenterId;
use crate::model::{Operation, WorkCenter};
use crate::planning::repo as planning_repo;
use crate::run::horizon::{BucketSize, Horizon};
use crate::run::{repo as run_repo, service as run_service};
use crate::states::{DemandKind, PlannedOrderKind};
use crate::util::add_days;
use crate::work_center::{
    self,
    service::{daily_capacity, Calendar},
};

fn horizon(
    conn: &mut DbConnection,
    company_id: CompanyId,
    q: &CapacityQuery,
) -> Result<Horizon, AppError> {
    let last = run_repo::last_succeeded(conn, company_id)?
        .map(|r| run_service::horizon_of(&r))
        .transpose()?;
    let buckets = q
        .buckets
        .map(|b| b as usize)
        .or(last.map(|h| h.buckets))
        .unwrap_or(12);
    if !(1..=520).contains(&buckets) {
        return Err(AppError::field("buckets", "must be between 1 and 520"));
    }
    if let Some(d) = q.start_date {
        crate::util::check_start_date("start_date", d)?;
    }
    Ok(Horizon {
        start: q
            .start_date
            .or(last.map(|h| h.start))
            .unwrap_or_else(|| Utc::now().date_naive()),
        size: q
            .bucket
            .or(last.map(|h| h.size))
            .unwrap_or(BucketSize::Week),
        buckets,
    })
}

/// Work centers asked for, with their calendars.
fn centers(
    conn: &mut DbConnection,
    actor: &Actor,
    q: &CapacityQuery,
    h: &Horizon,
) -> Result<Vec<(WorkCenter, Calendar)>, AppError> {
    let company = actor.company_id;
    let list = match q.work_center_id {
        Some(id) => vec![work_center::service::load(conn, actor, id)?],
        None => work_center::repo::list(conn, company)?
            .into_iter()
            .filter(|w| w.active)
            .collect(),
    };
    list.into_iter()
        .map(|w| {
            Calendar::load_staffed(conn, &w, h.start, h.bucket_start(h.buckets)).map(|c| (w, c))
        })
        .collect()
}

fn qty(d: Decimal) -> Qty {
    Qty::new(round_commercial(d, 6)).unwrap_or(Qty::ZERO)
}

fn report(
    method: &str,
    h: &Horizon,
    centers: &[(WorkCenter, Calendar)],
    load: &HashMap<(WorkCenterId, usize), Decimal>,
) -> Result<CapacityReport, AppError> {
    let mut work_centers = Vec::new();
    for (w, cal) in centers {
        let mut buckets = Vec::new();
        let mut over = 0;
        for b in 0..h.buckets {
            let (from, to) = (h.bucket_start(b), h.bucket_start(b + 1));
            let capacity = cal.capacity(w, from, to);
            let l = load.get(&(w.id, b)).copied().unwrap_or_default();
            let overloaded = l > capacity;
            over += u32::from(overloaded);
            buckets.push(LoadBucket {
                start_date: from,
                capacity_hours: qty(capacity),
                load_hours: qty(l),
                utilization_percent: (capacity > Decimal::ZERO)
                    .then(|| qty(round_commercial(l * Decimal::ONE_HUNDRED / capacity, 2))),
                overloaded,
            });
        }
        work_centers.push(WorkCenterLoad {
            work_center_id: w.id,
            code: w.code.clone(),
            name: w.name.clone(),
            buckets,
            overloaded_buckets: over,
        });
    }
    Ok(CapacityReport {
        method: method.into(),
        start_date: h.start,
        bucket: h.size,
        work_centers,
    })
}

/// Places an order's operations one after another from `start`: each waits its queue time,
/// runs for setup + run hours at its work center's daily capacity, then moves on. The load
/// of each operation is booked in the bucket where it starts.
/// Steps of an order: (work center, hours, hours waiting before).
type Steps = Vec<(WorkCenterId, Decimal, Decimal)>;

fn schedule(
    h: &Horizon,
    ops: &[(WorkCenterId, Decimal, Decimal)],
    caps: &HashMap<WorkCenterId, Decimal>,
    start: chrono::NaiveDate,
    load: &mut HashMap<(WorkCenterId, usize), Decimal>,
) {
    let mut at = start;
    for (wc, hours, wait) in ops {
        let daily = caps
            .get(wc)
            .copied()
            .unwrap_or(Decimal::ONE)
            .max(Decimal::new(1, 2));
        at = add_days(
            at,
            (*wait / Decimal::from(24))
                .ceil()
                .try_into()
                .unwrap_or(i64::MAX),
        );
        if let Some(b) = h.bucket_of(at) {
            *load.entry((*wc, b)).or_default() += *hours;
        }
        at = add_days(at, (*hours / daily).ceil().try_into().unwrap_or(i64::MAX));
    }
}

fn routing_steps(ops: &[Operation], quantity: Decimal) -> Vec<(WorkCenterId, Decimal, Decimal)> {
    ops.iter()
        .map(|o| {
            let hours = Qty::from_scaled(o.setup_hours).value()
                + Qty::from_scaled(o.run_hours).value() * quantity;
            let wait =
                Qty::from_scaled(o.queue_hours).value() + Qty::from_scaled(o.move_hours).value();
            (o.work_center_id, hours, wait)
        })
        .collect()
}

/// CRP: planned and firm make orders through their items' routings, plus what released and
/// in-progress production orders still have to do.
pub fn capacity(
    conn: &mut DbConnection,
    actor: &Actor,
    q: CapacityQuery,
) -> Result<CapacityReport, AppError> {
    actor.require("mrp.plan.read")?;
    let company = actor.company_id;
    let h = horizon(conn, company, &q)?;
    let centers = centers(conn, actor, &q, &h)?;
    let caps: HashMap<WorkCenterId, Decimal> = centers
        .iter()
        .map(|(w, _)| (w.id, daily_capacity(w)))
        .collect();
    let mut routings: HashMap<ItemId, Vec<Operation>> = HashMap::new();
    for o in planning_repo::all_operations(conn, company)? {
        routings.entry(o.item_id).or_default().push(o);
    }
    let mut load = HashMap::new();
    for o in crate::run::orders::all(conn, company, Some(PlannedOrderKind::Make))? {
        if let Some(ops) = routings.get(&o.item_id) {
            schedule(
                &h,
                &routing_steps(ops, Qty::from_scaled(o.quantity).value()),
                &caps,
                o.release_date,
                &mut load,
            );
        }
    }
    let mut by_order: HashMap<String, (chrono::NaiveDate, Steps)> = HashMap::new();
    for (op, start, _) in crate::production::repo::open_operations(conn, company)? {
        let planned = Qty::from_scaled(op.planned_setup_hours).value()
            + Qty::from_scaled(op.planned_run_hours).value();
        let actual = Qty::from_scaled(op.actual_setup_hours).value()
            + Qty::from_scaled(op.actual_run_hours).value();
        let left = (planned - actual).max(Decimal::ZERO);
        let e = by_order
            .entry(op.order_id.clone())
            .or_insert((start, Vec::new()));
        e.1.push((op.work_center_id, left, Decimal::ZERO));
    }
    let today = Utc::now().date_naive();
    for (_, (start, steps)) in by_order {
        schedule(&h, &steps, &caps, start.max(today.min(start)), &mut load);
    }
    report("crp", &h, &centers, &load)
}

/// Rough-cut capacity planning: each MPS entry loads the work centers by the hours one unit
/// of the end item takes through its whole structure (its bill of resources), in the bucket
/// the entry is due.
pub fn rough_cut(
    conn: &mut DbConnection,
    actor: &Actor,
    q: CapacityQuery,
) -> Result<CapacityReport, AppError> {
    actor.require("mrp.plan.read")?;
    let company = actor.company_id;
    let h = horizon(conn, company, &q)?;
    let centers = centers(conn, actor, &q, &h)?;
    let s = Structure::load(conn, company)?;
    let mut routings: HashMap<ItemId, Vec<Operation>> = HashMap::new();
    for o in planning_repo::all_operations(conn, company)? {
        routings.entry(o.item_id).or_default().push(o);
    }
    let mut bills: HashMap<ItemId, HashMap<WorkCenterId, Decimal>> = HashMap::new();
    let mut load: HashMap<(WorkCenterId, usize), Decimal> = HashMap::new();
    for d in crate::demand::repo::until(conn, company, h.end())? {
        if d.kind != DemandKind::Mps {
            continue;
        }
        let Some(b) = h.bucket_of(d.due_date) else {
            continue;
        };
        bills.entry(d.item_id).or_insert_with(|| {
            let mut bill = HashMap::new();
            bill_of_resources(&s, &routings, d.item_id, Decimal::ONE, 0, &mut bill);
            bill
        });
        let units = Qty::from_scaled(d.quantity).value();
        for (wc, hours) in &bills[&d.item_id] {
            *load.entry((*wc, b)).or_default() += *hours * units;
        }
    }
    report("rough_cut", &h, &centers, &load)
}

/// Hours per work center for `qty` of `item`, through its routing and its components'.
fn bill_of_resources(
    s: &Structure,
    routings: &HashMap<ItemId, Vec<Operation>>,
    item: ItemId,
    qty: Decimal,
    depth: u32,
    out: &mut HashMap<WorkCenterId, Decimal>,
) {
    if depth > 64 {
        return;
    }
    for o in routings.get(&item).into_iter().flatten() {
        *out.entry(o.work_center_id).or_default() += Qty::from_scaled(o.run_hours).value() * qty;
    }
    if let Some((b, lines)) = s.boms.get(&item) {
        for l in lines {
            bill_of_resources(
                s,
                routings,
                l.component_id,
                qty * quantity_per(b, l),
                depth + 1,
                out,
            );
        }
    }
}
