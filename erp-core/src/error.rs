//! Errors and their one mapping to RFC 9457 `application/problem+json`.
//!
//! Services return [`AppError`]; domain crates define their own error enums and convert them
//! into it. A 500 says nothing of internals; the log keeps the cause.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One invalid input field and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `emails[1].value` or `limit`.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The body of every error response (RFC 9457).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:erp:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code, e.g. `validation_failed`, `insufficient_stock`.
    pub code: String,
    /// Invalid fields, for `validation_failed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The current state of the resource, for an illegal transition (409).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_state: Option<String>,
    /// The current version of the resource, for a stale write (412).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// For `insufficient_stock`: the quantity asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<String>,
    /// For `insufficient_stock`: the quantity available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<String>,
    /// The request id of the failed request, to quote when reporting it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("the request is invalid")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    BadRequest(String),
    /// Query parameters the operation does not take (400 `unknown_parameter`, each named).
    #[error("the request has query parameters the operation does not take")]
    UnknownParameters(Vec<FieldError>),
    #[error("authentication required: {0}")]
    Unauthenticated(String),
    #[error("missing permission {0}")]
    Forbidden(String),
    /// Refused for a reason other than a missing permission (403 with its own code).
    #[error("{detail}")]
    Denied { code: &'static str, detail: String },
    /// Too many attempts; try again after `retry_after` seconds (429 with `Retry-After`).
    #[error("{detail}")]
    TooManyRequests {
        code: &'static str,
        detail: String,
        retry_after: u64,
    },
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The path exists, but not with this method (405 with `Allow` naming those it takes).
    #[error("this path takes only {}", .0.join(", "))]
    MethodNotAllowed(Vec<String>),
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("cannot {action} a {entity} that is {current}")]
    InvalidState {
        entity: &'static str,
        action: &'static str,
        current: String,
    },
    #[error("not enough stock of {item}: requested {requested}, available {available}")]
    InsufficientStock {
        item: String,
        requested: String,
        available: String,
    },
    /// Lost a race for a row that another transaction changed; [`crate::db::write_tx_retrying`]
    /// runs the work again, so this reaches a client only after many lost races.
    #[error("the record is being changed by another request; try again")]
    Contended,
    #[error("the resource has changed: current version is {current}")]
    VersionMismatch { current: i64 },
    #[error("this update needs the version it was based on (If-Match header or `version`)")]
    PreconditionRequired,
    #[error("{detail}")]
    Unprocessable { code: &'static str, detail: String },
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> AppError {
        AppError::Conflict {
            code,
            detail: detail.into(),
        }
    }

    /// Puts the field paths of a validation error under `prefix` (`lines[2]` + `quantity` ->
    /// `lines[2].quantity`), for errors of one line of a document or one row of a file.
    pub fn under(self, prefix: &str) -> AppError {
        match self {
            AppError::Validation(errors) => AppError::Validation(
                errors
                    .into_iter()
                    .map(|f| FieldError::new(format!("{prefix}.{}", f.field), f.message))
                    .collect(),
            ),
            other => other,
        }
    }

    /// Names field `from` of a validation error `to` instead (a rule shared by requests whose
    /// fields are called differently).
    pub fn renamed(self, from: &str, to: &str) -> AppError {
        match self {
            AppError::Validation(errors) => AppError::Validation(
                errors
                    .into_iter()
                    .map(|f| {
                        let field = if f.field == from {
                            to.to_string()
                        } else {
                            f.field
                        };
                        FieldError::new(field, f.message)
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation_failed",
            AppError::BadRequest(_) => "bad_request",
            AppError::UnknownParameters(_) => "unknown_parameter",
            AppError::Unauthenticated(_) => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::Denied { code, .. } => code,
            AppError::TooManyRequests { code, .. } => code,
            AppError::NotFound(_) => "not_found",
            AppError::MethodNotAllowed(_) => "method_not_allowed",
            AppError::Conflict { code, .. } => code,
            AppError::InvalidState { .. } => "invalid_state",
            AppError::InsufficientStock { .. } => "insufficient_stock",
            AppError::VersionMismatch { .. } => "version_mismatch",
            AppError::Contended => "concurrent_update",
            AppError::PreconditionRequired => "precondition_required",
            AppError::Unprocessable { code, .. } => code,
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::Unavailable(_) => "service_unavailable",
            AppError::Internal(_) => "internal_error",
        }
    }

    /// The problem document for this error; internals are not included.
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            AppError::Internal(_) => "an internal error occurred; it has been logged".to_string(),
            AppError::Unavailable(_) => {
                "the database is not reachable right now; try again shortly".to_string()
            }
            AppError::Validation(errors) | AppError::UnknownParameters(errors)
                if errors.len() == 1 =>
            {
                format!("{}: {}", errors[0].field, errors[0].message)
            }
            other => other.to_string(),
        };
        Problem {
            kind: format!("urn:erp:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail,
            code: self.code().to_string(),
            errors: match self {
                AppError::Validation(errors) | AppError::UnknownParameters(errors) => {
                    errors.clone()
                }
                _ => Vec::new(),
            },
            current_state: match self {
                AppError::InvalidState { current, .. } => Some(current.clone()),
                _ => None,
            },
            current_version: match self {
                AppError::VersionMismatch { current } => Some(*current),
                _ => None,
            },
            requested: match self {
                AppError::InsufficientStock { requested, .. } => Some(requested.clone()),
                _ => None,
            },
            available: match self {
                AppError::InsufficientStock { available, .. } => Some(available.clone()),
                _ => None,
            },
            request_id: None,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) | AppError::UnknownParameters(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::Denied { .. } => StatusCode::FORBIDDEN,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict { .. }
            | AppError::InvalidState { .. }
            | AppError::InsufficientStock { .. }
            | AppError::Contended => StatusCode::CONFLICT,
            AppError::VersionMismatch { .. } => StatusCode::PRECONDITION_FAILED,
            AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(cause) => tracing::error!(%cause, "internal error"),
            AppError::Unavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        if let AppError::Unauthenticated(_) = self {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if let AppError::TooManyRequests { retry_after, .. } = self {
            response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
        }
        if let AppError::MethodNotAllowed(methods) = self {
            response.insert_header((header::ALLOW, methods.join(", ")));
        }
        problem_response(response, &self.problem())
    }
}

/// Writes a problem document with its media type. The request-id middleware adds the id.
pub fn problem_response(
    mut builder: actix_web::HttpResponseBuilder,
    problem: &Problem,
) -> HttpResponse {
    builder
        .content_type("application/problem+json")
        .body(serde_json::to_string(problem).unwrap_or_default())
}

/// An amount that does not fit its column. Wire values are checked when they are read, so
/// this is reached by arithmetic on them (a sum too large to store).
impl From<crate::money::AmountError> for AppError {
    fn from(e: crate::money::AmountError) -> AppError {
        AppError::Unprocessable {
            code: "amount_out_of_range",
            detail: format!("an amount {e}"),
        }
    }
}

impl From<DieselError> for AppError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => AppError::NotFound("record"),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::info!(message = info.message(), "unique violation");
                AppError::conflict(
                    "duplicate",
                    "a record with the same unique value already exists",
                )
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                tracing::info!(message = info.message(), "foreign key violation");
                AppError::conflict(
                    "referenced",
                    "the record is referenced by, or refers to, a record that does not allow this",
                )
            }
            DieselError::DatabaseError(DatabaseErrorKind::CheckViolation, info) => {
                AppError::Internal(format!("check constraint: {}", info.message()))
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// Collects field errors so a request reports all of them at once.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// How many errors are collected so far: a check compares it before and after.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// A required text: trimmed, not empty, at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.add(field, "must not be empty");
        } else if trimmed.chars().count() > max {
            self.add(field, format!("must be at most {max} characters"));
        } else if trimmed.chars().any(|c| c.is_control()) {
            self.add(field, "must not contain control characters");
        }
    }

    /// An optional text: when present, as [`Validator::text`].
    pub fn opt_text(&mut self, field: &str, value: Option<&str>, max: usize) {
        if let Some(v) = value {
            if v.chars().count() > max {
                self.add(field, format!("must be at most {max} characters"));
            }
        }
    }

    /// A code: 1..=max characters of letters, digits, `-`, `_` and `.`.
    pub fn code(&mut self, field: &str, value: &str, max: usize) {
        let ok = !value.is_empty()
            && value.chars().count() <= max
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            self.add(
                field,
                format!("must be 1 to {max} letters, digits, '-', '_' or '.'"),
            );
        }
    }

    /// Keeps the value of a read that may be refused: its invalid fields are collected with the
    /// rest (`None` then), any other error ends the request.
    pub fn keep<T>(&mut self, r: Result<T, AppError>) -> Result<Option<T>, AppError> {
        match r {
            Ok(t) => Ok(Some(t)),
            Err(AppError::Validation(errors)) => {
                self.errors.extend(errors);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub fn check(&mut self, ok: bool, field: &str, message: &str) {
        if !ok {
            self.add(field, message);
        }
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.errors))
        }
    }
}
