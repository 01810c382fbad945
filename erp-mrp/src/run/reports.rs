//! Planning reports over the current plan: purchase commitments by supplier and period, and
//! the production schedule.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, uuid_from_db, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::{CompanyId, PartnerId};
use erp_core::money::Qty;
use erp_inventory::ids::ItemId;

use super::dto::*;
use super::horizon::Horizon;
use super::plan::Skus;
use super::{orders, repo, service};
use crate::error::MrpError;

/// The horizon of reports: the last run's, in the bucket asked for.
fn report_horizon(
    conn: &mut DbConnection,
    company: CompanyId,
    bucket: Option<BucketSize>,
) -> Result<Horizon, AppError> {
    let run = repo::last_succeeded(conn, company)?.ok_or(MrpError::NoPlan)?;
    let h = service::horizon_of(&run)?;
    let size = bucket.unwrap_or(h.size);
    let buckets = match size {
        BucketSize::Day => (h.end() - h.start).num_days() as usize,
        BucketSize::Week => ((h.end() - h.start).num_days() as usize).div_ceil(7),
        BucketSize::Month => ((h.end() - h.start).num_days() as usize).div_ceil(28),
    };
    Ok(Horizon {
        start: h.start,
        size,
        buckets: buckets.max(1),
    })
}

/// Open and planned purchases by supplier and period.
pub fn purchase_commitments(
    conn: &mut DbConnection,
    actor: &Actor,
    q: ReportQuery,
) -> Result<CommitmentReport, AppError> {
    actor.require("mrp.plan.read")?;
    actor.require("inventory.purchase.read")?;
    let company = actor.company_id;
    let h = report_horizon(conn, company, q.bucket)?;
    // (supplier, period, item) -> (open, planned)
    let mut cells: BTreeMap<(Option<PartnerId>, NaiveDate, ItemId), (i64, i64)> = BTreeMap::new();
    let period = |d: NaiveDate| h.bucket_of(d).map(|b| h.bucket_start(b));
    let suppliers: HashMap<ItemId, Option<PartnerId>> = repo::plannable_items(conn, company)?
        .into_iter()
        .map(|i| (i.id, i.default_supplier_id))
        .collect();
    let mut order_supplier: HashMap<String, PartnerId> = HashMap::new();
    for line in repo::open_purchase_lines(conn, company)? {
        let (order, item_id, qty) = (line.order_id, line.item_id, line.quantity);
        let Some(p) = period(line.expected) else {
            continue;
        };
        if !order_supplier.contains_key(&order) {
            let s = repo::purchase_supplier(conn, &order)?;
            order_supplier.insert(order.clone(), s);
        }
        cells
            .entry((order_supplier.get(&order).copied(), p, item_id))
            .or_default()
            .0 += qty;
    }
    let planned = orders::all(conn, company, Some(PlannedOrderKind::Buy))?;
    for o in planned {
        let Some(p) = period(o.due_date) else {
            continue;
        };
        let supplier = suppliers.get(&o.item_id).copied().flatten();
        cells.entry((supplier, p, o.item_id)).or_default().1 += o.quantity;
    }
    let mut names: HashMap<PartnerId, String> = HashMap::new();
    let mut lines = Vec::new();
    let mut skus = Skus::new(company);
    for ((supplier, p, item_id), (open, planned)) in cells {
        let supplier_name = match supplier {
            Some(s) => {
                if let std::collections::hash_map::Entry::Vacant(e) = names.entry(s) {
                    let n = repo::partner_name(conn, s)?;
                    e.insert(n);
                }
                names.get(&s).cloned()
            }
            None => None,
        };
        lines.push(CommitmentLine {
            supplier_id: supplier,
            supplier_name,
            period_start: p,
            item_id,
            sku: skus.get(conn, item_id)?,
            open_quantity: Qty::from_scaled(open),
            planned_quantity: Qty::from_scaled(planned),
        });
    }
    Ok(CommitmentReport {
        bucket: h.size,
        lines,
    })
}

/// Planned production (planned and firm make orders) and open production orders by start.
pub fn production_schedule(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<ProductionSchedule, AppError> {
    actor.require("mrp.plan.read")?;
    let company = actor.company_id;
    let mut lines = Vec::new();
    let mut skus = Skus::new(company);
    let planned = orders::all(conn, company, Some(PlannedOrderKind::Make))?;
    for o in planned {
        lines.push(ScheduleLine {
            status: enum_from_db(o.status.as_str())?,
            source_type: ScheduleSource::PlannedOrder,
            source_id: uuid_from_db(&o.id)?,
            item_id: o.item_id,
            sku: skus.get(conn, o.item_id)?,
            quantity: Qty::from_scaled(o.quantity),
            start_date: o.release_date,
            due_date: o.due_date,
        });
    }
    for p in repo::open_production(conn, company)? {
        lines.push(ScheduleLine {
            status: enum_from_db(p.status.as_str())?,
            source_type: ScheduleSource::ProductionOrder,
            source_id: uuid_from_db(&p.id)?,
            item_id: p.item_id,
            sku: skus.get(conn, p.item_id)?,
            quantity: Qty::from_scaled(p.quantity),
            start_date: p.start,
            due_date: p.due,
        });
    }
    lines.sort_by(|a, b| (a.start_date, &a.sku).cmp(&(b.start_date, &b.sku)));
    Ok(ProductionSchedule { lines })
}
