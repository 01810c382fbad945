use actix_web::{get, post, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::PeriodId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(open_fiscal_year)
        .service(list_periods)
        .service(close_period)
        .service(reopen_period);
}

/// Opens a fiscal year of twelve monthly periods.
#[utoipa::path(tag = "finance", request_body = OpenFiscalYearRequest, responses((status = 201, body = Vec<PeriodResponse>), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/fiscal-years")]
pub async fn open_fiscal_year(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<OpenFiscalYearRequest>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::open_fiscal_year(c, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Fiscal periods.
#[utoipa::path(tag = "finance", params(ListParams, PeriodListQuery), responses((status = 200, body = PeriodPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/periods")]
pub async fn list_periods(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<PeriodListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_periods(c, &actor, &params.0, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Closes a period: nothing may be posted dated into it any more (409 `period_closed`).
#[utoipa::path(tag = "finance", params(("id" = PeriodId, Path)), responses((status = 200, body = PeriodResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/periods/{id}/close")]
pub async fn close_period(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PeriodId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let p = ctx
        .db
        .run(move |c| service::set_period_status(c, &actor, id, true))
        .await?;
    Ok(ok_versioned(&p, p.version))
}

/// Reopens a closed period (a right of its own, audited).
#[utoipa::path(tag = "finance", params(("id" = PeriodId, Path)), responses((status = 200, body = PeriodResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/periods/{id}/reopen")]
pub async fn reopen_period(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PeriodId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let p = ctx
        .db
        .run(move |c| service::set_period_status(c, &actor, id, false))
        .await?;
    Ok(ok_versioned(&p, p.version))
}
