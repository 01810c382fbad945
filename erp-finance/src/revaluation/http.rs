use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, Json};
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::RevaluationId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_revaluations)
        .service(run_revaluation)
        .service(get_revaluation);
}

/// List currency revaluations
#[utoipa::path(tag = "finance", responses((status = 200, body = RevaluationList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/revaluations")]
pub async fn list_revaluations(
    ctx: web::Data<Ctx>,
    actor: Actor,
) -> Result<HttpResponse, AppError> {
    let r = ctx.db.run(move |c| service::list(c, &actor)).await?;
    Ok(HttpResponse::Ok().json(r))
}

/// Revalues every document and payment in another currency still open at a date: posts the
/// unrealised differences and their reversal on the first day of the next period.
#[utoipa::path(tag = "finance", request_body = RunRevaluationRequest, responses((status = 201, body = RevaluationResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/revaluations")]
pub async fn run_revaluation(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<RunRevaluationRequest>,
) -> Result<HttpResponse, AppError> {
    let r = ctx.db.run(move |c| service::run(c, &actor, body.0)).await?;
    let location = format!("/api/v1/finance/revaluations/{}", r.id);
    Ok(created(&r, location))
}

/// A currency revaluation with its lines
#[utoipa::path(tag = "finance", params(("id" = Uuid, Path)), responses((status = 200, body = RevaluationResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/revaluations/{id}")]
pub async fn get_revaluation(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<RevaluationId>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::get(c, &actor, id.into_inner()))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}
