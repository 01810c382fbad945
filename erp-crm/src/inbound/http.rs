use actix_web::{post, web, HttpRequest, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{parse_json, read_body, Json};
use erp_core::Ctx;

use super::dto::*;
use super::{email, service};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(call_event)
        .service(web_lead)
        .service(email_event);
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

/// The largest message the mail gateway may hand over: attachments are base64 in the body.
const MAX_EMAIL_BYTES: usize = 40 * 1024 * 1024;

/// Receive an e-mail
///
/// The mail gateway hands over a received message (at most 40 MiB of JSON, attachments in
/// base64). It is logged as an inbound e-mail on the customer whose card or contact person
/// has the sender's address, from that customer's owner; its attachments become the
/// customer's documents (those documents do not take, by type or size, are listed as
/// skipped, and the message is logged all the same). A sender nobody has becomes a lead when
/// an unknown-caller rule says so, as a call from an unknown number does; otherwise 422 on
/// `from`. A gateway that retries should send the message's Message-ID as `Idempotency-Key`,
/// so a retried message is logged once.
#[utoipa::path(
    tag = "crm",
    request_body = InboundEmail,
    responses(
        (status = 201, body = EmailLogged),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json")
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/crm/inbound/emails")]
pub async fn email_event(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (_, body) = read_body(&req, payload, &["application/json"], MAX_EMAIL_BYTES).await?;
    let email: InboundEmail = parse_json(&body)?;
    Ok(HttpResponse::Created().json(
        ctx.db
            .run(move |c| email::email_event(c, &actor, email))
            .await?,
    ))
}
