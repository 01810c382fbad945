use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{Json, Query};
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::entry::dto::EntryResponse;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(load_opening_balances);
}

/// Opens the books with a trial balance from a former system: one posted entry of every
/// balance, accounts named by id or by code, the difference (if any) on the offset account
/// named. All or nothing: a 422 names every line it refuses (`lines[3].account_code`); a
/// difference without an offset account is refused with its amount.
#[utoipa::path(tag = "finance", params(erp_core::batch::DryRun), request_body = AccountOpeningRequest, responses((status = 201, body = EntryResponse), (status = 200, body = EntryResponse, description = "A dry run: the entry the request would post; nothing is kept"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/opening-balances")]
pub async fn load_opening_balances(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<AccountOpeningRequest>,
    dry: Query<erp_core::batch::DryRun>,
) -> Result<HttpResponse, AppError> {
    erp_core::http::bulk(&ctx, dry.0, StatusCode::CREATED, move |c| {
        service::load(c, &actor, body.0)
    })
    .await
}
