//! The exports: BOMs, routings, planning data and demand as CSV, in the columns their
//! imports read (`service.rs`).

use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::csv_import::write_table;
use erp_core::db::{enum_to_db, DbConnection};
use erp_core::error::AppError;
use erp_core::money::Qty;
use erp_inventory::ids::ItemId;

use super::dto::BomExportQuery;
use super::repo;
use super::service::{BOM_COLUMNS, PLANNING_COLUMNS, ROUTING_COLUMNS};
use crate::demand::dto::DemandListQuery;
use crate::demand::service::DEMAND_COLUMNS;
use crate::planning;
use crate::planning::dto::{LotSizingRule, MakeOrBuy};
use crate::states::BomStatus;

fn text<T: ToString>(x: Option<T>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

/// BOMs as CSV in the columns `POST /mrp/import/boms` reads: one row per line, the BOM's own
/// cells on its first row; `activate` is true for the active BOM.
pub fn export_boms(
    conn: &mut DbConnection,
    actor: &Actor,
    q: BomExportQuery,
) -> Result<Vec<u8>, AppError> {
    actor.require("mrp.master.read")?;
    let company = actor.company_id;
    let boms = repo::boms(conn, company, q.status.map(|s| enum_to_db(&s)).as_deref())?;
    let mut lines: HashMap<String, Vec<_>> = HashMap::new();
    for l in repo::bom_lines(conn, company)? {
        lines.entry(l.0.bom_id.clone()).or_default().push(l);
    }
    let mut out = Vec::new();
    for (b, sku) in &boms {
        let status: BomStatus = b.status;
        for (i, (l, component, unit)) in lines
            .remove(&b.id)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let own = i == 0;
            out.push(vec![
                sku.clone(),
                b.revision.clone(),
                if own {
                    Qty::from_scaled(b.output_quantity).to_string()
                } else {
                    String::new()
                },
                if own {
                    b.notes.clone().unwrap_or_default()
                } else {
                    String::new()
                },
                if own {
                    (status == BomStatus::Active).to_string()
                } else {
                    String::new()
                },
                component,
                Qty::from_scaled(l.entered_quantity).to_string(),
                unit,
                if l.scrap == 0 {
                    String::new()
                } else {
                    Qty::from_scaled(l.scrap).to_string()
                },
                text(l.effective_from),
                text(l.effective_to),
            ]);
        }
    }
    write_table(BOM_COLUMNS, out)
}

/// Routings as CSV in the columns `POST /mrp/import/routings` reads.
pub fn export_routings(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<u8>, AppError> {
    actor.require("mrp.master.read")?;
    let ops = repo::operations(conn, actor.company_id)?;
    let hours = |h: i64| Qty::from_scaled(h).to_string();
    write_table(
        ROUTING_COLUMNS,
        ops.into_iter().map(|(o, sku, center)| {
            vec![
                sku,
                o.seq.to_string(),
                o.name,
                center,
                hours(o.setup_hours),
                hours(o.run_hours),
                hours(o.queue_hours),
                hours(o.move_hours),
            ]
        }),
    )
}

/// The planning data of every active stocked item as CSV, in the columns `POST
/// /mrp/import/planning` reads (an item without data of its own shows the defaults).
pub fn export_planning(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<u8>, AppError> {
    actor.require("mrp.master.read")?;
    let company = actor.company_id;
    let mut items = crate::run::repo::plannable_items(conn, company)?;
    items.sort_by(|a, b| a.sku.cmp(&b.sku));
    let rows: HashMap<ItemId, _> = planning::repo::all(conn, company)?
        .into_iter()
        .map(|p| (p.item_id, p))
        .collect();
    let mut out = Vec::with_capacity(items.len());
    for it in &items {
        let p = planning::service::planning_of(it, rows.get(&it.id))?;
        // lot_quantity, periods, annual_demand, annual_holding_cost, ordering_cost, holding_cost
        let mut params: [String; 6] = Default::default();
        match &p.lot_sizing {
            LotSizingRule::FixedOrderQuantity { quantity } => params[0] = quantity.to_string(),
            LotSizingRule::PeriodOrderQuantity { periods } => params[1] = periods.to_string(),
            LotSizingRule::EconomicOrderQuantity {
                annual_demand,
                ordering_cost,
                annual_holding_cost,
            } => {
                params[2] = annual_demand.to_string();
                params[3] = annual_holding_cost.to_string();
                params[4] = ordering_cost.to_string();
            }
            rule => {
                if let Some((ordering, holding)) = rule.costs() {
                    params[4] = ordering.to_string();
                    params[5] = holding.to_string();
                }
            }
        }
        let rule = p.lot_sizing.name();
        let mut row = vec![
            p.sku.clone(),
            text(p.lead_time_days),
            match p.make_or_buy {
                MakeOrBuy::Make => "make".to_string(),
                MakeOrBuy::Buy => "buy".to_string(),
            },
            p.safety_stock.to_string(),
            rule.to_string(),
        ];
        row.extend(params);
        row.extend([
            text(p.min_order),
            text(p.max_order),
            text(p.order_multiple),
            p.planning_time_fence_days.to_string(),
            p.phantom.to_string(),
        ]);
        out.push(row);
    }
    write_table(PLANNING_COLUMNS, out)
}

/// Demands as CSV (the filters of `GET /mrp/demands`), in the columns `POST
/// /mrp/import/demands` reads, by due date.
pub fn export_demands(
    conn: &mut DbConnection,
    actor: &Actor,
    q: DemandListQuery,
) -> Result<Vec<u8>, AppError> {
    actor.require("mrp.plan.read")?;
    let filter = crate::demand::service::filter_of(conn, actor, q)?;
    let company = actor.company_id;
    let demands = crate::demand::repo::all(conn, company, &filter)?;
    let ids = erp_core::ids::distinct(demands.iter().map(|d| d.item_id));
    let skus = erp_inventory::item::repo::skus(conn, company, &ids)?;
    let mut rows: Vec<_> = demands
        .into_iter()
        .map(|d| {
            let sku = skus.get(&d.item_id).cloned().unwrap_or_default();
            (d, sku)
        })
        .collect();
    rows.sort_by(|(a, x), (b, y)| (a.due_date, x, &a.id).cmp(&(b.due_date, y, &b.id)));
    let mut out = Vec::with_capacity(rows.len());
    for (d, sku) in rows {
        out.push(vec![
            sku,
            d.kind.to_string(),
            d.due_date.to_string(),
            Qty::from_scaled(d.quantity).to_string(),
            d.source_type.unwrap_or_default(),
            d.source_id.unwrap_or_default(),
            d.note.unwrap_or_default(),
        ]);
    }
    write_table(DEMAND_COLUMNS, out)
}
