use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::TaxGroupId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_tax_groups)
        .service(create_tax_group)
        .service(get_tax_group)
        .service(update_tax_group);
}

/// Tax groups: several taxes charged together on a line.
#[utoipa::path(tag = "finance", params(ListParams), responses((status = 200, body = TaxGroupPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/tax-groups")]
pub async fn list_tax_groups(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_tax_groups(c, &actor, &params.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates a tax group of two to ten taxes; a line that names it is charged each of them.
#[utoipa::path(tag = "finance", request_body = CreateTaxGroupRequest, responses((status = 201, body = TaxGroupResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/tax-groups")]
pub async fn create_tax_group(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateTaxGroupRequest>,
) -> Result<HttpResponse, AppError> {
    let g = ctx
        .db
        .run(move |c| service::create_tax_group(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/finance/tax-groups/{}", g.id);
    Ok(created_versioned(&g, g.version, location))
}

/// One tax group with its members.
#[utoipa::path(tag = "finance", params(("id" = TaxGroupId, Path)), responses((status = 200, body = TaxGroupResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/tax-groups/{id}")]
pub async fn get_tax_group(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<TaxGroupId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let g = ctx
        .db
        .run(move |c| service::get_tax_group(c, &actor, id))
        .await?;
    Ok(ok_versioned(&g, g.version))
}

/// Changes a tax group's name or activity (its members never change: make a new group).
#[utoipa::path(tag = "finance", params(("id" = TaxGroupId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")), request_body = UpdateTaxGroupRequest, responses((status = 200, body = TaxGroupResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[patch("/finance/tax-groups/{id}")]
pub async fn update_tax_group(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<TaxGroupId>,
    body: Json<UpdateTaxGroupRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let g = ctx
        .db
        .run(move |c| service::update_tax_group(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&g, g.version))
}
