use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::csv_import::ImportReport;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::DemandId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_demands)
        .service(create_demands)
        .service(import_demands)
        .service(create_demand)
        .service(delete_demand);
}

/// List independent demand
#[utoipa::path(tag = "mrp", params(ListParams, DemandListQuery), responses((status = 200, body = DemandPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/demands")]
pub async fn list_demands(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<DemandListQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_demands(c, &actor, &params.0, q.0))
            .await?,
    ))
}

/// Records independent demand (MPS, forecast or sales). With a source already recorded, the
/// earlier demand of that source is replaced (200).
#[utoipa::path(tag = "mrp", request_body = CreateDemandRequest, responses((status = 201, body = DemandResponse), (status = 200, body = DemandResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/demands")]
pub async fn create_demand(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateDemandRequest>,
) -> Result<HttpResponse, AppError> {
    let (d, new) = ctx
        .db
        .run(move |c| service::create_demand(c, &actor, body.0))
        .await?;
    Ok(if new {
        created_versioned(&d, d.version, format!("/api/v1/mrp/demands/{}", d.id))
    } else {
        ok_versioned(&d, d.version)
    })
}

/// Record up to 1,000 demands at once
///
/// All or nothing: each demand is checked as a single one would be (and, with a source
/// already recorded, replaces it); when any is refused, none is recorded and the 422 names
/// every refused demand by its index, e.g. `demands[3].quantity`.
#[utoipa::path(tag = "mrp", params(erp_core::batch::DryRun), request_body = CreateDemandsRequest, responses((status = 201, body = DemandBatch), (status = 200, body = DemandBatch, description = "A dry run: what the request would do; nothing is kept")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/demands/batch")]
pub async fn create_demands(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateDemandsRequest>,
    dry: Query<erp_core::batch::DryRun>,
) -> Result<HttpResponse, AppError> {
    erp_core::http::bulk(&ctx, dry.0, StatusCode::CREATED, move |c| {
        service::create_demands(c, &actor, body.0)
    })
    .await
}

erp_core::csv_import_route!(
    /// Import demands from CSV
    ///
    /// Columns: sku, kind (`mps`, `forecast`, `sales_order`), due_date (YYYY-MM-DD), quantity (in
    /// the item's base unit), source_type, source_id, note. Each row is recorded as `POST
    /// /mrp/demands` records one (a source already recorded is replaced). All or nothing: any
    /// rejected row gets 422 listing every rejected row (`rows[3].kind`).
    import_demands,
    "/mrp/import/demands",
    tag = "mrp",
    report = ImportReport,
    import = service::import_demands
);

/// Delete a demand
#[utoipa::path(tag = "mrp", params(("id" = DemandId, Path)), responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[delete("/mrp/demands/{id}")]
pub async fn delete_demand(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<DemandId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    ctx.db
        .run(move |c| service::delete_demand(c, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
