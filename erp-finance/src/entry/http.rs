use actix_web::{delete, get, post, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::EntryId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_entries)
        .service(create_entry)
        .service(get_entry)
        .service(post_entry)
        .service(reverse_entry)
        .service(delete_entry);
}

/// Journal entries.
#[utoipa::path(tag = "finance", params(ListParams, EntryListQuery), responses((status = 200, body = EntryPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/entries")]
pub async fn list_entries(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<EntryListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_entries(c, &actor, &params.0, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Makes a journal entry, as a draft or posted at once (`post: true`). Debits must equal
/// credits exactly (422 `unbalanced_entry` says by how much); a closed period is a 409
/// `period_closed`.
#[utoipa::path(tag = "finance", request_body = CreateEntryRequest, responses((status = 201, body = EntryResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/entries")]
pub async fn create_entry(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateEntryRequest>,
) -> Result<HttpResponse, AppError> {
    let e = ctx
        .db
        .run(move |c| service::create_entry(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/finance/entries/{}", e.id);
    Ok(created_versioned(&e, e.version, location))
}

/// One journal entry with its lines.
#[utoipa::path(tag = "finance", params(("id" = EntryId, Path)), responses((status = 200, body = EntryResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/entries/{id}")]
pub async fn get_entry(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<EntryId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let e = ctx
        .db
        .run(move |c| service::get_entry(c, &actor, id))
        .await?;
    Ok(ok_versioned(&e, e.version))
}

/// Posts a draft: it gets the next gapless number of its journal and year and can no longer
/// change.
#[utoipa::path(tag = "finance", params(("id" = EntryId, Path)), responses((status = 200, body = EntryResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/entries/{id}/post")]
pub async fn post_entry(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<EntryId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let e = ctx
        .db
        .run(move |c| service::post_entry(c, &actor, id))
        .await?;
    Ok(ok_versioned(&e, e.version))
}

/// Reverses a posted entry with a new posted entry that swaps debits and credits.
#[utoipa::path(tag = "finance", params(("id" = EntryId, Path)), request_body = ReverseEntryRequest, responses((status = 201, body = EntryResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/finance/entries/{id}/reverse")]
pub async fn reverse_entry(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<EntryId>,
    body: Json<ReverseEntryRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let e = ctx
        .db
        .run(move |c| service::reverse_entry(c, &actor, id, body.0))
        .await?;
    let location = format!("/api/v1/finance/entries/{}", e.id);
    Ok(created_versioned(&e, e.version, location))
}

/// Deletes a draft; posted entries are never deleted (409 `entry_posted`).
#[utoipa::path(tag = "finance", params(("id" = EntryId, Path)), responses((status = 204, description = "deleted"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[delete("/finance/entries/{id}")]
pub async fn delete_entry(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<EntryId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    ctx.db
        .run(move |c| service::delete_entry(c, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
