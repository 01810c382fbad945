use actix_web::{get, post, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_journals).service(create_journal);
}

/// Journals.
#[utoipa::path(tag = "finance", params(ListParams), responses((status = 200, body = JournalPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/journals")]
pub async fn list_journals(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_journals(c, &actor, &params.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Adds a journal; its code prefixes the numbers of its entries.
#[utoipa::path(tag = "finance", request_body = CreateJournalRequest, responses((status = 201, body = JournalResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/journals")]
pub async fn create_journal(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateJournalRequest>,
) -> Result<HttpResponse, AppError> {
    let j = ctx
        .db
        .run(move |c| service::create_journal(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/finance/journals/{}", j.id);
    Ok(created_versioned(&j, j.version, location))
}
