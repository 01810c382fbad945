use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{Json, Query};
use erp_core::Ctx;

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(payment_proposal).service(execute_proposal);
}

/// The supplier bills to pay on a date: those due by then and those whose early-payment
/// discount is still open, each with the discount to take and the money to pay, by supplier.
#[utoipa::path(tag = "finance", params(PaymentProposalQuery), responses((status = 200, body = PaymentProposal)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/payment-proposal")]
pub async fn payment_proposal(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<PaymentProposalQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::payment_proposal(c, &actor, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// Pays the proposal of a date: one supplier payment per supplier, allocated to its bills
/// with the discounts taken; all or nothing (409 `over_allocation` if a bill was paid
/// meanwhile, 409 `nothing_to_pay` when nothing is proposed).
#[utoipa::path(tag = "finance", request_body = ExecuteProposalRequest, responses((status = 201, body = PaymentRun), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/payment-proposal/execute")]
pub async fn execute_proposal(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<ExecuteProposalRequest>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::execute_proposal(c, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(r))
}
