use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::PageParams;
use erp_core::Ctx;

use super::service::{
    self, CreateQuoteRequest, QuoteList, QuoteQuery, QuoteResponse, QuoteStatus,
    QuoteToOrderRequest,
};
use crate::ids::{DealId, QuoteId};
use crate::order::dto::OrderResponse;
use crate::segment::service::SuggestionList;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_quote)
        .service(list_quotes)
        .service(get_quote)
        .service(quote_pdf)
        .service(send_quote)
        .service(accept_quote)
        .service(reject_quote)
        .service(order_quote)
        .service(quote_suggestions);
}

/// A draft quote for an open deal: item lines with prices and discounts.
#[utoipa::path(tag = "crm", params(("id" = DealId, Path, description = "The deal")), request_body = CreateQuoteRequest, responses((status = 201, body = QuoteResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/deals/{id}/quotes")]
pub async fn create_quote(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<DealId>,
    body: Json<CreateQuoteRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let q = ctx
        .db
        .run(move |c| service::create(c, &actor, id, body.0))
        .await?;
    Ok(created_versioned(
        &q,
        q.version,
        format!("/api/v1/crm/quotes/{}", q.id),
    ))
}

/// Quotes of a deal or customer (of the caller's customers; everyone's with `crm.all`).
#[utoipa::path(tag = "crm", params(PageParams, QuoteQuery), responses((status = 200, body = QuoteList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/quotes")]
pub async fn list_quotes(
    ctx: web::Data<Ctx>,
    actor: Actor,
    page: Query<PageParams>,
    q: Query<QuoteQuery>,
) -> Result<HttpResponse, AppError> {
    let list = ctx
        .db
        .run(move |c| service::list(c, &actor, q.0, page.0))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// A quote as a PDF document
///
/// The company's letterhead, the customer's billing address, every line with the item's SKU,
/// name and unit, the validity and the total, each figure exactly as the quote's JSON gives it.
#[utoipa::path(tag = "crm", params(("id" = QuoteId, Path)), responses((status = 200, description = "The quote as a PDF document", content_type = "application/pdf", body = erp_core::http::FileBytes), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/quotes/{id}/pdf")]
pub async fn quote_pdf(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<QuoteId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    erp_core::pdf::printed(&ctx.db, move |c| service::printable(c, &actor, id)).await
}

/// A quote with its lines
#[utoipa::path(tag = "crm", params(("id" = QuoteId, Path)), responses((status = 200, body = QuoteResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/quotes/{id}")]
pub async fn get_quote(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<QuoteId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let q = ctx.db.run(move |c| service::get(c, &actor, id)).await?;
    Ok(ok_versioned(&q, q.version))
}

async fn transition(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: QuoteId,
    to: QuoteStatus,
) -> Result<HttpResponse, AppError> {
    let q = ctx
        .db
        .run(move |c| service::transition(c, &actor, id, to))
        .await?;
    Ok(ok_versioned(&q, q.version))
}

/// Marks a draft quote as sent to the customer.
#[utoipa::path(tag = "crm", params(("id" = QuoteId, Path)), responses((status = 200, body = QuoteResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/quotes/{id}/send")]
pub async fn send_quote(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<QuoteId>,
) -> Result<HttpResponse, AppError> {
    transition(ctx, actor, id.into_inner(), QuoteStatus::Sent).await
}

/// The customer accepted the quote (409 `quote_expired` past its valid-until date).
#[utoipa::path(tag = "crm", params(("id" = QuoteId, Path)), responses((status = 200, body = QuoteResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/quotes/{id}/accept")]
pub async fn accept_quote(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<QuoteId>,
) -> Result<HttpResponse, AppError> {
    transition(ctx, actor, id.into_inner(), QuoteStatus::Accepted).await
}

/// The customer turned the quote down.
#[utoipa::path(tag = "crm", params(("id" = QuoteId, Path)), responses((status = 200, body = QuoteResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/quotes/{id}/reject")]
pub async fn reject_quote(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<QuoteId>,
) -> Result<HttpResponse, AppError> {
    transition(ctx, actor, id.into_inner(), QuoteStatus::Rejected).await
}

/// A draft sales order with the quote's lines and prices; the quote becomes `ordered`.
#[utoipa::path(tag = "crm", params(("id" = QuoteId, Path)), request_body = QuoteToOrderRequest, responses((status = 201, body = OrderResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/quotes/{id}/order")]
pub async fn order_quote(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<QuoteId>,
    body: Json<QuoteToOrderRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let o = ctx
        .db
        .run(move |c| service::to_order(c, &actor, id, body.0))
        .await?;
    Ok(created_versioned(
        &o,
        o.version,
        format!("/api/v1/crm/sales-orders/{}", o.id),
    ))
}

/// Items often bought together with the quote's, to offer with it.
#[utoipa::path(tag = "crm", params(("id" = QuoteId, Path)), responses((status = 200, body = SuggestionList), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/quotes/{id}/suggestions")]
pub async fn quote_suggestions(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<QuoteId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::suggestions(c, &actor, id))
            .await?,
    ))
}
