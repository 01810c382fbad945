use actix_web::{get, post, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::PaymentTermsId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_payment_terms)
        .service(create_payment_terms)
        .service(get_payment_terms);
}

/// Payment terms.
#[utoipa::path(tag = "finance", params(ListParams), responses((status = 200, body = PaymentTermsPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/payment-terms")]
pub async fn list_payment_terms(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_payment_terms(c, &actor, &params.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates payment terms: net days, and a discount for paying early.
#[utoipa::path(tag = "finance", request_body = CreatePaymentTermsRequest, responses((status = 201, body = PaymentTermsResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/payment-terms")]
pub async fn create_payment_terms(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreatePaymentTermsRequest>,
) -> Result<HttpResponse, AppError> {
    let t = ctx
        .db
        .run(move |c| service::create_payment_terms(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/finance/payment-terms/{}", t.id);
    Ok(created_versioned(&t, t.version, location))
}

/// One set of payment terms.
#[utoipa::path(tag = "finance", params(("id" = PaymentTermsId, Path)), responses((status = 200, body = PaymentTermsResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/payment-terms/{id}")]
pub async fn get_payment_terms(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PaymentTermsId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let t = ctx
        .db
        .run(move |c| service::get_payment_terms(c, &actor, id))
        .await?;
    Ok(ok_versioned(&t, t.version))
}
