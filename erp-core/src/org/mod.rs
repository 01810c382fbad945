//! Organisation: companies and their branches (offices, warehouses, shops).

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

/// An IANA time zone name such as `Europe/Berlin`, or `UTC`, that the time zone database knows.
pub fn check_time_zone(v: &mut crate::error::Validator, field: &str, tz: &str) {
    v.check(
        tz.len() <= 64 && tz.parse::<Tz>().is_ok(),
        field,
        "must be an IANA time zone such as Europe/Berlin, or UTC",
    );
}

pub use chrono_tz::Tz;

/// The zone an IANA name stands for; UTC for one the database does not know (names are
/// checked when saved, so only a row from before that check can have one).
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::UTC)
}

/// The UTC instant a wall-clock time in `zone` names: the earlier one in an hour the clocks
/// repeat, and for a time the clocks skip, the same time an hour later.
pub fn instant(zone: Tz, local: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    use chrono::TimeZone;
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map_or(local, |t| t.naive_utc())
}

/// The wall-clock time in `zone` at a UTC instant.
pub fn wall_clock(zone: Tz, utc: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    use chrono::TimeZone;
    zone.from_utc_datetime(&utc).naive_local()
}

/// Checks the settings companies and branches share; each one given is validated.
pub fn check_site(
    v: &mut crate::error::Validator,
    name: Option<&str>,
    currency: Option<&str>,
    time_zone: Option<&str>,
    address: Option<&crate::address::Address>,
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

/// The time zone of one branch of a company (UTC for one not found).
pub fn branch_zone(
    conn: &mut crate::db::DbConnection,
    company_id: crate::ids::CompanyId,
    branch_id: crate::ids::BranchId,
) -> Result<Tz, crate::error::AppError> {
    Ok(branch::repo::find(conn, branch_id, company_id)?
        .map_or(chrono_tz::UTC, |b| zone(&b.time_zone)))
}

/// The time zone of a company (UTC for one not found).
pub fn company_zone(
    conn: &mut crate::db::DbConnection,
    company_id: crate::ids::CompanyId,
) -> Result<Tz, crate::error::AppError> {
    Ok(company::repo::find(conn, company_id)?.map_or(chrono_tz::UTC, |c| zone(&c.time_zone)))
}

/// The time zone of each branch of a company, by branch id.
pub fn branch_zones(
    conn: &mut crate::db::DbConnection,
    company_id: crate::ids::CompanyId,
) -> Result<std::collections::HashMap<crate::ids::BranchId, Tz>, crate::error::AppError> {
    Ok(branch::repo::time_zones(conn, company_id)?
        .into_iter()
        .map(|(id, name)| (id, zone(&name)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> chrono::NaiveDateTime {
        s.parse().unwrap()
    }

    #[test]
    fn wall_clock_times_name_instants_across_daylight_saving() {
        let berlin = zone("Europe/Berlin");
        assert_eq!(
            instant(berlin, t("2026-12-04T09:00:00")),
            t("2026-12-04T08:00:00")
        );
        assert_eq!(
            instant(berlin, t("2026-07-01T09:00:00")),
            t("2026-07-01T07:00:00")
        );
        // 2026-03-29 02:30 does not exist in Berlin: 03:30 summer time is 01:30 UTC.
        assert_eq!(
            instant(berlin, t("2026-03-29T02:30:00")),
            t("2026-03-29T01:30:00")
        );
        // 2026-10-25 02:30 happens twice: the first, in summer time, is 00:30 UTC.
        assert_eq!(
            instant(berlin, t("2026-10-25T02:30:00")),
            t("2026-10-25T00:30:00")
        );
        assert_eq!(
            wall_clock(berlin, t("2026-12-04T23:30:00")),
            t("2026-12-05T00:30:00")
        );
        assert_eq!(zone("Mars/Olympus"), chrono_tz::UTC);
    }

    #[test]
    fn only_zones_the_database_knows_are_accepted() {
        for (name, ok) in [
            ("Europe/Berlin", true),
            ("UTC", true),
            ("America/Argentina/Buenos_Aires", true),
            ("Europe/Nowhere", false),
            ("Mars", false),
            ("", false),
        ] {
            let mut v = crate::error::Validator::new();
            check_time_zone(&mut v, "time_zone", name);
            assert_eq!(v.finish().is_ok(), ok, "{name}");
        }
    }
}
