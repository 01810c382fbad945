use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::CountId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_counts)
        .service(create_count)
        .service(get_count)
        .service(enter_counts)
        .service(approve_count)
        .service(cancel_count);
}

/// List stock counts
#[utoipa::path(tag = "inventory", params(ListParams, CountListQuery), responses((status = 200, body = CountPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/counts")]
pub async fn list_counts(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<CountListQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_counts(c, &actor, &params.0, q.0))
            .await?,
    ))
}

/// Starts a full or cycle count; what is on hand now is what the count expects.
#[utoipa::path(tag = "inventory", request_body = CreateCountRequest, responses((status = 201, body = CountResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/counts")]
pub async fn create_count(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateCountRequest>,
) -> Result<HttpResponse, AppError> {
    let s = ctx
        .db
        .run(move |c| service::create_count(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &s,
        s.version,
        format!("/api/v1/inventory/counts/{}", s.id),
    ))
}

/// A stock count with its lines
#[utoipa::path(tag = "inventory", params(("id" = CountId, Path)), responses((status = 200, body = CountResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/counts/{id}")]
pub async fn get_count(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<CountId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let s = ctx
        .db
        .run(move |c| service::get_count(c, &actor, id))
        .await?;
    Ok(ok_versioned(&s, s.version))
}

/// Enters counted quantities (again, to correct them) while the count is open.
#[utoipa::path(tag = "inventory", params(("id" = CountId, Path)), request_body = EnterCountsRequest, responses((status = 200, body = CountResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/counts/{id}/entries")]
pub async fn enter_counts(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<CountId>,
    body: Json<EnterCountsRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let s = ctx
        .db
        .run(move |c| service::enter_counts(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&s, s.version))
}

/// Approves a count: differences are posted as adjustment moves.
#[utoipa::path(tag = "inventory", params(("id" = CountId, Path)), responses((status = 200, body = CountApprovalResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/counts/{id}/approve")]
pub async fn approve_count(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<CountId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::approve_count(c, &actor, id))
            .await?,
    ))
}

/// Cancel a stock count
#[utoipa::path(tag = "inventory", params(("id" = CountId, Path)), responses((status = 200, body = CountResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/counts/{id}/cancel")]
pub async fn cancel_count(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<CountId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let s = ctx
        .db
        .run(move |c| service::cancel_count(c, &actor, id))
        .await?;
    Ok(ok_versioned(&s, s.version))
}
