use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::Ctx;

use super::dto::*;
use super::{bill, price, receive, service};
use crate::ids::PurchaseOrderId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_purchase_orders)
        .service(create_purchase_order)
        .service(get_purchase_order)
        .service(purchase_order_pdf)
        .service(update_purchase_order)
        .service(confirm_purchase_order)
        .service(cancel_purchase_order)
        .service(close_purchase_order)
        .service(receive_purchase_order)
        .service(bill_purchase_order)
        .service(list_supplier_prices)
        .service(create_supplier_price);
}

/// List purchase orders
#[utoipa::path(tag = "inventory", params(ListParams, PurchaseOrderListQuery), responses((status = 200, body = PurchaseOrderPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/purchase-orders")]
pub async fn list_purchase_orders(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<PurchaseOrderListQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_purchase_orders(c, &actor, &params.0, q.0))
            .await?,
    ))
}

/// Creates a draft purchase order; lines without a price take the supplier's.
#[utoipa::path(tag = "inventory", request_body = CreatePurchaseOrderRequest, responses((status = 201, body = PurchaseOrderResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/purchase-orders")]
pub async fn create_purchase_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreatePurchaseOrderRequest>,
) -> Result<HttpResponse, AppError> {
    let o = ctx
        .db
        .run(move |c| service::create_purchase_order(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &o,
        o.version,
        format!("/api/v1/inventory/purchase-orders/{}", o.id),
    ))
}

/// A purchase order as a PDF document
///
/// For the supplier: the company's letterhead, the supplier's billing address, where to
/// deliver, every line with the item's SKU, name, unit and expected date, and the total, each
/// figure exactly as the order's JSON gives it.
#[utoipa::path(tag = "inventory", params(("id" = PurchaseOrderId, Path)), responses((status = 200, description = "The order as a PDF document", content_type = "application/pdf", body = erp_core::http::FileBytes), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/purchase-orders/{id}/pdf")]
pub async fn purchase_order_pdf(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PurchaseOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    erp_core::pdf::printed(&ctx.db, move |c| super::print::printable(c, &actor, id)).await
}

/// A purchase order with its lines
#[utoipa::path(tag = "inventory", params(("id" = PurchaseOrderId, Path)), responses((status = 200, body = PurchaseOrderResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/purchase-orders/{id}")]
pub async fn get_purchase_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PurchaseOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let o = ctx
        .db
        .run(move |c| service::get_purchase_order(c, &actor, id))
        .await?;
    Ok(ok_versioned(&o, o.version))
}

/// Changes a draft order.
#[utoipa::path(
    tag = "inventory",
    params(("id" = PurchaseOrderId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = UpdatePurchaseOrderRequest,
    responses(
        (status = 200, body = PurchaseOrderResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/inventory/purchase-orders/{id}")]
pub async fn update_purchase_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<PurchaseOrderId>,
    body: Json<UpdatePurchaseOrderRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let o = ctx
        .db
        .run(move |c| service::update_purchase_order(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&o, o.version))
}

async fn transition(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: PurchaseOrderId,
    action: &'static str,
    from: &'static [&'static str],
    to: PurchaseOrderStatus,
) -> Result<HttpResponse, AppError> {
    let o = ctx
        .db
        .run(move |c| service::transition(c, &actor, id, action, from, to))
        .await?;
    Ok(ok_versioned(&o, o.version))
}

/// Confirms a draft order: it is sent to the supplier and its quantities count as incoming.
#[utoipa::path(tag = "inventory", params(("id" = PurchaseOrderId, Path)), responses((status = 200, body = PurchaseOrderResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/purchase-orders/{id}/confirm")]
pub async fn confirm_purchase_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PurchaseOrderId>,
) -> Result<HttpResponse, AppError> {
    transition(
        ctx,
        actor,
        id.into_inner(),
        "confirm",
        &["draft"],
        PurchaseOrderStatus::Confirmed,
    )
    .await
}

/// Cancels an order nothing was received on.
#[utoipa::path(tag = "inventory", params(("id" = PurchaseOrderId, Path)), responses((status = 200, body = PurchaseOrderResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/purchase-orders/{id}/cancel")]
pub async fn cancel_purchase_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PurchaseOrderId>,
) -> Result<HttpResponse, AppError> {
    transition(
        ctx,
        actor,
        id.into_inner(),
        "cancel",
        &["draft", "confirmed"],
        PurchaseOrderStatus::Cancelled,
    )
    .await
}

/// Closes an order: nothing more is expected on it.
#[utoipa::path(tag = "inventory", params(("id" = PurchaseOrderId, Path)), responses((status = 200, body = PurchaseOrderResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/purchase-orders/{id}/close")]
pub async fn close_purchase_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PurchaseOrderId>,
) -> Result<HttpResponse, AppError> {
    transition(
        ctx,
        actor,
        id.into_inner(),
        "close",
        &["confirmed", "partially_received", "received"],
        PurchaseOrderStatus::Closed,
    )
    .await
}

/// Receives goods against the order (in part or whole): posts receipt moves at the order price.
#[utoipa::path(
    tag = "inventory",
    params(("id" = PurchaseOrderId, Path)),
    request_body = ReceivePurchaseOrderRequest,
    responses((status = 200, body = PurchaseReceiptResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/inventory/purchase-orders/{id}/receive")]
pub async fn receive_purchase_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PurchaseOrderId>,
    body: Json<ReceivePurchaseOrderRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| receive::receive_purchase_order(c, &actor, id, body.0))
            .await?,
    ))
}

/// List supplier prices
#[utoipa::path(tag = "inventory", params(SupplierPriceQuery), responses((status = 200, body = SupplierPriceList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/supplier-prices")]
pub async fn list_supplier_prices(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<SupplierPriceQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| price::list_supplier_prices(c, &actor, q.0))
            .await?,
    ))
}

/// Adds a supplier's price for an item from a minimum quantity on.
#[utoipa::path(tag = "inventory", request_body = CreateSupplierPriceRequest, responses((status = 201, body = SupplierPriceResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/supplier-prices")]
pub async fn create_supplier_price(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateSupplierPriceRequest>,
) -> Result<HttpResponse, AppError> {
    let p = ctx
        .db
        .run(move |c| price::create_supplier_price(c, &actor, body.0))
        .await?;
    Ok(created(
        &p,
        format!("/api/v1/inventory/supplier-prices?item_id={}", p.item_id),
    ))
}

/// Bills the order: a supplier bill for what was received and not yet billed (or the lines
/// and prices the supplier's invoice names), matched against what was ordered and received.
/// Outside the company's tolerances (`/finance/settings`) the bill is held with the reasons
/// (`hold_reason`) until released; the order's lines show the billed quantities.
#[utoipa::path(tag = "inventory", params(("id" = PurchaseOrderId, Path)), request_body = BillPurchaseOrderRequest, responses((status = 201, body = erp_finance::invoice::dto::InvoiceResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/purchase-orders/{id}/bill")]
pub async fn bill_purchase_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PurchaseOrderId>,
    body: Json<BillPurchaseOrderRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let b = ctx
        .db
        .run(move |c| bill::bill_purchase_order(c, &actor, id, body.0))
        .await?;
    Ok(created_versioned(
        &b,
        b.version,
        format!("/api/v1/finance/invoices/{}", b.id),
    ))
}
