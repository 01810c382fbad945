use actix_web::{get, web, HttpRequest, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{accepts, Query};
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::{csv, service};
use crate::ids::AccountId;

/// The statement as JSON, or as CSV when asked for.
fn respond<T: serde::Serialize>(
    req: &HttpRequest,
    out: &T,
    to_csv: fn(&T) -> Result<String, AppError>,
) -> Result<HttpResponse, AppError> {
    if accepts(req, "text/csv") {
        Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .body(to_csv(out)?))
    } else {
        Ok(HttpResponse::Ok().json(out))
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(trial_balance)
        .service(income_statement)
        .service(balance_sheet)
        .service(cash_flow)
        .service(export_journal)
        .service(account_ledger);
}

/// The trial balance over whole periods: each account's opening balance, debits, credits and
/// closing balance, read from the balance caches.
#[utoipa::path(tag = "finance", params(TrialBalanceQuery), responses((status = 200, description = "The statement; CSV with `Accept: text/csv`", content((TrialBalanceResponse = "application/json"), (String = "text/csv")))), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/trial-balance")]
pub async fn trial_balance(
    req: HttpRequest,
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<TrialBalanceQuery>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::trial_balance(c, &actor, q.0))
        .await?;
    respond(&req, &out, csv::trial_balance)
}

/// Revenue, expenses and net income over whole periods, with an optional comparison range.
#[utoipa::path(tag = "finance", params(StatementQuery), responses((status = 200, description = "The statement; CSV with `Accept: text/csv`", content((IncomeStatement = "application/json"), (String = "text/csv")))), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/income-statement")]
pub async fn income_statement(
    req: HttpRequest,
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<StatementQuery>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::income_statement(c, &actor, q.0))
        .await?;
    respond(&req, &out, csv::income_statement)
}

/// Assets, liabilities and equity at the end of a period.
#[utoipa::path(tag = "finance", params(BalanceSheetQuery), responses((status = 200, description = "The statement; CSV with `Accept: text/csv`", content((BalanceSheet = "application/json"), (String = "text/csv")))), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/balance-sheet")]
pub async fn balance_sheet(
    req: HttpRequest,
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<BalanceSheetQuery>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::balance_sheet(c, &actor, q.0))
        .await?;
    respond(&req, &out, csv::balance_sheet)
}

/// The posted entries between two dates as a plain-text journal for hledger or ledger
/// (`hledger -f journal.txt balance` prints the trial balance this server does).
#[utoipa::path(tag = "finance", params(LedgerExportQuery), responses((status = 200, description = "An hledger journal", body = String, content_type = "text/plain")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/export/journal")]
pub async fn export_journal(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<LedgerExportQuery>,
) -> Result<HttpResponse, AppError> {
    let text = ctx
        .db
        .run(move |c| service::export_journal(c, &actor, q.0))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(text))
}

/// The cash flow of whole periods by the indirect method: net income, then the changes of the
/// balance-sheet accounts that are not cash as operating, investing and financing (classified
/// by account codes, with defaults for the default chart); they add up to the change of cash.
#[utoipa::path(tag = "finance", params(CashFlowQuery), responses((status = 200, body = CashFlowStatement), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/cash-flow")]
pub async fn cash_flow(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<CashFlowQuery>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::cash_flow(c, &actor, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The account's general ledger: its posted lines between two dates with a running balance.
#[utoipa::path(tag = "finance", params(("id" = AccountId, Path), LedgerQuery), responses((status = 200, body = LedgerResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/accounts/{id}/ledger")]
pub async fn account_ledger(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<AccountId>,
    q: Query<LedgerQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let out = ctx
        .db
        .run(move |c| service::ledger(c, &actor, id, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
