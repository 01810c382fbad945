use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::csv_import::ImportReport;
use erp_core::error::{AppError, Problem};
use erp_core::http::{Json, Query};
use erp_core::Ctx;

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_rates)
        .service(set_rate)
        .service(import_rates)
        .service(convert);
}

/// List exchange rates
#[utoipa::path(tag = "finance", params(RateListQuery), responses((status = 200, body = RateList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/exchange-rates")]
pub async fn list_rates(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<RateListQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx.db.run(move |c| service::list(c, &actor, q.0)).await?;
    Ok(HttpResponse::Ok().json(r))
}

/// Sets the rate of a currency from a date on: 201 when new, 200 when it replaces that day's.
#[utoipa::path(tag = "finance", request_body = SetRateRequest, responses((status = 201, body = RateResponse), (status = 200, body = RateResponse), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/exchange-rates")]
pub async fn set_rate(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<SetRateRequest>,
) -> Result<HttpResponse, AppError> {
    let (r, new) = ctx.db.run(move |c| service::set(c, &actor, body.0)).await?;
    Ok(if new {
        HttpResponse::Created().json(r)
    } else {
        HttpResponse::Ok().json(r)
    })
}

erp_core::csv_import_route!(
    /// Imports rates from CSV (columns: currency, date, rate), all or nothing; a rejected row is
    /// named with its reason.
    import_rates,
    "/finance/import/exchange-rates",
    tag = "finance",
    report = ImportReport,
    import = service::import,
    limit = 4 * 1024 * 1024,
    answers_422
);

/// Converts an amount into the company's currency at the rate in force on a date (the latest
/// set on or before it); 422 on `currency` when there is none.
#[utoipa::path(tag = "finance", params(ConvertQuery), responses((status = 200, body = Conversion), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/exchange-rates/convert")]
pub async fn convert(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<ConvertQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::convert(c, &actor, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}
