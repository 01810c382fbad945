use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::AppError;
use erp_core::http::{csv_file, Query};
use erp_core::Ctx;

use super::service::{self, ImportReport};
use crate::stock::dto::StockQuery;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(import_items)
        .service(import_locations)
        .service(import_opening_balances)
        .service(export_stock)
        .service(export_items);
}

erp_core::csv_import_route!(
    /// Imports items from CSV (columns: sku, name, base_uom, item_type, procurement, tracking,
    /// valuation, category, barcode, standard_cost, sales_price, reorder_point, reorder_max,
    /// description; `GET /inventory/export/items` writes them).
    /// All or nothing: any rejected row gets 422 listing every rejected row and why.
    import_items,
    "/inventory/import/items",
    tag = "inventory",
    report = ImportReport,
    import = service::import_items
);

erp_core::csv_import_route!(
    /// Imports locations from CSV (columns: warehouse, code, name, kind, parent). All or nothing.
    import_locations,
    "/inventory/import/locations",
    tag = "inventory",
    report = ImportReport,
    import = service::import_locations
);

erp_core::csv_import_route!(
    /// Imports opening balances from CSV (columns: sku, warehouse, location, quantity,
    /// unit_cost, lot) as receipt moves. All or nothing.
    import_opening_balances,
    "/inventory/import/opening-balances",
    tag = "inventory",
    report = ImportReport,
    import = service::import_opening_balances
);

/// Stock on hand as CSV (the filters of `GET /inventory/stock`).
#[utoipa::path(
    tag = "inventory",
    params(StockQuery),
    responses((status = 200, description = "CSV: sku, warehouse_id, location, lot, on_hand, reserved, available", content_type = "text/csv", body = String)),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/inventory/export/stock")]
pub async fn export_stock(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<StockQuery>,
) -> Result<HttpResponse, AppError> {
    let csv = ctx
        .db
        .run(move |c| service::export_stock(c, &actor, q.0))
        .await?;
    Ok(csv_file("stock.csv", csv))
}

/// Export items as CSV
///
/// The company's active items by SKU, in the columns `POST /inventory/import/items` reads
/// (units and categories by code).
#[utoipa::path(
    tag = "inventory",
    responses((status = 200, description = "CSV: sku, name, base_uom, item_type, procurement, tracking, valuation, category, barcode, standard_cost, sales_price, reorder_point, reorder_max, description", content_type = "text/csv", body = String)),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/inventory/export/items")]
pub async fn export_items(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    let csv = ctx
        .db
        .run(move |c| service::export_items(c, &actor))
        .await?;
    Ok(csv_file("items.csv", csv))
}
