use actix_web::{get, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::AppError;
use erp_core::http::Query;
use erp_core::Ctx;

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_availability).service(get_replenishment);
}

/// On hand, reserved, available and incoming per item and warehouse.
#[utoipa::path(tag = "inventory", params(AvailabilityQuery), responses((status = 200, body = AvailabilityReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/availability")]
pub async fn get_availability(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<AvailabilityQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::availability(c, &actor, q.0))
            .await?,
    ))
}

/// Replenishment suggestions from reorder points (min/max) for a warehouse.
#[utoipa::path(tag = "inventory", params(ReplenishmentQuery), responses((status = 200, body = ReplenishmentReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/replenishment")]
pub async fn get_replenishment(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<ReplenishmentQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::replenishment(c, &actor, q.0))
            .await?,
    ))
}
