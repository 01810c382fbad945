use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, Json, Query};
use erp_core::ids::PartnerId;
use erp_core::pagination::ListParams;
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::InteractionId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_interaction)
        .service(list_interactions)
        .service(record_result)
        .service(list_outcomes)
        .service(save_outcome);
}

/// Logs a call, meeting, e-mail, note or visit; one without its minimum record is refused,
/// naming every missing field.
#[utoipa::path(tag = "crm", params(("id" = PartnerId, Path)), request_body = CreateInteractionRequest, responses((status = 201, body = InteractionResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/customers/{id}/interactions")]
pub async fn create_interaction(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PartnerId>,
    body: Json<CreateInteractionRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let i = ctx
        .db
        .run(move |c| service::create_interaction(c, &actor, id, body.0))
        .await?;
    Ok(created(
        &i,
        format!("/api/v1/crm/customers/{id}/interactions"),
    ))
}

/// List a customer's interactions
#[utoipa::path(tag = "crm", params(("id" = PartnerId, Path), ListParams, InteractionListQuery), responses((status = 200, body = InteractionPage), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/customers/{id}/interactions")]
pub async fn list_interactions(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PartnerId>,
    params: Query<ListParams>,
    q: Query<InteractionListQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_interactions(c, &actor, id, &params.0, q.0))
            .await?,
    ))
}

/// The outcomes a call may have in this company.
#[utoipa::path(tag = "crm", responses((status = 200, body = CallOutcomeList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/call-outcomes")]
pub async fn list_outcomes(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_outcomes(c, &actor))
            .await?,
    ))
}

/// Adds or changes (by code) a call outcome.
#[utoipa::path(tag = "crm", request_body = CallOutcomeRequest, responses((status = 200, body = CallOutcomeList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/call-outcomes")]
pub async fn save_outcome(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CallOutcomeRequest>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::save_outcome(c, &actor, body.0))
            .await?,
    ))
}

/// Records what came of a meeting or visit that was entered ahead without its result.
#[utoipa::path(tag = "crm", params(("id" = InteractionId, Path)), request_body = MeetingResultRequest, responses((status = 200, body = InteractionResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/interactions/{id}/result")]
pub async fn record_result(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<InteractionId>,
    body: Json<MeetingResultRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::record_result(c, &actor, id, body.0))
            .await?,
    ))
}
