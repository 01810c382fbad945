use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::TaxId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_taxes)
        .service(create_tax)
        .service(get_tax)
        .service(update_tax);
}

/// Tax rates.
#[utoipa::path(tag = "finance", params(ListParams), responses((status = 200, body = TaxPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/taxes")]
pub async fn list_taxes(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_taxes(c, &actor, &params.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates a tax rate with its output and input tax accounts.
#[utoipa::path(tag = "finance", request_body = CreateTaxRequest, responses((status = 201, body = TaxResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/taxes")]
pub async fn create_tax(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateTaxRequest>,
) -> Result<HttpResponse, AppError> {
    let t = ctx
        .db
        .run(move |c| service::create_tax(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/finance/taxes/{}", t.id);
    Ok(created_versioned(&t, t.version, location))
}

/// One tax rate.
#[utoipa::path(tag = "finance", params(("id" = TaxId, Path)), responses((status = 200, body = TaxResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/taxes/{id}")]
pub async fn get_tax(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<TaxId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let t = ctx.db.run(move |c| service::get_tax(c, &actor, id)).await?;
    Ok(ok_versioned(&t, t.version))
}

/// Changes a tax's name, accounts or activity (its rate never changes: make a new tax).
#[utoipa::path(tag = "finance", params(("id" = TaxId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")), request_body = UpdateTaxRequest, responses((status = 200, body = TaxResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[patch("/finance/taxes/{id}")]
pub async fn update_tax(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<TaxId>,
    body: Json<UpdateTaxRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let t = ctx
        .db
        .run(move |c| service::update_tax(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&t, t.version))
}
