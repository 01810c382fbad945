//! Organisation: companies and their branches (offices, warehouses, shops).

pub mod address;
pub mod branch;
pub mod company;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    company::http::configure(cfg);
    branch::http::configure(cfg);
}

/// A currency code: three upper-case letters (ISO 4217).
pub fn check_currency(v: &mut crate::error::Validator, field: &str, code: &str) {
    v.check(
        code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()),
        field,
        "must be an ISO 4217 code such as EUR",
    );
}

/// An IANA time zone name such as `Europe/Berlin`, or `UTC`.
pub fn check_time_zone(v: &mut crate::error::Validator, field: &str, tz: &str) {
    let ok = !tz.is_empty()
        && tz.len() <= 64
        && (tz == "UTC"
            || (tz.contains('/')
                && tz.split('/').all(|p| {
                    !p.is_empty()
                        && p.chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
                })));
    v.check(
        ok,
        field,
        "must be an IANA time zone such as Europe/Berlin, or UTC",
    );
}
