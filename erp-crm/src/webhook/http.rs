use actix_web::{delete, get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, Json, Query};
use erp_core::pagination::PageParams;
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::WebhookId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_webhooks)
        .service(create_webhook)
        .service(deactivate_webhook)
        .service(delivery_log);
}

/// List webhook subscriptions
#[utoipa::path(tag = "crm", responses((status = 200, body = WebhookList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/webhooks")]
pub async fn list_webhooks(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_webhooks(c, &actor))
            .await?,
    ))
}

/// Subscribes a URL to event types. Each delivery is a POST of the event (`id`, `type`,
/// `occurred_at`, `data`) with the headers `X-Erp-Event-Id`, `X-Erp-Event` and
/// `X-Erp-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>`. Failures are
/// retried with exponential backoff (0.5 s doubling, up to an hour, 15 attempts).
#[utoipa::path(tag = "crm", request_body = CreateWebhookRequest, responses((status = 201, body = WebhookResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/webhooks")]
pub async fn create_webhook(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateWebhookRequest>,
) -> Result<HttpResponse, AppError> {
    let w = ctx
        .db
        .run(move |c| service::create_webhook(c, &actor, body.0))
        .await?;
    Ok(created(&w, "/api/v1/crm/webhooks".into()))
}

/// Stops a subscription; deliveries still pending fail at their next attempt.
#[utoipa::path(tag = "crm", params(("id" = WebhookId, Path)), responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[delete("/crm/webhooks/{id}")]
pub async fn deactivate_webhook(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<WebhookId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    ctx.db
        .run(move |c| service::deactivate_webhook(c, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The deliveries of a webhook, newest first: status, attempts, the last answer or error.
#[utoipa::path(tag = "crm", params(("id" = WebhookId, Path), PageParams), responses((status = 200, body = DeliveryLog), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/webhooks/{id}/deliveries")]
pub async fn delivery_log(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<WebhookId>,
    page: Query<PageParams>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::delivery_log(c, &actor, id, page.0))
            .await?,
    ))
}
