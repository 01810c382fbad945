use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::Json;
use erp_core::Ctx;

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_uoms)
        .service(create_uom)
        .service(list_uom_conversions)
        .service(set_uom_conversion)
        .service(list_item_categories)
        .service(create_item_category);
}

/// List units of measure
#[utoipa::path(tag = "inventory", responses((status = 200, body = UomList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/uoms")]
pub async fn list_uoms(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::list_uoms(c, &actor)).await?))
}

/// Creates a unit of measure.
#[utoipa::path(tag = "inventory", request_body = CreateUomRequest, responses((status = 201, body = UomResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/uoms")]
pub async fn create_uom(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateUomRequest>,
) -> Result<HttpResponse, AppError> {
    let u = ctx
        .db
        .run(move |c| service::create_uom(c, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(u))
}

/// List unit conversions
#[utoipa::path(tag = "inventory", responses((status = 200, body = UomConversionList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/uom-conversions")]
pub async fn list_uom_conversions(
    ctx: web::Data<Ctx>,
    actor: Actor,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_conversions(c, &actor))
            .await?,
    ))
}

/// Sets a conversion for every item: 1 `from_uom` = `factor` × `to_uom`.
#[utoipa::path(tag = "inventory", request_body = UomConversion, responses((status = 200, body = UomConversion)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/uom-conversions")]
pub async fn set_uom_conversion(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<UomConversion>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::set_conversion(c, &actor, body.0))
            .await?,
    ))
}

/// List item categories
#[utoipa::path(tag = "inventory", responses((status = 200, body = CategoryList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/categories")]
pub async fn list_item_categories(
    ctx: web::Data<Ctx>,
    actor: Actor,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_categories(c, &actor))
            .await?,
    ))
}

/// Creates an item category, optionally under a parent.
#[utoipa::path(tag = "inventory", request_body = CreateCategoryRequest, responses((status = 201, body = CategoryResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/categories")]
pub async fn create_item_category(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateCategoryRequest>,
) -> Result<HttpResponse, AppError> {
    let c = ctx
        .db
        .run(move |conn| service::create_category(conn, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(c))
}
