use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::ids::PartnerId;
use erp_core::pagination::ListParams;
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::DealId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_deals)
        .service(create_deal)
        .service(get_deal)
        .service(update_deal)
        .service(move_deal)
        .service(win_deal)
        .service(lose_deal)
        .service(qualify_lead);
}

/// The caller's deals (everyone's with `crm.all`).
#[utoipa::path(tag = "crm", params(ListParams, DealListQuery), responses((status = 200, body = DealPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/deals")]
pub async fn list_deals(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<DealListQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_deals(c, &actor, &params.0, q.0))
            .await?,
    ))
}

/// Open a deal
#[utoipa::path(tag = "crm", request_body = CreateDealRequest, responses((status = 201, body = DealResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/deals")]
pub async fn create_deal(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateDealRequest>,
) -> Result<HttpResponse, AppError> {
    let d = ctx
        .db
        .run(move |c| service::create_deal(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &d,
        d.version,
        format!("/api/v1/crm/deals/{}", d.id),
    ))
}

/// A deal with its stage history
#[utoipa::path(tag = "crm", params(("id" = DealId, Path)), responses((status = 200, body = DealResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/deals/{id}")]
pub async fn get_deal(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<DealId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let d = ctx
        .db
        .run(move |c| service::get_deal(c, &actor, id))
        .await?;
    Ok(ok_versioned(&d, d.version))
}

/// Moves an open deal to another open stage; the change is kept with its time.
/// Changes an open deal's title, value, currency, expected close or owner; each change goes
/// on the deal's `changes`. `If-Match` carries the deal's version.
#[utoipa::path(
    tag = "crm",
    params(("id" = DealId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = UpdateDealRequest,
    responses((status = 200, body = DealResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/crm/deals/{id}")]
pub async fn update_deal(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<DealId>,
    body: Json<UpdateDealRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let d = ctx
        .db
        .run(move |c| service::update_deal(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&d, d.version))
}

/// Move a deal to another stage
#[utoipa::path(tag = "crm", params(("id" = DealId, Path)), request_body = MoveDealRequest, responses((status = 200, body = DealResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/deals/{id}/stage")]
pub async fn move_deal(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<DealId>,
    body: Json<MoveDealRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let d = ctx
        .db
        .run(move |c| service::transition(c, &actor, id, "move", Some(body.0.stage_id), None))
        .await?;
    Ok(ok_versioned(&d, d.version))
}

/// Closes the deal as won; its customer becomes a `customer`.
#[utoipa::path(tag = "crm", params(("id" = DealId, Path)), responses((status = 200, body = DealResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/deals/{id}/win")]
pub async fn win_deal(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<DealId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let d = ctx
        .db
        .run(move |c| service::transition(c, &actor, id, "win", None, None))
        .await?;
    Ok(ok_versioned(&d, d.version))
}

/// Closes the deal as lost, with the reason.
#[utoipa::path(tag = "crm", params(("id" = DealId, Path)), request_body = LoseDealRequest, responses((status = 200, body = DealResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/deals/{id}/lose")]
pub async fn lose_deal(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<DealId>,
    body: Json<LoseDealRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let d = ctx
        .db
        .run(move |c| service::transition(c, &actor, id, "lose", None, Some(body.0.reason)))
        .await?;
    Ok(ok_versioned(&d, d.version))
}

/// Qualifies a lead into a deal in one request: the card becomes a prospect.
#[utoipa::path(tag = "crm", params(("id" = PartnerId, Path)), request_body = QualifyRequest, responses((status = 201, body = DealResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/customers/{id}/qualify")]
pub async fn qualify_lead(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PartnerId>,
    body: Json<QualifyRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let d = ctx
        .db
        .run(move |c| service::qualify(c, &actor, id, body.0))
        .await?;
    Ok(created_versioned(
        &d,
        d.version,
        format!("/api/v1/crm/deals/{}", d.id),
    ))
}
