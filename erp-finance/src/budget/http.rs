use actix_web::{get, post, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::BudgetId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_budgets)
        .service(create_budget)
        .service(get_budget)
        .service(approve_budget)
        .service(derive_budget)
        .service(budget_report)
        .service(budget_svg);
}

/// Budgets.
#[utoipa::path(tag = "finance", params(ListParams), responses((status = 200, body = BudgetPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/budgets")]
pub async fn list_budgets(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_budgets(c, &actor, &params.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Drafts a budget: planned amounts per account, period and branch of a fiscal year.
#[utoipa::path(tag = "finance", request_body = CreateBudgetRequest, responses((status = 201, body = BudgetResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/budgets")]
pub async fn create_budget(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateBudgetRequest>,
) -> Result<HttpResponse, AppError> {
    let b = ctx
        .db
        .run(move |c| service::create_budget(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/finance/budgets/{}", b.id);
    Ok(created_versioned(&b, b.version, location))
}

/// One budget with its lines.
#[utoipa::path(tag = "finance", params(("id" = BudgetId, Path)), responses((status = 200, body = BudgetResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/budgets/{id}")]
pub async fn get_budget(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<BudgetId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let b = ctx
        .db
        .run(move |c| service::get_budget(c, &actor, id))
        .await?;
    Ok(ok_versioned(&b, b.version))
}

/// Approves a draft budget; it no longer changes.
#[utoipa::path(tag = "finance", params(("id" = BudgetId, Path)), responses((status = 200, body = BudgetResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/budgets/{id}/approve")]
pub async fn approve_budget(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<BudgetId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let b = ctx
        .db
        .run(move |c| service::approve_budget(c, &actor, id))
        .await?;
    Ok(ok_versioned(&b, b.version))
}

/// Budget against actual over whole periods: planned, posted, variance and percentage per
/// account.
#[utoipa::path(tag = "finance", params(BudgetReportQuery), responses((status = 200, body = BudgetReport), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/budget-vs-actual")]
pub async fn budget_report(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<BudgetReportQuery>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::budget_report(c, &actor, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Derives a new draft version from a budget, each line changed by a percentage.
#[utoipa::path(tag = "finance", params(("id" = BudgetId, Path)), request_body = DeriveBudgetRequest, responses((status = 201, body = BudgetResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/budgets/{id}/versions")]
pub async fn derive_budget(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<BudgetId>,
    body: Json<DeriveBudgetRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let b = ctx
        .db
        .run(move |c| service::derive_budget(c, &actor, id, body.0))
        .await?;
    let location = format!("/api/v1/finance/budgets/{}", b.id);
    Ok(created_versioned(&b, b.version, location))
}

/// Budget against actual as a chart
///
/// The budget report drawn as SVG bars per account (posted, with the budget marked and the
/// figures as text), with the same filters and rights.
#[utoipa::path(tag = "finance", params(BudgetReportQuery), responses((status = 200, description = "An SVG image", content_type = "image/svg+xml", body = String), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/budget-vs-actual.svg")]
pub async fn budget_svg(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<BudgetReportQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::budget_report(c, &actor, q.0))
        .await?;
    Ok(erp_core::chart::svg_response(&super::chart::draw(&r)))
}
