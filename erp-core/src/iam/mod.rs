//! Identity and access: users, roles, API keys, and the login session endpoints.

pub mod api_key;
pub mod rights;
pub mod role;
pub mod session;
pub mod user;

/// Routes of the identity module.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    session::http::configure(cfg);
    user::http::configure(cfg);
    role::http::configure(cfg);
    api_key::http::configure(cfg);
}
