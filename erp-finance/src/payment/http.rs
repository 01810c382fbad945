use actix_web::{get, post, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::PaymentId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_payments)
        .service(create_payment)
        .service(get_payment)
        .service(allocate_payment)
        .service(cancel_payment);
}

/// Payments received and made.
#[utoipa::path(tag = "finance", params(ListParams, PaymentListQuery), responses((status = 200, body = PaymentPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/payments")]
pub async fn list_payments(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<PaymentListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_payments(c, &actor, &params.0, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Records a payment, posts it (bank against receivable or payable) and allocates it to the
/// invoices or bills named; what is left stays as the partner's credit.
#[utoipa::path(tag = "finance", request_body = CreatePaymentRequest, responses((status = 201, body = PaymentResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/payments")]
pub async fn create_payment(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreatePaymentRequest>,
) -> Result<HttpResponse, AppError> {
    let p = ctx
        .db
        .run(move |c| service::create_payment(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/finance/payments/{}", p.id);
    Ok(created_versioned(&p, p.version, location))
}

/// One payment with its allocations.
#[utoipa::path(tag = "finance", params(("id" = PaymentId, Path)), responses((status = 200, body = PaymentResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/payments/{id}")]
pub async fn get_payment(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PaymentId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let p = ctx
        .db
        .run(move |c| service::get_payment(c, &actor, id))
        .await?;
    Ok(ok_versioned(&p, p.version))
}

/// Allocates a payment's unallocated money to invoices or bills (409 `over_allocation` when
/// an invoice or the payment has less left than asked).
#[utoipa::path(tag = "finance", params(("id" = PaymentId, Path)), request_body = AllocatePaymentRequest, responses((status = 200, body = PaymentResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/payments/{id}/allocate")]
pub async fn allocate_payment(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PaymentId>,
    body: Json<AllocatePaymentRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let p = ctx
        .db
        .run(move |c| service::allocate_payment(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&p, p.version))
}

/// Cancels a payment: its allocations are undone (the documents are open again, discounts and
/// write-offs reversed) and its entry reversed, on `date`. 409 `payment_reconciled` when a bank
/// statement line accounts for it.
#[utoipa::path(tag = "finance", params(("id" = PaymentId, Path)), request_body = CancelPaymentRequest, responses((status = 200, body = PaymentResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/payments/{id}/cancel")]
pub async fn cancel_payment(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PaymentId>,
    body: Json<CancelPaymentRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let p = ctx
        .db
        .run(move |c| service::cancel_payment(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&p, p.version))
}
