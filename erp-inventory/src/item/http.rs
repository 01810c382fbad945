use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::ItemId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_items)
        .service(create_items)
        .service(create_item)
        .service(get_item)
        .service(update_item);
}

/// List items
#[utoipa::path(tag = "inventory", params(ListParams, ItemListQuery), responses((status = 200, body = ItemPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/items")]
pub async fn list_items(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    query: Query<ItemListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_items(c, &actor, &params.0, query.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Create an item
#[utoipa::path(
    tag = "inventory",
    request_body = CreateItemRequest,
    responses((status = 201, body = ItemResponse), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/inventory/items")]
pub async fn create_item(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateItemRequest>,
) -> Result<HttpResponse, AppError> {
    let x = ctx
        .db
        .run(move |c| service::create_item(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &x,
        x.version,
        format!("/api/v1/inventory/items/{}", x.id),
    ))
}

/// Create up to 1,000 items at once
///
/// All or nothing: each item is checked as a single create would check it (a SKU also
/// against the items before it in the same request); when any is refused, none is created
/// and the 422 names every refused item by its index, e.g. `items[3].sku`.
#[utoipa::path(
    tag = "inventory",
    params(erp_core::batch::DryRun), request_body = CreateItemsRequest,
    responses((status = 201, body = ItemBatch), (status = 200, body = ItemBatch, description = "A dry run: what the request would do; nothing is kept")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/inventory/items/batch")]
pub async fn create_items(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateItemsRequest>,
    dry: Query<erp_core::batch::DryRun>,
) -> Result<HttpResponse, AppError> {
    erp_core::http::bulk(&ctx, dry.0, StatusCode::CREATED, move |c| {
        service::create_items(c, &actor, body.0)
    })
    .await
}

/// An item
#[utoipa::path(
    tag = "inventory",
    params(("id" = ItemId, Path)),
    responses((status = 200, body = ItemResponse), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/inventory/items/{id}")]
pub async fn get_item(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ItemId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let x = ctx
        .db
        .run(move |c| service::get_item(c, &actor, id))
        .await?;
    Ok(ok_versioned(&x, x.version))
}

/// Change an item
#[utoipa::path(
    tag = "inventory",
    params(("id" = ItemId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = UpdateItemRequest,
    responses(
        (status = 200, body = ItemResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/inventory/items/{id}")]
pub async fn update_item(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<ItemId>,
    body: Json<UpdateItemRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let x = ctx
        .db
        .run(move |c| service::update_item(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&x, x.version))
}
