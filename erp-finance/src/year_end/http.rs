use actix_web::{post, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::Json;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(close_year);
}

/// Closes a fiscal year: revenue and expenses move to retained earnings by one generated
/// entry dated the year's last day (the income statement of the year still shows its result),
/// and all its periods close. Needs `finance.period.close` for every branch.
#[utoipa::path(tag = "finance", params(("year" = i32, Path)), request_body = CloseYearRequest, responses((status = 200, body = YearCloseResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/fiscal-years/{year}/close")]
pub async fn close_year(
    ctx: web::Data<Ctx>,
    actor: Actor,
    year: web::Path<i32>,
    body: Json<CloseYearRequest>,
) -> Result<HttpResponse, AppError> {
    let year = year.into_inner();
    let out = ctx
        .db
        .run(move |c| service::close_year(c, &actor, year, body.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
