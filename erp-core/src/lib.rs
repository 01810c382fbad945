//! The platform every module builds on: database access over PostgreSQL and SQLite, exact
//! money and quantities, errors as problem+json, auth, pagination, audit, and the shared
//! organisation, partner and identity objects.

pub mod address;
pub mod audit;
pub mod auth;
pub mod batch;
pub mod bootstrap;
pub mod chart;
pub mod context;
pub mod csv_import;
pub mod db;
pub mod error;
pub mod filter;
pub mod gate;
pub mod http;
pub mod iam;
pub mod ids;
pub mod money;
pub mod org;
pub mod pagination;
pub mod partner;
pub mod pdf;
pub mod phone;
pub mod problem_codes;
pub mod text;
pub mod weekday;

pub use context::Ctx;
/// Document numbers and idempotency records are stores of the database layer, kept at their
/// old paths.
pub use db::{idempotency, numbering};
pub use error::{AppError, Problem};

/// Routes of the platform objects (organisation, partners, identity, audit), relative to `/api/v1`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    iam::configure(cfg);
    org::configure(cfg);
    partner::http::configure(cfg);
    audit::http::configure(cfg);
}
