use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::csv_import::{
    check_columns, each_row, enum_cell, import_all, import_groups, on_rows, parsed, record_cells,
    required, ImportReport, Row,
};
use erp_core::db::DbConnection;
use erp_core::error::{AppError, Validator};
use erp_core::money::{Money, Qty};
use erp_inventory::csv_io::service::{item_in_column, item_of_row};
use erp_inventory::ids::UomId;
use erp_inventory::uom::repo as uom_repo;

pub use super::export::*;
use crate::bom::dto::{BomLineInput, CreateBomRequest};
use crate::ids::WorkCenterId;
use crate::planning::dto::{LotSizingRule, OperationInput, PlanningRequest, RoutingRequest};
use crate::{bom, planning, work_center};

/// The columns of a BOM file: one row per line; the rows of one parent and revision make one
/// BOM, and its own cells (output_quantity, notes, activate) may be on any of them.
pub(super) const BOM_COLUMNS: &[&str] = &[
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
pub(super) const ROUTING_COLUMNS: &[&str] = &[
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
pub(super) const PLANNING_COLUMNS: &[&str] = &[
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
fn unit_ids(conn: &mut DbConnection, actor: &Actor) -> Result<HashMap<String, UomId>, AppError> {
    uom_repo::list(conn, actor.company_id)?
        .into_iter()
        .map(|u| Ok((u.code, u.id)))
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
                component_id: component.id,
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
            item_id: parent.id,
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
    let centers: HashMap<String, WorkCenterId> = work_center::repo::list(conn, actor.company_id)?
        .into_iter()
        .map(|w| Ok((w.code.to_lowercase(), w.id)))
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
            planning::service::put_routing(conn, actor, item.id, RoutingRequest { operations })
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
        planning::service::put_planning(conn, actor, item.id, None, req).map(|_| ())
    })
}
