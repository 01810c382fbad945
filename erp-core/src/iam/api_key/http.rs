use actix_web::{get, post, web, HttpResponse};

use super::dto::*;
use super::service;
use crate::auth::Actor;
use crate::context::Ctx;
use crate::error::{AppError, Problem};
use crate::http::{created, Json, Query};
use crate::ids::ApiKeyId;
use crate::pagination::ListParams;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_api_keys)
        .service(create_api_key)
        .service(revoke_api_key);
}

/// API keys: the caller's own, or the company's with `iam.api_key.read`.
#[utoipa::path(tag = "iam", params(ListParams), responses((status = 200, body = ApiKeyPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/iam/api-keys")]
pub async fn list_api_keys(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_api_keys(c, &actor, &params.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates an API key. The key text is in this response only.
#[utoipa::path(
    tag = "iam",
    request_body = CreateApiKeyRequest,
    responses((status = 201, body = CreatedApiKeyResponse)),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/iam/api-keys")]
pub async fn create_api_key(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateApiKeyRequest>,
) -> Result<HttpResponse, AppError> {
    let ctx2 = ctx.clone();
    let key = ctx
        .db
        .run(move |c| service::create_api_key(c, &actor, &ctx2.permissions, body.0))
        .await?;
    let location = format!("/api/v1/iam/api-keys/{}", key.api_key.id);
    Ok(created(&key, location))
}

/// Revokes an API key; it stops working at once.
#[utoipa::path(
    tag = "iam",
    params(("id" = ApiKeyId, Path)),
    responses((status = 200, body = ApiKeyResponse), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/iam/api-keys/{id}/revoke")]
pub async fn revoke_api_key(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ApiKeyId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let ctx2 = ctx.clone();
    let key = ctx
        .db
        .run(move |c| service::revoke_api_key(c, &actor, &ctx2.permissions, id))
        .await?;
    Ok(HttpResponse::Ok().json(key))
}
