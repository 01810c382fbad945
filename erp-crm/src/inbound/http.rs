use actix_web::{post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::AppError;
use erp_core::http::Json;
use erp_core::Ctx;

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(call_event).service(web_lead);
}

/// The telephony system reports a call: it is logged on the customer with that number; an
/// unknown number becomes a lead if an unknown-caller rule says so.
#[utoipa::path(tag = "crm", request_body = CallEvent, responses((status = 201, body = CallLogged)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/inbound/calls")]
pub async fn call_event(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CallEvent>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(
        ctx.db
            .run(move |c| service::call_event(c, &actor, body.0))
            .await?,
    ))
}

/// The web site's contact form sends a lead (meant for an API key with `crm.inbound`).
#[utoipa::path(tag = "crm", request_body = WebLead, responses((status = 201, body = LeadReceived)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/inbound/leads")]
pub async fn web_lead(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<WebLead>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(
        ctx.db
            .run(move |c| service::web_lead(c, &actor, body.0))
            .await?,
    ))
}
