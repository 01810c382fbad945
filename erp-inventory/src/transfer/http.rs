use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::TransferId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_transfers)
        .service(create_transfer)
        .service(get_transfer)
        .service(ship_transfer)
        .service(receive_transfer)
        .service(close_transfer)
        .service(cancel_transfer);
}

/// List transfers between warehouses
#[utoipa::path(tag = "inventory", params(ListParams, TransferListQuery), responses((status = 200, body = TransferPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/transfers")]
pub async fn list_transfers(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<TransferListQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_transfers(c, &actor, &params.0, q.0))
            .await?,
    ))
}

/// Creates a draft transfer from one warehouse to another (also of another branch).
#[utoipa::path(tag = "inventory", request_body = CreateTransferRequest, responses((status = 201, body = TransferResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/transfers")]
pub async fn create_transfer(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateTransferRequest>,
) -> Result<HttpResponse, AppError> {
    let t = ctx
        .db
        .run(move |c| service::create_transfer(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &t,
        t.version,
        format!("/api/v1/inventory/transfers/{}", t.id),
    ))
}

/// A transfer with its lines
#[utoipa::path(tag = "inventory", params(("id" = TransferId, Path)), responses((status = 200, body = TransferResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/transfers/{id}")]
pub async fn get_transfer(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<TransferId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let t = ctx
        .db
        .run(move |c| service::get_transfer(c, &actor, id))
        .await?;
    Ok(ok_versioned(&t, t.version))
}

/// Ships a draft transfer: every line moves into the sender's transit location.
#[utoipa::path(tag = "inventory", params(("id" = TransferId, Path)), responses((status = 200, body = TransferActionResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/transfers/{id}/ship")]
pub async fn ship_transfer(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<TransferId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::ship_transfer(c, &actor, id))
            .await?,
    ))
}

/// Receives shipped goods at the destination, in part or whole.
#[utoipa::path(tag = "inventory", params(("id" = TransferId, Path)), request_body = ReceiveTransferRequest, responses((status = 200, body = TransferActionResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/transfers/{id}/receive")]
pub async fn receive_transfer(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<TransferId>,
    body: Json<ReceiveTransferRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::receive_transfer(c, &actor, id, body.0))
            .await?,
    ))
}

/// Closes a transfer; the difference is reported and, if asked, scrapped from transit.
#[utoipa::path(tag = "inventory", params(("id" = TransferId, Path)), request_body = CloseTransferRequest, responses((status = 200, body = TransferActionResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/transfers/{id}/close")]
pub async fn close_transfer(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<TransferId>,
    body: Json<CloseTransferRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::close_transfer(c, &actor, id, body.0))
            .await?,
    ))
}

/// Cancels a draft transfer.
#[utoipa::path(tag = "inventory", params(("id" = TransferId, Path)), responses((status = 200, body = TransferActionResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/transfers/{id}/cancel")]
pub async fn cancel_transfer(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<TransferId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::cancel_transfer(c, &actor, id))
            .await?,
    ))
}
