use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, created_versioned, expected_version, ok_versioned, Json};
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::{LocationId, WarehouseId};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_warehouses)
        .service(create_warehouse)
        .service(get_warehouse)
        .service(update_warehouse)
        .service(create_location)
        .service(get_location);
}

/// Warehouses of the branches the caller may see.
#[utoipa::path(tag = "inventory", responses((status = 200, body = WarehouseList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/warehouses")]
pub async fn list_warehouses(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_warehouses(c, &actor))
            .await?,
    ))
}

/// Creates a warehouse with its STOCK, RECEIVING, SCRAP and TRANSIT locations.
#[utoipa::path(tag = "inventory", request_body = CreateWarehouseRequest, responses((status = 201, body = WarehouseResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/warehouses")]
pub async fn create_warehouse(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateWarehouseRequest>,
) -> Result<HttpResponse, AppError> {
    let w = ctx
        .db
        .run(move |c| service::create_warehouse(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &w,
        w.version,
        format!("/api/v1/inventory/warehouses/{}", w.id),
    ))
}

/// A warehouse with its locations
#[utoipa::path(tag = "inventory", params(("id" = WarehouseId, Path)), responses((status = 200, body = WarehouseResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/warehouses/{id}")]
pub async fn get_warehouse(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<WarehouseId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let w = ctx
        .db
        .run(move |c| service::get_warehouse(c, &actor, id))
        .await?;
    Ok(ok_versioned(&w, w.version))
}

/// Change a warehouse
#[utoipa::path(
    tag = "inventory",
    params(("id" = WarehouseId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = UpdateWarehouseRequest,
    responses(
        (status = 200, body = WarehouseResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/inventory/warehouses/{id}")]
pub async fn update_warehouse(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<WarehouseId>,
    body: Json<UpdateWarehouseRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let w = ctx
        .db
        .run(move |c| service::update_warehouse(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&w, w.version))
}

/// Adds a location (zone, aisle, bin) to a warehouse.
#[utoipa::path(tag = "inventory", request_body = CreateLocationRequest, responses((status = 201, body = LocationResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/locations")]
pub async fn create_location(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateLocationRequest>,
) -> Result<HttpResponse, AppError> {
    let l = ctx
        .db
        .run(move |c| service::create_location(c, &actor, body.0))
        .await?;
    Ok(created(&l, format!("/api/v1/inventory/locations/{}", l.id)))
}

/// A location
#[utoipa::path(tag = "inventory", params(("id" = LocationId, Path)), responses((status = 200, body = LocationResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/locations/{id}")]
pub async fn get_location(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<LocationId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::get_location(c, &actor, id))
            .await?,
    ))
}
