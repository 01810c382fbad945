use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::csv_import::ImportReport;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::AccountId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_accounts)
        .service(create_accounts)
        .service(create_account)
        .service(get_account)
        .service(update_account)
        .service(import_accounts)
        .service(export_accounts);
}

/// The chart of accounts.
#[utoipa::path(tag = "finance", params(ListParams, AccountListQuery), responses((status = 200, body = AccountPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/accounts")]
pub async fn list_accounts(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<AccountListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_accounts(c, &actor, &params.0, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Create up to 1,000 accounts at once
///
/// All or nothing: each account is checked as a single create would check it; when any is
/// refused, none is created and the 422 names every refused account by its index, e.g.
/// `accounts[3].name`.
#[utoipa::path(tag = "finance", params(erp_core::batch::DryRun), request_body = CreateAccountsRequest, responses((status = 201, body = AccountBatch), (status = 200, body = AccountBatch, description = "A dry run: what the request would do; nothing is kept")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/accounts/batch")]
pub async fn create_accounts(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateAccountsRequest>,
    dry: Query<erp_core::batch::DryRun>,
) -> Result<HttpResponse, AppError> {
    erp_core::http::bulk(&ctx, dry.0, StatusCode::CREATED, move |c| {
        service::create_accounts(c, &actor, body.0)
    })
    .await
}

/// Adds an account to the chart.
#[utoipa::path(tag = "finance", request_body = CreateAccountRequest, responses((status = 201, body = AccountResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/accounts")]
pub async fn create_account(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateAccountRequest>,
) -> Result<HttpResponse, AppError> {
    let a = ctx
        .db
        .run(move |c| service::create_account(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/finance/accounts/{}", a.id);
    Ok(created_versioned(&a, a.version, location))
}

/// One account.
#[utoipa::path(tag = "finance", params(("id" = AccountId, Path)), responses((status = 200, body = AccountResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/accounts/{id}")]
pub async fn get_account(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<AccountId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let a = ctx
        .db
        .run(move |c| service::get_account(c, &actor, id))
        .await?;
    Ok(ok_versioned(&a, a.version))
}

/// Changes an account's name, parent, reconcilable flag or activity.
#[utoipa::path(tag = "finance", params(("id" = AccountId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")), request_body = UpdateAccountRequest, responses((status = 200, body = AccountResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[patch("/finance/accounts/{id}")]
pub async fn update_account(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<AccountId>,
    body: Json<UpdateAccountRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let a = ctx
        .db
        .run(move |c| service::update_account(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&a, a.version))
}

erp_core::csv_import_route!(
    /// Imports a chart of accounts from CSV (columns: code, name, account_type, parent,
    /// reconcilable, currency, active; a parent is an existing account's code or one earlier in
    /// the file; `GET /finance/export/accounts` writes them).
    /// All or nothing: any rejected row gets 422 naming every rejected row and why; an unknown
    /// column is refused.
    import_accounts,
    "/finance/import/accounts",
    tag = "finance",
    report = ImportReport,
    import = super::import::import_accounts,
    limit = 4 * 1024 * 1024
);

/// Export the chart of accounts as CSV
///
/// Every account, active or not, in the columns `POST /finance/import/accounts` reads: each
/// parent before its children, siblings by code, so the file imports into another company as
/// it is.
#[utoipa::path(
    tag = "finance",
    responses((status = 200, description = "CSV: code, name, account_type, parent, reconcilable, currency, active", content_type = "text/csv", body = String)),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/finance/export/accounts")]
pub async fn export_accounts(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    let csv = ctx
        .db
        .run(move |c| super::import::export_accounts(c, &actor))
        .await?;
    Ok(erp_core::http::csv_file("accounts.csv", csv))
}
