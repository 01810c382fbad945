use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{Json, Query};
use erp_core::pagination::ListParams;
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::{BankLineId, BankStatementId};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_statements)
        .service(import_statement)
        .service(get_statement)
        .service(statement_proposals)
        .service(reconcile_line)
        .service(unreconciled);
}

/// List bank statements
#[utoipa::path(tag = "finance", params(ListParams, BankStatementListQuery), responses((status = 200, body = BankStatementPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/bank-statements")]
pub async fn list_statements(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<BankStatementListQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::list_statements(c, &actor, &params.0, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// Imports a bank statement: typed lines, a CSV export with its column mapping, or a camt.053
/// document. All of it or nothing; every fault is named (by CSV row, by camt.053 entry); the
/// same statement twice is 409 `duplicate_statement`.
#[utoipa::path(tag = "finance", request_body = ImportStatementRequest, responses((status = 201, body = BankStatementResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/bank-statements")]
pub async fn import_statement(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<ImportStatementRequest>,
) -> Result<HttpResponse, AppError> {
    let s = ctx
        .db
        .run(move |c| service::import_statement(c, &actor, body.0))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/finance/bank-statements/{}", s.id),
        ))
        .json(s))
}

/// A bank statement with its lines
#[utoipa::path(tag = "finance", params(("id" = BankStatementId, Path)), responses((status = 200, body = BankStatementResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/bank-statements/{id}")]
pub async fn get_statement(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<BankStatementId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let s = ctx
        .db
        .run(move |c| service::get_statement(c, &actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(s))
}

/// Match proposals for the statement's open lines: open invoices (bills) and recorded
/// payments, scored by reference in the remittance text, exact amount and partner name.
#[utoipa::path(tag = "finance", params(("id" = BankStatementId, Path)), responses((status = 200, body = StatementProposals), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/bank-statements/{id}/proposals")]
pub async fn statement_proposals(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<BankStatementId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| service::proposals(c, &actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// Reconciles a statement line with payments, invoices it pays (a payment is recorded and
/// allocated) or accounts it posts to directly (fees, interest): in part or whole, never
/// beyond the line (409 `over_allocation`) or a payment.
#[utoipa::path(tag = "finance", params(("id" = BankLineId, Path)), request_body = ReconcileRequest, responses((status = 200, body = ReconcileResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/bank-lines/{id}/reconcile")]
pub async fn reconcile_line(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<BankLineId>,
    body: Json<ReconcileRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| service::reconcile_line(c, &actor, id, body.0))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// The unreconciled items of a bank account: statement lines and payments, with the book
/// balance and the last statement's closing balance.
#[utoipa::path(tag = "finance", params(UnreconciledQuery), responses((status = 200, body = UnreconciledReport), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/unreconciled")]
pub async fn unreconciled(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<UnreconciledQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::unreconciled(c, &actor, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}
