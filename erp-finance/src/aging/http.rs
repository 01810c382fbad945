use actix_web::{get, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::Query;
use erp_core::ids::PartnerId;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(aging_report)
        .service(aging_svg)
        .service(partner_statement)
        .service(dunning_list);
}

/// The aging of receivables or payables at a date: open invoices (bills) by days past due
/// (not due, 1-30, 31-60, 61-90, over 90) per partner, unapplied payments and notes, and
/// each partner's balance.
#[utoipa::path(tag = "finance", params(AgingQuery), responses((status = 200, body = AgingReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/aging")]
pub async fn aging_report(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<AgingQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx.db.run(move |c| service::aging(c, &actor, q.0)).await?;
    Ok(HttpResponse::Ok().json(r))
}

/// A partner's statement: opening balance, invoices, notes, payments, discounts and
/// write-offs of the range with the running balance, and the closing balance.
#[utoipa::path(tag = "finance", params(("id" = PartnerId, Path), PartnerStatementQuery), responses((status = 200, body = PartnerStatement), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/partners/{id}/statement")]
pub async fn partner_statement(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PartnerId>,
    q: Query<PartnerStatementQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| service::statement(c, &actor, id, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// The dunning list at a date: customers with overdue invoices, each invoice at the level its
/// days overdue reach, less the credit the customer has with us (those it covers are left out).
#[utoipa::path(tag = "finance", params(DunningQuery), responses((status = 200, body = DunningReport), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/dunning")]
pub async fn dunning_list(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<DunningQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::dunning(c, &actor, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// Aging as a chart
///
/// The aging report's totals drawn as SVG bars (not yet due, then by days past due, the
/// amounts as text), with the same filters and rights.
#[utoipa::path(tag = "finance", params(AgingQuery), responses((status = 200, description = "An SVG image", content_type = "image/svg+xml", body = String)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/aging.svg")]
pub async fn aging_svg(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<AgingQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx.db.run(move |c| service::aging(c, &actor, q.0)).await?;
    Ok(erp_core::chart::svg_response(&super::chart::draw(&r)))
}
