use actix_web::{delete, get, post, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::InvoiceId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_invoices)
        .service(create_invoice)
        .service(get_invoice)
        .service(invoice_pdf)
        .service(delete_invoice)
        .service(post_invoice)
        .service(cancel_invoice)
        .service(release_invoice);
}

/// Customer invoices and credit notes, supplier bills and debit notes.
#[utoipa::path(tag = "finance", params(ListParams, InvoiceListQuery), responses((status = 200, body = InvoicePage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/invoices")]
pub async fn list_invoices(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<InvoiceListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_invoices(c, &actor, &params.0, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Makes an invoice, bill or note, as a draft or posted at once (`post: true`): priced and
/// taxed line by line, then posted into the ledger with the number of its entry.
#[utoipa::path(tag = "finance", request_body = CreateInvoiceRequest, responses((status = 201, body = InvoiceResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/invoices")]
pub async fn create_invoice(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateInvoiceRequest>,
) -> Result<HttpResponse, AppError> {
    let i = ctx
        .db
        .run(move |c| service::create_invoice(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/finance/invoices/{}", i.id);
    Ok(created_versioned(&i, i.version, location))
}

/// A document as PDF
///
/// The company's letterhead, the partner's billing address, dates and terms, every line with
/// its net and tax, the taxes by rate, the instalments and the totals, each figure exactly as
/// the document's JSON gives it. A draft prints as "Draft invoice", not numbered.
#[utoipa::path(tag = "finance", params(("id" = InvoiceId, Path)), responses((status = 200, description = "The document as PDF", content_type = "application/pdf", body = erp_core::http::FileBytes), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/invoices/{id}/pdf")]
pub async fn invoice_pdf(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<InvoiceId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    erp_core::pdf::printed(&ctx.db, move |c| super::print::printable(c, &actor, id)).await
}

/// One document with its lines, taxes and allocations.
#[utoipa::path(tag = "finance", params(("id" = InvoiceId, Path)), responses((status = 200, body = InvoiceResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/invoices/{id}")]
pub async fn get_invoice(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<InvoiceId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let i = ctx
        .db
        .run(move |c| service::get_invoice(c, &actor, id))
        .await?;
    Ok(ok_versioned(&i, i.version))
}

/// Deletes a draft; a posted document is cancelled instead (409 `invalid_state`).
#[utoipa::path(tag = "finance", params(("id" = InvoiceId, Path)), responses((status = 204, description = "deleted"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[delete("/finance/invoices/{id}")]
pub async fn delete_invoice(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<InvoiceId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    ctx.db
        .run(move |c| service::delete_invoice(c, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Posts a draft into the ledger; it takes the next number of its journal.
#[utoipa::path(tag = "finance", params(("id" = InvoiceId, Path)), responses((status = 200, body = InvoiceResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/invoices/{id}/post")]
pub async fn post_invoice(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<InvoiceId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let i = ctx
        .db
        .run(move |c| service::post_invoice(c, &actor, id))
        .await?;
    Ok(ok_versioned(&i, i.version))
}

/// Cancels a posted document nothing settles yet, by reversing its entry (409
/// `document_settled` when a payment or note settles it).
#[utoipa::path(tag = "finance", params(("id" = InvoiceId, Path)), request_body = CancelInvoiceRequest, responses((status = 200, body = InvoiceResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/invoices/{id}/cancel")]
pub async fn cancel_invoice(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<InvoiceId>,
    body: Json<CancelInvoiceRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let i = ctx
        .db
        .run(move |c| service::cancel_invoice(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&i, i.version))
}

/// Releases a held document so it may be posted (needs `finance.invoice.approve`); the hold
/// reason stays on it, with who released it and when.
#[utoipa::path(tag = "finance", params(("id" = InvoiceId, Path)), responses((status = 200, body = InvoiceResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/invoices/{id}/release")]
pub async fn release_invoice(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<InvoiceId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let i = ctx
        .db
        .run(move |c| service::release_invoice(c, &actor, id))
        .await?;
    Ok(ok_versioned(&i, i.version))
}
