//! Cross-cutting request handling: request ids and access logs, and Idempotency-Key.

use std::time::Instant;

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};
use erp_core::auth::secret::sha256_hex;
use erp_core::context::{Ctx, RequestId};
use erp_core::error::AppError;
use erp_core::idempotency::{self, Claim, StoredResponse};
use tracing::Instrument;

fn valid_request_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Gives every request an id (the client's `X-Request-Id` when it is sane), logs the
/// request with it, and returns it in `X-Request-Id`.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| valid_request_id(v))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    let started = Instant::now();
    let mut res = next.call(req).instrument(span.clone()).await?;
    let status = res.status().as_u16();
    span.in_scope(|| {
        tracing::info!(
            status,
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "served"
        );
    });
    if let Ok(v) = header::HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), v);
    }
    Ok(res)
}

/// `Idempotency-Key` on POST: the first response is stored and replayed for a repeat with the
/// same key and body; the same key with another body is refused with 422.
pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = match req.headers().get("idempotency-key") {
        Some(k) if req.method() == Method::POST => k.to_str().unwrap_or("").to_string(),
        _ => return next.call(req).await,
    };
    if key.is_empty() || key.len() > 255 || key.chars().any(|c| !c.is_ascii_graphic()) {
        let err = AppError::field(
            "Idempotency-Key",
            "must be 1 to 255 visible ASCII characters",
        );
        return Ok(req.into_response(actix_web::ResponseError::error_response(&err)));
    }
    // Unauthenticated requests are refused by the handler; nothing to remember for them.
    let Some(principal) = erp_core::auth::principal_of(req.request()) else {
        return next.call(req).await;
    };
    let Some(ctx) = req.app_data::<web::Data<Ctx>>().cloned() else {
        return next.call(req).await;
    };
    let body = match req.extract::<web::Bytes>().await {
        Ok(b) => b,
        Err(e) => return Ok(req.into_response(e.error_response())),
    };
    req.set_payload(Payload::from(body.clone()));
    let fingerprint = format!("{} {}?{}\n", req.method(), req.path(), req.query_string());
    let hash = sha256_hex(&[fingerprint.as_bytes(), &body].concat());

    let (p, k, h) = (principal.clone(), key.clone(), hash);
    let claim = ctx
        .db
        .run(move |c| idempotency::claim(c, &p, &k, &h).map_err(AppError::from))
        .await;
    match claim {
        Err(e) => return Ok(req.into_response(actix_web::ResponseError::error_response(&e))),
        Ok(Claim::Mismatch) => {
            let err = AppError::Unprocessable {
                code: "idempotency_key_reused",
                detail: "this Idempotency-Key was used with a different request".into(),
            };
            return Ok(req.into_response(actix_web::ResponseError::error_response(&err)));
        }
        Ok(Claim::InProgress) => {
            let err = AppError::conflict(
                "idempotency_in_progress",
                "a request with this Idempotency-Key is still being processed",
            );
            return Ok(req.into_response(actix_web::ResponseError::error_response(&err)));
        }
        Ok(Claim::Replay(stored)) => {
            let status = u16::try_from(stored.status_code.unwrap_or(200))
                .ok()
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(StatusCode::OK);
            let mut res = HttpResponse::build(status);
            res.insert_header(("Idempotent-Replayed", "true"));
            if let Some(ct) = stored.content_type {
                res.insert_header((header::CONTENT_TYPE, ct));
            }
            if let Some(l) = stored.location {
                res.insert_header((header::LOCATION, l));
            }
            if let Some(e) = stored.etag {
                res.insert_header((header::ETAG, e));
            }
            return Ok(req.into_response(res.body(stored.response_body.unwrap_or_default())));
        }
        Ok(Claim::Claimed) => {}
    }

    let res = next.call(req).await?;
    let (http_req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let bytes = to_bytes(body).await.unwrap_or_default();
    let status = head.status();
    let header_text = |name: header::HeaderName| {
        head.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let stored = StoredResponse {
        status: status.as_u16(),
        content_type: header_text(header::CONTENT_TYPE),
        location: header_text(header::LOCATION),
        etag: header_text(header::ETAG),
        body: bytes.to_vec(),
    };
    let outcome = ctx
        .db
        .run(move |c| {
            if status.is_server_error() {
                idempotency::release(c, &principal, &key)
            } else {
                idempotency::complete(c, &principal, &key, stored)
            }
            .map_err(AppError::from)
        })
        .await;
    if let Err(e) = outcome {
        tracing::warn!(error = %e, "could not store the idempotent response");
    }
    Ok(ServiceResponse::new(
        http_req,
        head.set_body(BoxBody::new(bytes)),
    ))
}
