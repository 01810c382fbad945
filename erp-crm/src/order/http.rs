use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::Ctx;

use super::dto::*;
use super::{invoicing, service};
use crate::ids::SalesOrderId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_orders)
        .service(create_order)
        .service(get_order)
        .service(order_pdf)
        .service(confirm_order)
        .service(deliver_order)
        .service(cancel_order)
        .service(invoice_order);
}

/// List sales orders
#[utoipa::path(tag = "crm", params(ListParams, OrderListQuery), responses((status = 200, body = OrderPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/sales-orders")]
pub async fn list_orders(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<OrderListQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_orders(c, &actor, &params.0, q.0))
            .await?,
    ))
}

/// A draft sales order for a customer (from a deal, or directly).
#[utoipa::path(tag = "crm", request_body = CreateOrderRequest, responses((status = 201, body = OrderResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/sales-orders")]
pub async fn create_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateOrderRequest>,
) -> Result<HttpResponse, AppError> {
    let o = ctx
        .db
        .run(move |c| service::create_order(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &o,
        o.version,
        format!("/api/v1/crm/sales-orders/{}", o.id),
    ))
}

/// A sales order as a PDF document
///
/// The company's letterhead, the customer's billing address, every line with the item's SKU,
/// name and unit, and the total, each figure exactly as the order's JSON gives it.
#[utoipa::path(tag = "crm", params(("id" = SalesOrderId, Path)), responses((status = 200, description = "The order as a PDF document", content_type = "application/pdf", body = erp_core::http::FileBytes), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/sales-orders/{id}/pdf")]
pub async fn order_pdf(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<SalesOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    erp_core::pdf::printed(&ctx.db, move |c| service::printable(c, &actor, id)).await
}

/// A sales order with its lines and invoices
#[utoipa::path(tag = "crm", params(("id" = SalesOrderId, Path)), responses((status = 200, body = OrderResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/sales-orders/{id}")]
pub async fn get_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<SalesOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let o = ctx
        .db
        .run(move |c| service::get_order(c, &actor, id))
        .await?;
    Ok(ok_versioned(&o, o.version))
}

/// Confirms the order: all its lines are reserved in stock, or none (409 `insufficient_stock`).
#[utoipa::path(tag = "crm", params(("id" = SalesOrderId, Path)), responses((status = 200, body = OrderResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/sales-orders/{id}/confirm")]
pub async fn confirm_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<SalesOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let o = ctx.db.run(move |c| service::confirm(c, &actor, id)).await?;
    Ok(ok_versioned(&o, o.version))
}

/// Delivers the order in part or whole: stock is issued from the reservations.
#[utoipa::path(tag = "crm", params(("id" = SalesOrderId, Path)), request_body = DeliverRequest, responses((status = 200, body = OrderResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/sales-orders/{id}/deliver")]
pub async fn deliver_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<SalesOrderId>,
    body: Json<DeliverRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let o = ctx
        .db
        .run(move |c| service::deliver(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&o, o.version))
}

/// Cancels the order; its reservations are released.
#[utoipa::path(tag = "crm", params(("id" = SalesOrderId, Path)), responses((status = 200, body = OrderResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/sales-orders/{id}/cancel")]
pub async fn cancel_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<SalesOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let o = ctx.db.run(move |c| service::cancel(c, &actor, id)).await?;
    Ok(ok_versioned(&o, o.version))
}

/// Invoices the order: a customer invoice (draft, or posted with `post`) for what the order's
/// policy allows (delivered, or ordered) and no standing invoice bills yet; the order's lines
/// show the invoiced quantities. 409 `nothing_to_invoice` when nothing is left to bill.
#[utoipa::path(tag = "crm", params(("id" = SalesOrderId, Path)), request_body = InvoiceOrderRequest, responses((status = 201, body = erp_finance::invoice::dto::InvoiceResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/sales-orders/{id}/invoice")]
pub async fn invoice_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<SalesOrderId>,
    body: Json<InvoiceOrderRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let inv = ctx
        .db
        .run(move |c| invoicing::invoice_order(c, &actor, id, body.0))
        .await?;
    Ok(created_versioned(
        &inv,
        inv.version,
        format!("/api/v1/finance/invoices/{}", inv.id),
    ))
}
