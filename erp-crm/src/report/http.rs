use actix_web::{get, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::AppError;
use erp_core::http::Query;
use erp_core::Ctx;

use super::dto::*;
use super::{chart, service};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(pipeline)
        .service(pipeline_svg)
        .service(managers)
        .service(revenue)
        .service(revenue_svg);
}

/// Deals and value by stage, weighted value, and the conversion from each stage onwards
/// (deals created in the period; the caller's own without `crm.all`).
#[utoipa::path(tag = "crm", params(ReportQuery), responses((status = 200, body = PipelineReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/reports/pipeline")]
pub async fn pipeline(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::pipeline(c, &actor, q.0))
            .await?,
    ))
}

/// Per manager: deals won and lost, win rate, revenue, cycle time, calls and meetings, and
/// the data-quality gaps of their cards (deals closed and interactions in the period).
#[utoipa::path(tag = "crm", params(ReportQuery), responses((status = 200, body = ManagerReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/reports/managers")]
pub async fn managers(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::managers(c, &actor, q.0))
            .await?,
    ))
}

/// Won deals and revenue per week, month or quarter.
#[utoipa::path(tag = "crm", params(RevenueQuery), responses((status = 200, body = RevenueReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/reports/revenue")]
pub async fn revenue(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<RevenueQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::revenue(c, &actor, q.0))
            .await?,
    ))
}

/// The pipeline as a chart
///
/// The pipeline report drawn as an SVG funnel (value and weighted value per stage, the
/// figures as text), with the same filters and rights.
#[utoipa::path(tag = "crm", params(ReportQuery), responses((status = 200, description = "An SVG image", content_type = "image/svg+xml", body = String)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/reports/pipeline.svg")]
pub async fn pipeline_svg(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::pipeline(c, &actor, q.0))
        .await?;
    Ok(erp_core::chart::svg_response(&chart::pipeline(&r)))
}

/// Revenue against target as a chart
///
/// The revenue report drawn as SVG bars per period with the period's revenue target marked,
/// with the same filters and rights.
#[utoipa::path(tag = "crm", params(RevenueQuery), responses((status = 200, description = "An SVG image", content_type = "image/svg+xml", body = String)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/reports/revenue.svg")]
pub async fn revenue_svg(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<RevenueQuery>,
) -> Result<HttpResponse, AppError> {
    let interval = q.0.interval.unwrap_or(Interval::Month);
    let r = ctx
        .db
        .run(move |c| service::revenue(c, &actor, q.0))
        .await?;
    Ok(erp_core::chart::svg_response(&chart::revenue(&r, interval)))
}
