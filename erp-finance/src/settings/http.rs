use actix_web::{get, put, web, HttpResponse};
use erp_core::error::AppError;
use erp_core::http::{ok_versioned, Json};
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_finance_settings)
        .service(update_finance_settings);
}

/// The company's finance settings: tax rounding and the write-off tolerance of payments.
#[utoipa::path(tag = "finance", responses((status = 200, body = FinanceSettingsResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/settings")]
pub async fn get_finance_settings(
    ctx: web::Data<Ctx>,
    actor: Actor,
) -> Result<HttpResponse, AppError> {
    let s = ctx
        .db
        .run(move |c| service::get_settings(c, &actor))
        .await?;
    Ok(ok_versioned(&s, s.version))
}

/// Changes the finance settings (fields left out keep their value).
#[utoipa::path(tag = "finance", request_body = UpdateFinanceSettingsRequest, responses((status = 200, body = FinanceSettingsResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[put("/finance/settings")]
pub async fn update_finance_settings(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<UpdateFinanceSettingsRequest>,
) -> Result<HttpResponse, AppError> {
    let s = ctx
        .db
        .run(move |c| service::update_settings(c, &actor, body.0))
        .await?;
    Ok(ok_versioned(&s, s.version))
}
