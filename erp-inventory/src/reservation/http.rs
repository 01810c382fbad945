use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::ReservationId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_reservations)
        .service(create_reservation)
        .service(get_reservation)
        .service(release_reservation);
}

/// List stock reservations
#[utoipa::path(tag = "inventory", params(ListParams, ReservationListQuery), responses((status = 200, body = ReservationPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/reservations")]
pub async fn list_reservations(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<ReservationListQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_reservations(c, &actor, &params.0, q.0))
            .await?,
    ))
}

/// Reserves available stock for a document; 409 `insufficient_stock` with requested and available.
#[utoipa::path(
    tag = "inventory",
    request_body = CreateReservationRequest,
    responses((status = 201, body = ReservationResponse), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/inventory/reservations")]
pub async fn create_reservation(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateReservationRequest>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::create_reservation(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &r,
        r.version,
        format!("/api/v1/inventory/reservations/{}", r.id),
    ))
}

/// A stock reservation
#[utoipa::path(tag = "inventory", params(("id" = ReservationId, Path)), responses((status = 200, body = ReservationResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/reservations/{id}")]
pub async fn get_reservation(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ReservationId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| service::get_reservation(c, &actor, id))
        .await?;
    Ok(ok_versioned(&r, r.version))
}

/// Releases what is left of a reservation; 409 when it is no longer open.
#[utoipa::path(
    tag = "inventory",
    params(("id" = ReservationId, Path)),
    responses((status = 200, body = ReservationResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/inventory/reservations/{id}/release")]
pub async fn release_reservation(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ReservationId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| service::release_reservation(c, &actor, id))
        .await?;
    Ok(ok_versioned(&r, r.version))
}
