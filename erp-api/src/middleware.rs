//! Cross-cutting request handling: request ids and access logs, and Idempotency-Key.

use std::time::Instant;

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};
use erp_core::auth::secret::sha256_hex;
use erp_core::context::{Ctx, RequestId};
use erp_core::db::request_tx;
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
/// request with it, and returns it in `X-Request-Id` and, for a problem, in its `request_id`.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
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
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !is_problem {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (res, body) = res.into_parts();
    let bytes = to_bytes(body)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("unreadable problem body"))?;
    let body = with_request_id(&bytes, &id).unwrap_or_else(|| bytes.to_vec());
    Ok(ServiceResponse::new(req, res.set_body(BoxBody::new(body))))
}

/// A problem body with `request_id` filled in, unless it has one already. (A replayed problem
/// was stored without it, inside this middleware, so it gets the retry's id.)
fn with_request_id(body: &[u8], id: &str) -> Option<Vec<u8>> {
    let problem: serde_json::Value = serde_json::from_slice(body).ok()?;
    let fields = problem.as_object()?;
    if fields.get("request_id").is_some_and(|v| !v.is_null()) {
        return None;
    }
    // Appended as the last field, so the others keep their order.
    let end = body.iter().rposition(|b| *b == b'}')?;
    let mut out = body[..end].to_vec();
    if !fields.is_empty() {
        out.push(b',');
    }
    out.extend_from_slice(b"\"request_id\":");
    out.extend_from_slice(serde_json::to_string(id).ok()?.as_bytes());
    out.extend_from_slice(&body[end..]);
    Some(out)
}

/// `Idempotency-Key` on POST: exactly once. The key's record, everything the request writes
/// and the response to replay commit in one transaction (`erp_core::db::request_tx`), so a
/// retry after any crash either replays the first response or runs for the first time. A
/// repeat with the same key and body gets the first response; the same key with another body
/// is refused with 422; a repeat while the first is running waits for it and replays it.
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
    let Some(principal) = erp_core::gate::principal_of(req.request()) else {
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

    if rand::random::<u8>() < 4 {
        // Now and then, outside the request's transaction, forget keys past retention.
        let _ = ctx
            .db
            .run(|c| idempotency::purge_expired(c).map_err(AppError::from))
            .await;
    }
    let (p, k) = (principal.clone(), key.clone());
    let begun = ctx
        .db
        .begin_request(move |c| idempotency::claim(c, &p, &k, &hash).map_err(AppError::from))
        .await;
    let scope = match begun {
        Err(e) => return Ok(req.into_response(actix_web::ResponseError::error_response(&e))),
        Ok((scope, Claim::Claimed)) => scope,
        Ok((scope, claim)) => {
            // Nothing to write: end the transaction and answer from the record.
            let _ = ctx.db.end_request(scope, false, |_| Ok(())).await;
            return Ok(req.into_response(match claim {
                Claim::Replay(stored) => replay(stored),
                _ => actix_web::ResponseError::error_response(&AppError::Unprocessable {
                    code: "idempotency_key_reused",
                    detail: "this Idempotency-Key was used with a different request".into(),
                }),
            }));
        }
    };

    let res = request_tx::within(scope.clone(), next.call(req)).await;
    let res = match res {
        Ok(res) => res,
        Err(e) => {
            let _ = ctx.db.end_request(scope, false, |_| Ok(())).await;
            return Err(e);
        }
    };
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
    // A server error keeps nothing, so the request may be retried; anything else commits
    // with its response. Only a committed request is answered as such.
    let keep = !status.is_server_error();
    let ended = ctx
        .db
        .end_request(scope, keep, move |c| {
            idempotency::complete(c, &principal, &key, stored).map_err(AppError::from)
        })
        .await;
    if let Err(e) = ended {
        tracing::warn!(error = %e, "the request's transaction did not commit");
        return Ok(ServiceResponse::new(
            http_req,
            actix_web::ResponseError::error_response(&e),
        ));
    }
    Ok(ServiceResponse::new(
        http_req,
        head.set_body(BoxBody::new(bytes)),
    ))
}

/// The stored first response of a key, marked as a replay.
fn replay(stored: idempotency::IdempotencyRecord) -> HttpResponse {
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
    res.body(stored.response_body.unwrap_or_default())
}

/// The credential an operation needs, as its contract declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// A staff access token or an API key.
    Staff,
    /// A customer's portal token.
    Portal,
}

/// One path template split into segments; `None` matches any one segment (a parameter).
type Template = Vec<Option<String>>;

/// What the contract says of one operation: the credential it needs (None: open, like
/// health and login) and the query parameters it takes.
#[derive(Debug, Clone)]
pub struct Route {
    pub guard: Option<Guard>,
    pub query: Vec<String>,
}

/// Which operations are protected and which query parameters each takes, read once from the
/// OpenAPI document, so the contract and the enforcement cannot disagree.
#[derive(Debug, Default)]
pub struct Guarded {
    routes: std::collections::HashMap<(Method, usize), Vec<(Template, Route)>>,
}

impl Guarded {
    pub fn from_doc(doc: &utoipa::openapi::OpenApi) -> Guarded {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::RefOr;
        let mut routes: std::collections::HashMap<(Method, usize), Vec<(Template, Route)>> =
            Default::default();
        for (path, item) in &doc.paths.paths {
            let template: Template = path
                .split('/')
                .map(|seg| (!seg.starts_with('{')).then(|| seg.to_string()))
                .collect();
            let ops = [
                (Method::GET, &item.get),
                (Method::POST, &item.post),
                (Method::PUT, &item.put),
                (Method::PATCH, &item.patch),
                (Method::DELETE, &item.delete),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                let names: Vec<String> = op
                    .security
                    .iter()
                    .flatten()
                    .filter_map(|r| serde_json::to_value(r).ok())
                    .filter_map(|v| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()))
                    .flatten()
                    .collect();
                let guard = if names.iter().any(|n| n == "portal_auth") {
                    Some(Guard::Portal)
                } else if names.is_empty() {
                    None
                } else {
                    Some(Guard::Staff)
                };
                let query = op
                    .parameters
                    .iter()
                    .chain(item.parameters.iter())
                    .flatten()
                    .filter_map(|p| match p {
                        RefOr::T(p) if p.parameter_in == ParameterIn::Query => Some(p.name.clone()),
                        _ => None,
                    })
                    .collect();
                routes
                    .entry((method, template.len()))
                    .or_default()
                    .push((template.clone(), Route { guard, query }));
            }
        }
        // Literal segments win over parameters (`/items/export` before `/items/{id}`).
        for list in routes.values_mut() {
            list.sort_by_key(|(t, _)| std::cmp::Reverse(t.iter().filter(|s| s.is_some()).count()));
        }
        Guarded { routes }
    }

    /// The methods the contract declares for `path`, in a fixed order (none: no such path).
    pub fn allowed(&self, path: &str) -> Vec<Method> {
        [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ]
        .into_iter()
        .filter(|m| self.find(m, path).is_some())
        .collect()
    }

    pub fn find(&self, method: &Method, path: &str) -> Option<&Route> {
        let segments: Vec<&str> = path.split('/').collect();
        self.routes
            .get(&(method.clone(), segments.len()))?
            .iter()
            .find(|(t, _)| {
                t.iter().zip(&segments).all(|(want, got)| match want {
                    Some(lit) => lit == got,
                    None => !got.is_empty(),
                })
            })
            .map(|(_, r)| r)
    }
}

/// The query parameters of `query` that `route` does not take, each named with what it
/// takes: a misspelt filter must never read as "no filter".
fn unknown_parameters(route: &Route, query: &str) -> Vec<erp_core::error::FieldError> {
    let mut unknown: Vec<String> = Vec::new();
    for (name, _) in form_urlencoded::parse(query.as_bytes()) {
        if !route.query.iter().any(|q| *q == name) && !unknown.iter().any(|u| *u == name) {
            unknown.push(name.into_owned());
        }
    }
    let takes = if route.query.is_empty() {
        "the operation takes no query parameters".to_string()
    } else {
        format!("the operation takes {}", route.query.join(", "))
    };
    unknown
        .into_iter()
        .map(|name| {
            erp_core::error::FieldError::new(name, format!("unknown query parameter; {takes}"))
        })
        .collect()
}

/// Authentication before anything else: a protected operation with a missing or bad
/// credential is refused with 401 before its body or query is read, on every route. The
/// actor goes into the request's extensions, where the extractors find it.
pub async fn authenticate(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let route = req
        .app_data::<web::Data<Guarded>>()
        .and_then(|g| g.find(req.method(), req.path()).cloned());
    let refused = |req: ServiceRequest, e: AppError| {
        Ok(req.into_response(actix_web::ResponseError::error_response(&e)))
    };
    match route.as_ref().and_then(|r| r.guard) {
        None => {}
        Some(Guard::Staff) => match erp_core::gate::authenticate(req.request()).await {
            Ok(actor) => {
                req.extensions_mut().insert(actor);
            }
            Err(e) => return refused(req, e),
        },
        Some(Guard::Portal) => match erp_crm::portal::auth::authenticate(req.request()).await {
            Ok(actor) => {
                req.extensions_mut().insert(actor);
            }
            Err(e) => return refused(req, e),
        },
    }
    // Then the text policy of the request line, before any handler reads it.
    if let Err(e) = erp_core::text::check_request_line(req.path(), req.query_string()) {
        return refused(req, e);
    }
    // And only the query parameters the contract names for the operation.
    if let Some(route) = &route {
        let unknown = unknown_parameters(route, req.query_string());
        if !unknown.is_empty() {
            return refused(req, AppError::UnknownParameters(unknown));
        }
    }
    next.call(req).await
}
