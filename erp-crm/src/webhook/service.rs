//! Subscriptions, the outbox, and the dispatcher.

use std::time::Duration;

use chrono::Duration as Span;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{new_id, now, uuid_from_db, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::pagination::PageParams;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use uuid::Uuid;

use super::dto::*;
use super::repo;
use crate::access;
use crate::ids::WebhookId;
use crate::model::{DeliveryRow, OutboxRow, WebhookRow};

/// Attempts before a delivery is given up as failed.
const MAX_ATTEMPTS: i32 = 15;
/// The first retry waits this long; each next one twice as long, up to an hour.
const FIRST_RETRY_MS: i64 = 500;

fn to_response(w: &WebhookRow, secret: Option<String>) -> Result<WebhookResponse, AppError> {
    Ok(WebhookResponse {
        id: WebhookId::from_db(&w.id)?,
        url: w.url.clone(),
        event_types: serde_json::from_str(&w.event_types).unwrap_or_default(),
        active: w.active,
        secret,
        created_at: w.created_at.and_utc(),
    })
}

pub fn create_webhook(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateWebhookRequest,
) -> Result<WebhookResponse, AppError> {
    actor.require(access::CONFIGURE)?;
    let mut v = Validator::new();
    v.check(
        req.url.starts_with("http://")
            && req.url.len() <= 2000
            && !req.url.contains(char::is_whitespace),
        "url",
        "must be an http:// URL (https goes through a TLS-terminating proxy for now)",
    );
    v.check(
        !req.event_types.is_empty(),
        "event_types",
        "subscribe to at least one event type, or \"*\"",
    );
    for (i, t) in req.event_types.iter().enumerate() {
        v.check(
            t == "*" || EVENT_TYPES.contains(&t.as_str()),
            &format!("event_types[{i}]"),
            "is not an event type",
        );
    }
    if let Some(s) = &req.secret {
        v.check(
            (16..=200).contains(&s.len()),
            "secret",
            "must be 16 to 200 characters",
        );
    }
    v.finish()?;
    let secret = req
        .secret
        .clone()
        .unwrap_or_else(|| format!("whsec_{}", Uuid::new_v4().simple()));
    write_tx(conn, |conn| {
        let w = WebhookRow {
            id: new_id(),
            company_id: actor.company_id.to_db(),
            url: req.url.clone(),
            secret: secret.clone(),
            event_types: serde_json::to_string(&req.event_types).unwrap_or_default(),
            active: true,
            created_at: now(),
        };
        repo::insert_webhook(conn, &w)?;
        audit::record(
            conn,
            actor,
            "webhook",
            &w.id,
            Change::Created(&to_response(&w, None)?),
        )?;
        to_response(&w, Some(secret.clone()))
    })
}

pub fn list_webhooks(conn: &mut DbConnection, actor: &Actor) -> Result<WebhookList, AppError> {
    actor.require(access::CONFIGURE)?;
    let items = repo::webhooks(conn, &actor.company_id.to_db())?
        .iter()
        .map(|w| to_response(w, None))
        .collect::<Result<_, _>>()?;
    Ok(WebhookList { items })
}

pub fn deactivate_webhook(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WebhookId,
) -> Result<(), AppError> {
    actor.require(access::CONFIGURE)?;
    write_tx(conn, |conn| {
        if !repo::deactivate(conn, &id.to_string(), &actor.company_id.to_db())? {
            return Err(AppError::NotFound("webhook"));
        }
        audit::record::<()>(
            conn,
            actor,
            "webhook",
            &id.to_string(),
            Change::Action("deactivate", None),
        )?;
        Ok(())
    })
}

pub fn delivery_log(
    conn: &mut DbConnection,
    actor: &Actor,
    id: WebhookId,
    page: PageParams,
) -> Result<DeliveryLog, AppError> {
    actor.require(access::CONFIGURE)?;
    let page = page.validate()?;
    let w = repo::find_webhook(conn, &id.to_string())?
        .filter(|w| w.company_id == actor.company_id.to_db())
        .ok_or(AppError::NotFound("webhook"))?;
    let rows = repo::log(conn, &w.id, &page)?;
    let (rows, next_cursor) = page.finish(rows, |(d, _, at)| (*at, d.id.as_str()));
    let items = rows
        .into_iter()
        .map(|(d, event_type, _)| {
            Ok(DeliveryResponse {
                event_id: uuid_from_db(&d.event_id)?,
                event_type,
                status: d.status,
                attempts: d.attempts,
                next_attempt_at: d.next_attempt_at.and_utc(),
                last_status: d.last_status,
                last_error: d.last_error,
                delivered_at: d.delivered_at.map(|t| t.and_utc()),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(DeliveryLog { items, next_cursor })
}

/// Writes an event to the outbox with a delivery for each subscribed webhook. Call it in
/// the transaction of the change, so the event exists exactly when the change does.
/// Returns the event's id, or None when no webhook wants it. `*` subscribes to every
/// business event, not to `notification.*` (customers' messages go to their gateway only).
pub fn emit<T: Serialize>(
    conn: &mut DbConnection,
    company_id: &str,
    event_type: &str,
    data: &T,
) -> Result<Option<String>, AppError> {
    let hooks: Vec<WebhookRow> = repo::webhooks(conn, company_id)?
        .into_iter()
        .filter(|w| w.active)
        .filter(|w| {
            serde_json::from_str::<Vec<String>>(&w.event_types)
                .unwrap_or_default()
                .iter()
                .any(|t| t == event_type || (t == "*" && !event_type.starts_with("notification.")))
        })
        .collect();
    if hooks.is_empty() {
        return Ok(None);
    }
    let at = now();
    let id = new_id();
    let payload = serde_json::json!({"id": id, "type": event_type, "occurred_at": at.and_utc(), "data": data});
    repo::insert_event(
        conn,
        &OutboxRow {
            id: id.clone(),
            company_id: company_id.to_string(),
            event_type: event_type.to_string(),
            payload: payload.to_string(),
            created_at: at,
        },
    )?;
    for w in hooks {
        repo::insert_delivery(
            conn,
            &DeliveryRow {
                id: new_id(),
                event_id: id.clone(),
                webhook_id: w.id,
                status: DeliveryStatus::Pending,
                attempts: 0,
                next_attempt_at: at,
                last_status: None,
                last_error: None,
                delivered_at: None,
            },
        )?;
    }
    Ok(Some(id))
}

/// `sha256=<hex of HMAC-SHA256(secret, body)>`, the `X-Erp-Signature` header.
pub fn signature(secret: &str, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body.as_bytes());
    let bytes = mac.finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

fn backoff(attempts: i32) -> Span {
    let ms = FIRST_RETRY_MS
        .saturating_mul(1 << attempts.clamp(0, 20) as u32)
        .min(3_600_000);
    Span::milliseconds(ms)
}

/// One round of the dispatcher: posts the deliveries that are due. Returns how many
/// succeeded.
pub fn dispatch_due(conn: &mut DbConnection) -> Result<usize, AppError> {
    let at = now();
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(5))
        .build();
    let mut delivered = 0;
    for d in repo::due(conn, at, 100)? {
        // Out of other dispatchers' reach for a minute while this one posts it.
        if !repo::claim(conn, &d, at + Span::seconds(60))? {
            continue;
        }
        let (Some(event), Some(hook)) = (
            repo::find_event(conn, &d.event_id)?,
            repo::find_webhook(conn, &d.webhook_id)?,
        ) else {
            continue;
        };
        let result = agent
            .post(&hook.url)
            .set("Content-Type", "application/json")
            .set("X-Erp-Event-Id", &event.id)
            .set("X-Erp-Event", &event.event_type)
            .set("X-Erp-Signature", &signature(&hook.secret, &event.payload))
            .send_string(&event.payload);
        let mut d = d;
        d.attempts += 1;
        match result {
            Ok(r) => {
                d.status = DeliveryStatus::Delivered;
                d.last_status = Some(i32::from(r.status()));
                d.last_error = None;
                d.delivered_at = Some(now());
                delivered += 1;
            }
            Err(e) => {
                let (status, error) = match e {
                    ureq::Error::Status(code, _) => {
                        (Some(i32::from(code)), format!("answered {code}"))
                    }
                    ureq::Error::Transport(t) => (None, t.to_string()),
                };
                d.last_status = status;
                d.last_error = Some(error.chars().take(500).collect());
                if d.attempts >= MAX_ATTEMPTS || !hook.active {
                    d.status = DeliveryStatus::Failed;
                } else {
                    d.next_attempt_at = now() + backoff(d.attempts - 1);
                }
            }
        }
        repo::save_delivery(conn, &d)?;
    }
    Ok(delivered)
}
