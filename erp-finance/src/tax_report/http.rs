use actix_web::{get, web, HttpResponse};
use erp_core::error::AppError;
use erp_core::http::Query;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(tax_report);
}

/// The tax report of a range: base and tax by rate, sales and purchases, notes and
/// cancellations subtracted; it equals the tax accounts' movement in the ledger.
#[utoipa::path(tag = "finance", params(TaxReportQuery), responses((status = 200, body = TaxReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/tax")]
pub async fn tax_report(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<TaxReportQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::tax_report(c, &actor, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}
