use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::csv_import::ImportReport;
use erp_core::error::AppError;
use erp_core::http::{csv_file, Query};
use erp_core::Ctx;

use super::dto::BomExportQuery;
use super::service;
use crate::demand::dto::DemandListQuery;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(import_boms)
        .service(import_routings)
        .service(import_planning)
        .service(export_boms)
        .service(export_routings)
        .service(export_planning)
        .service(export_demands);
}

erp_core::csv_import_route!(
    /// Import BOMs from CSV
    ///
    /// Columns: parent_sku, revision, output_quantity, notes, activate (true or false),
    /// component_sku, quantity, unit (a unit code; default the component's base unit), scrap
    /// (0.05 = 5%), effective_from, effective_to (YYYY-MM-DD). One row per line: the rows of one
    /// parent and revision make one BOM (in the order of their rows), and the BOM's own cells
    /// (output_quantity, notes, activate) may stand on any of its rows, the same wherever they are
    /// repeated. Each BOM is made as `POST /mrp/boms` makes one, so an existing revision or a
    /// cycle is refused. All or nothing: a rejected file gets 422 listing every rejected row
    /// (`rows[3].quantity`; a whole BOM's refusal names its first row).
    import_boms,
    "/mrp/import/boms",
    tag = "mrp",
    report = ImportReport,
    import = service::import_boms
);

erp_core::csv_import_route!(
    /// Import routings from CSV
    ///
    /// Columns: sku, seq, name, work_center (its code), setup_hours, run_hours, queue_hours,
    /// move_hours. One row per operation: the rows of one SKU replace that item's routing, as
    /// `PUT /mrp/items/{id}/routing` does. All or nothing (`rows[3].work_center`).
    import_routings,
    "/mrp/import/routings",
    tag = "mrp",
    report = ImportReport,
    import = service::import_routings
);

erp_core::csv_import_route!(
    /// Import planning data from CSV
    ///
    /// Columns: sku, lead_time_days, make_or_buy (`make`, `buy`), safety_stock, lot_sizing (the
    /// rule: `lot_for_lot`, `fixed_order_quantity`, `economic_order_quantity`,
    /// `period_order_quantity`, `least_unit_cost`, `least_total_cost`, `part_period_balancing`,
    /// `wagner_whitin`), the rule's parameters (lot_quantity, periods, annual_demand,
    /// annual_holding_cost, ordering_cost, holding_cost: only those of the named rule),
    /// min_order, max_order, order_multiple, planning_time_fence_days, phantom (true or false).
    /// One row per item, set as `PUT /mrp/items/{id}/planning` sets it: an empty cell keeps the
    /// item's current value. All or nothing (`rows[3].lot_quantity`).
    import_planning,
    "/mrp/import/planning",
    tag = "mrp",
    report = ImportReport,
    import = service::import_planning
);

/// Export BOMs as CSV
///
/// The columns `POST /mrp/import/boms` reads, one row per line, by parent SKU and revision;
/// the BOM's own cells stand on its first row, and `activate` is true for the active BOM.
#[utoipa::path(
    tag = "mrp",
    params(BomExportQuery),
    responses((status = 200, description = "CSV: parent_sku, revision, output_quantity, notes, activate, component_sku, quantity, unit, scrap, effective_from, effective_to", content_type = "text/csv", body = String)),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/mrp/export/boms")]
pub async fn export_boms(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<BomExportQuery>,
) -> Result<HttpResponse, AppError> {
    let csv = ctx
        .db
        .run(move |c| service::export_boms(c, &actor, q.0))
        .await?;
    Ok(csv_file("boms.csv", csv))
}

/// Export routings as CSV
///
/// The columns `POST /mrp/import/routings` reads, one row per operation, by SKU and step.
#[utoipa::path(
    tag = "mrp",
    responses((status = 200, description = "CSV: sku, seq, name, work_center, setup_hours, run_hours, queue_hours, move_hours", content_type = "text/csv", body = String)),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/mrp/export/routings")]
pub async fn export_routings(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    let csv = ctx
        .db
        .run(move |c| service::export_routings(c, &actor))
        .await?;
    Ok(csv_file("routings.csv", csv))
}

/// Export planning data as CSV
///
/// The columns `POST /mrp/import/planning` reads, one row per active stocked item by SKU
/// (an item without planning data of its own shows the defaults).
#[utoipa::path(
    tag = "mrp",
    responses((status = 200, description = "CSV: sku, lead_time_days, make_or_buy, safety_stock, lot_sizing, lot_quantity, periods, annual_demand, annual_holding_cost, ordering_cost, holding_cost, min_order, max_order, order_multiple, planning_time_fence_days, phantom", content_type = "text/csv", body = String)),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/mrp/export/planning")]
pub async fn export_planning(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    let csv = ctx
        .db
        .run(move |c| service::export_planning(c, &actor))
        .await?;
    Ok(csv_file("planning.csv", csv))
}

/// Export demands as CSV
///
/// The filters of `GET /mrp/demands`; the columns `POST /mrp/import/demands` reads, by due
/// date and SKU.
#[utoipa::path(
    tag = "mrp",
    params(DemandListQuery),
    responses((status = 200, description = "CSV: sku, kind, due_date, quantity, source_type, source_id, note", content_type = "text/csv", body = String)),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/mrp/export/demands")]
pub async fn export_demands(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<DemandListQuery>,
) -> Result<HttpResponse, AppError> {
    let csv = ctx
        .db
        .run(move |c| service::export_demands(c, &actor, q.0))
        .await?;
    Ok(csv_file("demands.csv", csv))
}
