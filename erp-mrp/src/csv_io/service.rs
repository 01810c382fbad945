use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::csv_import::{
    check_columns, each_row, enum_cell, import_all, import_groups, on_rows, parsed, record_cells,
    required, write_table, ImportReport, Row,
};
use erp_core::db::{enum_from_db, enum_to_db, uuid_from_db, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::{Money, Qty};
use erp_inventory::csv_io::service::{item_in_column, item_of_row};
use erp_inventory::uom::repo as uom_repo;
use uuid::Uuid;

use super::dto::BomExportQuery;
use super::repo;
use crate::bom::dto::{BomLineInput, BomStatus, CreateBomRequest};
use crate::demand::dto::DemandListQuery;
use crate::demand::repo::DemandFilter;
use crate::demand::service::DEMAND_COLUMNS;
use crate::planning::dto::{
    LotSizingRule, MakeOrBuy, OperationInput, PlanningRequest, RoutingRequest,
};
use crate::util::check_range;
use crate::{bom, planning, work_center};

/// The columns of a BOM file: one row per line; the rows of one parent and revision make one
/// BOM, and its own cells (output_quantity, notes, activate) may be on any of them.
const BOM_COLUMNS: &[&str] = &[
    "parent_sku",
    "revision",
    "output_quantity",
    "notes",
    "activate",
    "component_sku",
    "quantity",
    "unit",
    "scrap",
    "effective_from",
    "effective_to",
];

/// The columns of a routing file: one row per operation; the rows of one SKU make its routing.
const ROUTING_COLUMNS: &[&str] = &[
    "sku",
    "seq",
    "name",
    "work_center",
    "setup_hours",
    "run_hours",
    "queue_hours",
    "move_hours",
];

/// The columns of a planning file: one row per item. `lot_sizing` names the rule; the rule's
/// parameters have their own columns (`lot_quantity` is fixed_order_quantity's quantity).
const PLANNING_COLUMNS: &[&str] = &[
    "sku",
    "lead_time_days",
    "make_or_buy",
    "safety_stock",
    "lot_sizing",
    "lot_quantity",
    "periods",
    "annual_demand",
    "annual_holding_cost",
    "ordering_cost",
    "holding_cost",
    "min_order",
    "max_order",
    "order_multiple",
    "planning_time_fence_days",
    "phantom",
];

/// A cell or the empty string.
fn cell<'a>(row: &'a Row, col: &str) -> &'a str {
    row.get(col).map_or("", String::as_str)
}

/// Unit ids of the company by code.
fn unit_ids(conn: &mut DbConnection, actor: &Actor) -> Result<HashMap<String, Uuid>, AppError> {
    uom_repo::list(conn, &actor.company_id.to_db())?
        .into_iter()
        .map(|u| Ok((u.code, uuid_from_db(&u.id)?)))
        .collect()
}

/// Imports BOMs with their lines, each BOM by `POST /mrp/boms`'s rules (so a revision that
/// exists or a cycle is refused); all or nothing.
pub fn import_boms(
    conn: &mut DbConnection,
    actor: &Actor,
    body: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require("mrp.master.write")?;
    check_columns(body, BOM_COLUMNS)?;
    let units = unit_ids(conn, actor)?;
    let key = |row: &Row| format!("{}\u{1f}{}", cell(row, "parent_sku"), cell(row, "revision"));
    import_groups(conn, body, key, |conn, rows| {
        let first = format!("rows[{}]", rows[0].0);
        let at_first = |e: AppError| e.under(&first);
        let mut v = Validator::new();
        let own = v
            .keep(record_cells(
                rows,
                &["output_quantity", "notes", "activate"],
            ))?
            .unwrap_or_default();
        let output_quantity = v
            .keep(parsed::<Qty>(&own, "output_quantity").map_err(at_first))?
            .flatten();
        let activate = v
            .keep(parsed::<bool>(&own, "activate").map_err(at_first))?
            .flatten();
        let parent =
            v.keep(item_in_column(conn, actor, rows[0].1, "parent_sku").map_err(at_first))?;
        let lines = v.keep(each_row(rows, |row| {
            let component = item_in_column(conn, actor, row, "component_sku")?;
            let uom_id = match row.get("unit") {
                Some(code) => Some(
                    *units
                        .get(code)
                        .ok_or_else(|| AppError::field("unit", format!("no unit '{code}'")))?,
                ),
                None => None,
            };
            Ok(BomLineInput {
                component_id: uuid_from_db(&component.id)?,
                quantity: parsed(row, "quantity")?
                    .ok_or_else(|| AppError::field("quantity", "is required"))?,
                uom_id,
                scrap: parsed(row, "scrap")?,
                effective_from: parsed(row, "effective_from")?,
                effective_to: parsed(row, "effective_to")?,
            })
        }))?;
        v.finish()?;
        // Every read above was kept or the validator refused the record.
        let (Some(parent), Some(lines)) = (parent, lines) else {
            unreachable!("a refused read leaves the validator non-empty");
        };
        let req = CreateBomRequest {
            id: None,
            item_id: uuid_from_db(&parent.id)?,
            revision: rows[0].1.get("revision").cloned(),
            output_quantity,
            notes: own.get("notes").cloned(),
            lines,
            activate,
        };
        bom::service::create_bom(conn, actor, req)
            .map(|_| ())
            .map_err(|e| {
                on_rows(
                    e,
                    "lines",
                    rows,
                    &[
                        ("item_id", "parent_sku"),
                        ("component_id", "component_sku"),
                        ("uom_id", "unit"),
                    ],
                )
            })
    })
}

/// Imports routings, each item's operations replacing its routing by `PUT
/// /mrp/items/{id}/routing`'s rules; all or nothing.
pub fn import_routings(
    conn: &mut DbConnection,
    actor: &Actor,
    body: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require("mrp.master.write")?;
    check_columns(body, ROUTING_COLUMNS)?;
    let centers: HashMap<String, Uuid> = work_center::repo::list(conn, &actor.company_id.to_db())?
        .into_iter()
        .map(|w| Ok((w.code.to_lowercase(), uuid_from_db(&w.id)?)))
        .collect::<Result<_, AppError>>()?;
    import_groups(
        conn,
        body,
        |row| cell(row, "sku").to_string(),
        |conn, rows| {
            let first = format!("rows[{}]", rows[0].0);
            let mut v = Validator::new();
            let item = v.keep(item_of_row(conn, actor, rows[0].1).map_err(|e| e.under(&first)))?;
            let operations = v.keep(each_row(rows, |row| {
                let code = required(row, "work_center")?;
                Ok(OperationInput {
                    seq: parsed(row, "seq")?
                        .ok_or_else(|| AppError::field("seq", "is required"))?,
                    name: required(row, "name")?.to_string(),
                    work_center_id: *centers.get(&code.to_lowercase()).ok_or_else(|| {
                        AppError::field("work_center", format!("no work center '{code}'"))
                    })?,
                    setup_hours: parsed(row, "setup_hours")?,
                    run_hours: parsed(row, "run_hours")?
                        .ok_or_else(|| AppError::field("run_hours", "is required"))?,
                    queue_hours: parsed(row, "queue_hours")?,
                    move_hours: parsed(row, "move_hours")?,
                })
            }))?;
            v.finish()?;
            // Every read above was kept or the validator refused the record.
            let (Some(item), Some(operations)) = (item, operations) else {
                unreachable!("a refused read leaves the validator non-empty");
            };
            planning::service::put_routing(
                conn,
                actor,
                uuid_from_db(&item.id)?,
                RoutingRequest { operations },
            )
            .map(|_| ())
            .map_err(|e| on_rows(e, "operations", rows, &[("work_center_id", "work_center")]))
        },
    )
}

/// The lot-sizing rule a planning row names, with its parameters from their columns; a
/// parameter column the rule does not take is refused rather than ignored.
fn rule_of_row(row: &Row) -> Result<Option<LotSizingRule>, AppError> {
    const PARAMETERS: &[&str] = &[
        "lot_quantity",
        "periods",
        "annual_demand",
        "annual_holding_cost",
        "ordering_cost",
        "holding_cost",
    ];
    let Some(name) = row.get("lot_sizing") else {
        return match PARAMETERS.iter().find(|p| row.contains_key(**p)) {
            Some(p) => Err(AppError::field(*p, "goes with a lot_sizing rule")),
            None => Ok(None),
        };
    };
    let need = |col: &str| -> Result<(), AppError> {
        match row.contains_key(col) {
            true => Ok(()),
            false => Err(AppError::field(
                col,
                format!("is required by the rule {name}"),
            )),
        }
    };
    let qty = |col: &str| -> Result<Qty, AppError> {
        need(col)?;
        Ok(parsed(row, col)?.unwrap_or(Qty::ZERO))
    };
    let money = |col: &str| -> Result<Money, AppError> {
        need(col)?;
        Ok(parsed(row, col)?.unwrap_or(Money::ZERO))
    };
    let costs = || Ok::<_, AppError>((money("ordering_cost")?, money("holding_cost")?));
    let (rule, takes): (LotSizingRule, &[&str]) = match name.to_lowercase().as_str() {
        "lot_for_lot" => (LotSizingRule::LotForLot, &[]),
        "fixed_order_quantity" => (
            LotSizingRule::FixedOrderQuantity {
                quantity: qty("lot_quantity")?,
            },
            &["lot_quantity"],
        ),
        "economic_order_quantity" => (
            LotSizingRule::EconomicOrderQuantity {
                annual_demand: qty("annual_demand")?,
                ordering_cost: money("ordering_cost")?,
                annual_holding_cost: money("annual_holding_cost")?,
            },
            &["annual_demand", "ordering_cost", "annual_holding_cost"],
        ),
        "period_order_quantity" => {
            need("periods")?;
            (
                LotSizingRule::PeriodOrderQuantity {
                    periods: parsed(row, "periods")?.unwrap_or(0),
                },
                &["periods"],
            )
        }
        rule if LotSizingRule::COST_RULES.contains(&rule) => {
            let (ordering_cost, holding_cost) = costs()?;
            let rule = LotSizingRule::with_costs(rule, ordering_cost, holding_cost)
                .ok_or_else(|| AppError::Internal(format!("{rule} is a cost rule")))?;
            (rule, &["ordering_cost", "holding_cost"])
        }
        _ => {
            return Err(AppError::field(
                "lot_sizing",
                format!("'{name}' is not a lot-sizing rule"),
            ))
        }
    };
    if let Some(p) = PARAMETERS
        .iter()
        .find(|p| row.contains_key(**p) && !takes.contains(p))
    {
        return Err(AppError::field(
            *p,
            format!("is not a parameter of the rule {name}"),
        ));
    }
    Ok(Some(rule))
}

/// Imports planning data, one row per item by `PUT /mrp/items/{id}/planning`'s rules: an
/// empty cell keeps the item's current value; all or nothing.
pub fn import_planning(
    conn: &mut DbConnection,
    actor: &Actor,
    body: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require("mrp.master.write")?;
    check_columns(body, PLANNING_COLUMNS)?;
    import_all(conn, body, |conn, row| {
        let item = item_of_row(conn, actor, row)?;
        let req = PlanningRequest {
            lead_time_days: parsed(row, "lead_time_days")?,
            make_or_buy: enum_cell(row, "make_or_buy")?,
            safety_stock: parsed(row, "safety_stock")?,
            lot_sizing: rule_of_row(row)?,
            min_order: parsed(row, "min_order")?,
            max_order: parsed(row, "max_order")?,
            order_multiple: parsed(row, "order_multiple")?,
            planning_time_fence_days: parsed(row, "planning_time_fence_days")?,
            phantom: parsed(row, "phantom")?,
            version: None,
        };
        planning::service::put_planning(conn, actor, uuid_from_db(&item.id)?, None, req).map(|_| ())
    })
}

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
    let company = actor.company_id.to_db();
    let boms = repo::boms(conn, &company, q.status.map(|s| enum_to_db(&s)).as_deref())?;
    let mut lines: HashMap<String, Vec<_>> = HashMap::new();
    for l in repo::bom_lines(conn, &company)? {
        lines.entry(l.0.bom_id.clone()).or_default().push(l);
    }
    let mut out = Vec::new();
    for (b, sku) in &boms {
        let status: BomStatus = enum_from_db(&b.status)?;
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
    let ops = repo::operations(conn, &actor.company_id.to_db())?;
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
    let company = actor.company_id.to_db();
    let mut items = crate::run::repo::plannable_items(conn, &company)?;
    items.sort_by(|a, b| a.sku.cmp(&b.sku));
    let rows: HashMap<String, _> = planning::repo::all(conn, &company)?
        .into_iter()
        .map(|p| (p.item_id.clone(), p))
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
    let mut v = Validator::new();
    check_range(&mut v, "to", q.from, q.to);
    v.finish()?;
    let filter = DemandFilter {
        item_id: q.item_id.map(|i| i.to_string()),
        kind: q.kind.map(|k| enum_to_db(&k)),
        from: q.from,
        to: q.to,
    };
    let company = actor.company_id.to_db();
    let demands = crate::demand::repo::all(conn, &company, &filter)?;
    let mut ids: Vec<String> = demands.iter().map(|d| d.item_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let skus = erp_inventory::item::repo::skus(conn, &company, &ids)?;
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
            d.kind,
            d.due_date.to_string(),
            Qty::from_scaled(d.quantity).to_string(),
            d.source_type.unwrap_or_default(),
            d.source_id.unwrap_or_default(),
            d.note.unwrap_or_default(),
        ]);
    }
    write_table(DEMAND_COLUMNS, out)
}
