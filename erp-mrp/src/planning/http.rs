use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{ok_versioned, Json, Query};
use erp_core::Ctx;
use erp_inventory::ids::ItemId;

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_planning)
        .service(put_planning)
        .service(put_plannings)
        .service(get_routing)
        .service(put_routing)
        .service(put_routings);
}

/// An item's planning data
#[utoipa::path(tag = "mrp", params(("id" = ItemId, Path)), responses((status = 200, body = PlanningResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/items/{id}/planning")]
pub async fn get_planning(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ItemId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let p = ctx
        .db
        .run(move |c| service::get_planning(c, &actor, id))
        .await?;
    Ok(ok_versioned(&p, p.version))
}

/// Sets the item's planning data; fields left out keep their value. `If-Match` (or
/// `version`) is checked when given.
#[utoipa::path(
    tag = "mrp",
    params(("id" = ItemId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = PlanningRequest,
    responses((status = 200, body = PlanningResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[put("/mrp/items/{id}/planning")]
pub async fn put_planning(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<ItemId>,
    body: Json<PlanningRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = match (req.headers().contains_key("if-match"), body.0.version) {
        (false, None) => None,
        (_, v) => Some(erp_core::http::expected_version(&req, v)?),
    };
    let id = id.into_inner();
    let p = ctx
        .db
        .run(move |c| service::put_planning(c, &actor, id, expected, body.0))
        .await?;
    Ok(ok_versioned(&p, p.version))
}

/// Set the planning data of up to 1,000 items at once
///
/// All or nothing: each item's data is checked as `PUT /mrp/items/{id}/planning` checks it
/// (fields left out keep their value); when any is refused, none is set and the 422 names
/// every refused item by its index, e.g. `items[3].planning.lead_time_days`.
#[utoipa::path(tag = "mrp", params(erp_core::batch::DryRun), request_body = PlanningBatchRequest, responses((status = 200, body = PlanningBatch)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/planning/batch")]
pub async fn put_plannings(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<PlanningBatchRequest>,
    dry: Query<erp_core::batch::DryRun>,
) -> Result<HttpResponse, AppError> {
    erp_core::http::bulk(&ctx, dry.0, StatusCode::OK, move |c| {
        service::put_plannings(c, &actor, body.0)
    })
    .await
}

/// Replace the routings of up to 1,000 items at once
///
/// All or nothing: each item's routing is checked as `PUT /mrp/items/{id}/routing` checks it;
/// when any is refused, none is set and the 422 names every refused item by its index, e.g.
/// `items[3].routing.operations[0].work_center_id`.
#[utoipa::path(tag = "mrp", params(erp_core::batch::DryRun), request_body = RoutingBatchRequest, responses((status = 200, body = RoutingBatch)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/routings/batch")]
pub async fn put_routings(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<RoutingBatchRequest>,
    dry: Query<erp_core::batch::DryRun>,
) -> Result<HttpResponse, AppError> {
    erp_core::http::bulk(&ctx, dry.0, StatusCode::OK, move |c| {
        service::put_routings(c, &actor, body.0)
    })
    .await
}

/// An item's routing
#[utoipa::path(tag = "mrp", params(("id" = ItemId, Path)), responses((status = 200, body = RoutingResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/items/{id}/routing")]
pub async fn get_routing(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ItemId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::get_routing(c, &actor, id))
            .await?,
    ))
}

/// Replaces the item's routing: its operations in `seq` order.
#[utoipa::path(tag = "mrp", params(("id" = ItemId, Path)), request_body = RoutingRequest, responses((status = 200, body = RoutingResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[put("/mrp/items/{id}/routing")]
pub async fn put_routing(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ItemId>,
    body: Json<RoutingRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::put_routing(c, &actor, id, body.0))
            .await?,
    ))
}
