use actix_web::{post, web, HttpResponse};
use erp_core::error::AppError;
use erp_core::http::Json;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(setup_finance);
}

/// Sets the company up for bookkeeping: the default chart of accounts (if it has none), the
/// standard journals (GJ, SJ, PJ, BJ, CJ, IJ, PR) and a fiscal year. Safe to call again.
#[utoipa::path(tag = "finance", request_body = SetupRequest, responses((status = 200, body = SetupResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/setup")]
pub async fn setup_finance(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<SetupRequest>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::setup(c, &actor, body.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
