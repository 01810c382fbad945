use actix_web::{get, web, HttpResponse};
use erp_core::{AppError, Ctx};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct HealthResponse {
    /// `ok`
    pub status: String,
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(live)
        .service(ready)
        .service(crate::metrics::get_metrics);
}

/// The process is up.
#[utoipa::path(tag = "health", responses((status = 200, body = HealthResponse)), security(()))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(HealthResponse {
        status: "ok".into(),
    })
}

/// The process can serve requests: the database answers.
#[utoipa::path(tag = "health", responses((status = 200, body = HealthResponse)), security(()))]
#[get("/health/ready")]
pub async fn ready(ctx: web::Data<Ctx>) -> Result<HttpResponse, AppError> {
    ctx.db.run(erp_core::db::ping).await?;
    Ok(HttpResponse::Ok().json(HealthResponse {
        status: "ok".into(),
    }))
}
