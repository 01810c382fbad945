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

/// Checks the settings companies and branches share; each one given is validated.
pub fn check_site(
    v: &mut crate::error::Validator,
    name: Option<&str>,
    currency: Option<&str>,
    time_zone: Option<&str>,
    address: Option<&address::Address>,
) {
    if let Some(n) = name {
        v.text("name", n, 200);
    }
    if let Some(c) = currency {
        check_currency(v, "currency", c);
    }
    if let Some(tz) = time_zone {
        check_time_zone(v, "time_zone", tz);
    }
    if let Some(a) = address {
        a.validate(v, "address");
    }
}
