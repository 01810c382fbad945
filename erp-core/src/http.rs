//! Request extractors and response helpers shared by every endpoint: JSON bodies and query
//! strings that report the failing field, ETag / If-Match versioning.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{AppError, FieldError};

/// Largest request body accepted when the configuration says nothing else.
pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

/// The body size limit in force, registered as app data beside `web::PayloadConfig`
/// so that the 413 can say what it is.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// Load balancers whose `X-Forwarded-For` is believed, registered as app data.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<std::net::IpAddr>);

/// The client's IP address: the TCP peer, or, when the peer is a trusted proxy, the nearest
/// address in `X-Forwarded-For` that is not one.
pub fn client_address(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    let trusted = req.app_data::<TrustedProxies>().map(|t| t.0.as_slice());
    let Some(trusted) = trusted.filter(|t| t.contains(&peer)) else {
        return peer.to_string();
    };
    let hops: Vec<std::net::IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|h| h.trim().parse().ok())
        .collect();
    hops.iter()
        .rev()
        .find(|h| !trusted.contains(h))
        .copied()
        .unwrap_or(peer)
        .to_string()
}

/// A JSON request body. Malformed JSON is a 400; a body of the wrong shape is a 422 naming
/// the field (`emails[0].value: invalid type ...`); a missing or other media type is a 415.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let media_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let essence = v
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            })
            .unwrap_or(false);
        let limit = req
            .app_data::<BodyLimit>()
            .map_or(DEFAULT_BODY_LIMIT, |l| l.0);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !media_type_ok {
                return Err(AppError::UnsupportedMediaType(
                    "the request body must be sent as Content-Type: application/json".into(),
                ));
            }
            let bytes = body.await.map_err(|e| payload_error(e, limit))?;
            parse_json(&bytes).map(Json)
        })
    }
}

fn payload_error(e: actix_web::Error, limit: usize) -> AppError {
    match e.as_response_error().status_code() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge(limit),
        _ => AppError::BadRequest(format!("the request body could not be read: {e}")),
    }
}

/// Parses a JSON document into `T`, naming the field that does not fit.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::BadRequest("the request body is empty".into()));
    }
    // Syntax first: a malformed document is a 400 whatever shape its beginning has.
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
        .map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?;
    let cleaned = crate::text::clean_json(bytes)?;
    let bytes: &[u8] = &cleaned;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let field = if path == "." {
                    "body".to_string()
                } else {
                    path
                };
                AppError::Validation(vec![FieldError::new(field, strip_position(&inner))])
            }
            _ => AppError::BadRequest(format!("malformed JSON: {inner}")),
        }
    })?;
    de.end()
        .map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?;
    Ok(value)
}

/// serde_json appends " at line 1 column 17"; the field path already says where.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// For a PATCH field that may be set or cleared: absent is `None`, `null` is `Some(None)`,
/// a value is `Some(Some(v))`. Use with `#[serde(default, deserialize_with = "present")]`.
pub fn present<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// A query string, with errors naming the parameter.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let query = crate::text::nfc_query(req.query_string());
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(&query));
        std::future::ready(
            serde_path_to_error::deserialize(de)
                .map(Query)
                .map_err(|e| {
                    let path = e.path().to_string();
                    let field = if path == "." {
                        "query".to_string()
                    } else {
                        path
                    };
                    AppError::Validation(vec![FieldError::new(field, e.into_inner().to_string())])
                }),
        )
    }
}

fn form_urlencoded_parse(q: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(q.as_bytes())
}

/// The entity tag of a versioned resource.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version a write is based on, from `If-Match` or the body's `version`.
/// Neither is a 428; both, disagreeing, a 400.
pub fn expected_version(req: &HttpRequest, body_version: Option<i64>) -> Result<i64, AppError> {
    let header_version = match req.headers().get(header::IF_MATCH) {
        None => None,
        Some(v) => {
            let text = v.to_str().unwrap_or("").trim();
            let text = text.strip_prefix("W/").unwrap_or(text);
            let parsed = text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .and_then(|t| t.parse::<i64>().ok());
            match parsed {
                Some(v) => Some(v),
                None => {
                    return Err(AppError::field(
                        "If-Match",
                        "must be an entity tag returned by this API, e.g. \"3\"",
                    ))
                }
            }
        }
    };
    match (header_version, body_version) {
        (Some(h), Some(b)) if h != b => Err(AppError::field(
            "version",
            "differs from the If-Match header",
        )),
        (Some(v), _) | (None, Some(v)) => Ok(v),
        (None, None) => Err(AppError::PreconditionRequired),
    }
}

/// 200 with a JSON body and the resource's ETag.
pub fn ok_versioned<T: Serialize>(body: &T, version: i64) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .json(body)
}

/// 201 with a JSON body, its ETag and its Location.
pub fn created_versioned<T: Serialize>(body: &T, version: i64, location: String) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::ETAG, etag(version)))
        .insert_header((header::LOCATION, location))
        .json(body)
}

/// 201 with a JSON body and its Location.
pub fn created<T: Serialize>(body: &T, location: String) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(body)
}

/// A text body (CSV) under the text policy: no control characters but tab and line ends.
fn check_text_body(bytes: &[u8]) -> Result<(), AppError> {
    let text = String::from_utf8_lossy(bytes);
    for (i, line) in text.lines().enumerate() {
        if let Some(c) = crate::text::refused_char(line, true) {
            return Err(AppError::field(
                format!("line {}", i + 1),
                format!(
                    "must not contain control characters (found U+{:04X})",
                    c as u32
                ),
            ));
        }
    }
    Ok(())
}

/// The largest CSV upload of a bulk import (items, customers, opening balances).
pub const MAX_CSV_BYTES: usize = 16 * 1024 * 1024;

/// Runs a CSV import: reads a `text/csv` body of at most `limit` bytes and answers with the
/// import's report; with `dry_run=true` ([`crate::batch::DryRun`], which the route declares)
/// the same report, and nothing kept.
pub async fn import_csv<R: Serialize + Send + 'static>(
    ctx: &crate::Ctx,
    actor: crate::auth::Actor,
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
    import: fn(&mut crate::db::DbConnection, &crate::auth::Actor, &[u8]) -> Result<R, AppError>,
) -> Result<HttpResponse, AppError> {
    let dry = web::Query::<crate::batch::DryRun>::from_query(req.query_string())
        .map_err(|e| AppError::field("dry_run", e.to_string()))?
        .into_inner();
    let (_, body) = read_body(req, payload, &["text/csv"], limit).await?;
    let out = ctx
        .db
        .run(move |c| crate::batch::maybe_dry(c, dry, |c| import(c, &actor, &body)))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A CSV import route: `POST $path` reading a `text/csv` body of at most `limit` bytes
/// ([`MAX_CSV_BYTES`] unless given) into `$import`, answering with its `$report`, declared in
/// the contract with the `dry_run` flag, the 415 for another content type and, where the
/// route says `answers_422`, the 422 of a refused file. The doc comment is the operation's
/// summary and description, as on a route written out. The calling module imports
/// actix-web's `post`, as every module of routes does: utoipa knows the route by it.
#[macro_export]
macro_rules! csv_import_route {
    ($(#[$doc:meta])* $name:ident, $path:tt, tag = $tag:tt, report = $report:ty,
     import = $import:path) => {
        $crate::csv_import_route!(@route [$(#[$doc])*] $name, $path, $tag, $import,
            $crate::http::MAX_CSV_BYTES,
            ((status = 200, body = $report), (status = 415, body = erp_core::error::Problem, content_type = "application/problem+json")));
    };
    ($(#[$doc:meta])* $name:ident, $path:tt, tag = $tag:tt, report = $report:ty,
     import = $import:path, limit = $limit:expr, answers_422) => {
        $crate::csv_import_route!(@route [$(#[$doc])*] $name, $path, $tag, $import, $limit,
            ((status = 200, body = $report), (status = 415, body = erp_core::error::Problem, content_type = "application/problem+json"), (status = 422, body = erp_core::error::Problem, content_type = "application/problem+json")));
    };
    ($(#[$doc:meta])* $name:ident, $path:tt, tag = $tag:tt, report = $report:ty,
     import = $import:path, limit = $limit:expr) => {
        $crate::csv_import_route!(@route [$(#[$doc])*] $name, $path, $tag, $import, $limit,
            ((status = 200, body = $report), (status = 415, body = erp_core::error::Problem, content_type = "application/problem+json")));
    };
    (@route [$(#[$doc:meta])*] $name:ident, $path:tt, $tag:tt, $import:path, $limit:expr,
     $responses:tt) => {
        $(#[$doc])*
        #[utoipa::path(
            tag = $tag,
            params(erp_core::batch::DryRun),
            request_body(content = String, content_type = "text/csv"),
            responses $responses,
            security(("bearer_auth" = []), ("api_key" = []))
        )]
        #[post($path)]
        pub async fn $name(
            ctx: actix_web::web::Data<erp_core::Ctx>,
            actor: erp_core::auth::Actor,
            req: actix_web::HttpRequest,
            payload: actix_web::web::Payload,
        ) -> Result<actix_web::HttpResponse, erp_core::error::AppError> {
            erp_core::http::import_csv(&ctx, actor, &req, payload, $limit, $import).await
        }
    };
}

/// A CSV file to download as `filename` (an export).
pub fn csv_file(filename: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(body)
}

/// Runs a bulk write and answers it: 201 with what it made, or, for a dry run
/// ([`crate::batch::DryRun`]), 200 with what it would have made and nothing kept. `ok` is the
/// status of a real run when it sets rather than creates (200).
pub async fn bulk<R: Serialize + Send + 'static>(
    ctx: &crate::Ctx,
    dry: crate::batch::DryRun,
    ok: StatusCode,
    work: impl FnOnce(&mut crate::db::DbConnection) -> Result<R, AppError> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| crate::batch::maybe_dry(c, dry, work))
        .await?;
    let status = if dry.dry_run { StatusCode::OK } else { ok };
    Ok(HttpResponse::build(status).json(out))
}

/// Reads a raw body of one of the `accepted` content types and at most `limit` bytes;
/// returns the content type (without parameters, lowercase) and the bytes.
pub async fn read_body(
    req: &HttpRequest,
    payload: actix_web::web::Payload,
    accepted: &[&str],
    limit: usize,
) -> Result<(String, Vec<u8>), AppError> {
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if !accepted.contains(&content_type.as_str()) {
        return Err(AppError::UnsupportedMediaType(format!(
            "send the body as one of: {}",
            accepted.join(", ")
        )));
    }
    match payload.to_bytes_limited(limit).await {
        Ok(Ok(bytes)) => {
            if content_type.starts_with("text/") {
                check_text_body(&bytes)?;
            }
            Ok((content_type, bytes.to_vec()))
        }
        Ok(Err(e)) => Err(AppError::BadRequest(format!(
            "the request body could not be read: {e}"
        ))),
        Err(_) => Err(AppError::PayloadTooLarge(limit)),
    }
}

/// True when the request's `Accept` header names `media_type` (`text/csv`, `image/svg+xml`,
/// `text/html`): the representations a route offers besides JSON.
pub fn accepts(req: &HttpRequest, media_type: &str) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(media_type))
}

/// The bytes of a file in a request or response body.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(pub Vec<u8>);
