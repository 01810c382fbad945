use actix_web::{get, web, HttpResponse};
use erp_core::error::AppError;
use erp_core::http::Query;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(trial_balance);
}

/// The trial balance over whole periods: each account's opening balance, debits, credits and
/// closing balance, read from the balance caches.
#[utoipa::path(tag = "finance", params(TrialBalanceQuery), responses((status = 200, body = TrialBalanceResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/trial-balance")]
pub async fn trial_balance(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<TrialBalanceQuery>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::trial_balance(c, &actor, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
