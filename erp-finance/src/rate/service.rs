//! Setting, importing, listing exchange rates, and converting at the rate in force.

use chrono::NaiveDate;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::csv_import::{check_columns, import_all, parsed, required, ImportReport};
use erp_core::db::{now, write_tx, DbConnection, Upserted};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::Money;
use erp_core::org::check_currency;
use erp_core::pagination::PageParams;
use rust_decimal::Decimal;

use super::dto::*;
use super::repo::{self, RateRow};
use crate::currency::round_to_minor_unit;

pub const READ: &str = "finance.account.read";
pub const WRITE: &str = "finance.currency.write";

const SCALE: u32 = crate::currency::RATE_SCALE;

fn to_response(r: &RateRow) -> RateResponse {
    RateResponse {
        currency: r.0.clone(),
        rate_date: r.1,
        rate: Decimal::new(r.2, SCALE).normalize(),
        updated_at: r.3.and_utc(),
    }
}

/// Checks and stores one rate; true when it was new.
fn set_rate(
    conn: &mut DbConnection,
    actor: &Actor,
    currency: &str,
    date: NaiveDate,
    rate: Decimal,
) -> Result<bool, AppError> {
    let company = actor.company_id;
    let own = crate::entry::service::company_currency(conn, company)?;
    let mut v = Validator::new();
    check_currency(&mut v, "currency", currency);
    v.check(
        currency != own,
        "currency",
        "is the company's own currency (its rate is 1)",
    );
    v.check(rate > Decimal::ZERO, "rate", "must be more than zero");
    v.check(
        rate.normalize().scale() <= SCALE,
        "rate",
        "has more than 9 decimal places",
    );
    let scaled: Option<i64> = rate
        .checked_mul(Decimal::from(10i64.pow(SCALE)))
        .and_then(|d| d.trunc().try_into().ok());
    v.check(scaled.is_some(), "rate", "is too large");
    v.finish()?;
    let at = now();
    let done = repo::set(
        conn,
        company,
        currency,
        date,
        scaled.unwrap_or(0),
        &actor.user_id.to_db(),
        at,
    )?;
    audit::record(
        conn,
        actor,
        "fin_exchange_rate",
        format!("{currency}:{date}"),
        Change::Action("set", Some(&serde_json::json!({"rate": rate.to_string()}))),
    )?;
    Ok(done == Upserted::Inserted)
}

/// Sets a rate; returns it and whether it was new (201) or replaced that day's (200).
pub fn set(
    conn: &mut DbConnection,
    actor: &Actor,
    req: SetRateRequest,
) -> Result<(RateResponse, bool), AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let new = set_rate(conn, actor, &req.currency, req.rate_date, req.rate)?;
        let row = repo::in_force(conn, actor.company_id, &req.currency, req.rate_date)?
            .ok_or(AppError::NotFound("exchange_rate"))?;
        Ok((to_response(&row), new))
    })
}

/// The columns of a rate file.
pub const COLUMNS: &[&str] = &["currency", "date", "rate"];

/// Rates from CSV (currency, date as YYYY-MM-DD, rate), all or nothing.
pub fn import(
    conn: &mut DbConnection,
    actor: &Actor,
    body: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require(WRITE)?;
    check_columns(body, COLUMNS)?;
    import_all(conn, body, |conn, row| {
        let currency = required(row, "currency")?.to_string();
        let date: NaiveDate =
            parsed(row, "date")?.ok_or_else(|| AppError::field("date", "is required"))?;
        let rate: Decimal =
            parsed(row, "rate")?.ok_or_else(|| AppError::field("rate", "is required"))?;
        set_rate(conn, actor, &currency, date, rate).map(|_| ())
    })
}

pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    q: RateListQuery,
) -> Result<RateList, AppError> {
    actor.require(READ)?;
    let page = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .validate_pair::<String, NaiveDate>()?;
    let rows = repo::list(
        conn,
        actor.company_id,
        &repo::RateFilter {
            currency: q.currency.as_deref(),
            from: q.from,
            to: q.to,
            after: page.after.as_ref(),
            limit: page.fetch_limit(),
        },
    )?;
    let (rows, next_cursor) = page.finish(rows, |r| (r.0.clone(), r.1));
    Ok(RateList {
        items: rows.iter().map(to_response).collect(),
        next_cursor,
    })
}

/// The rate of `currency` in force on `date` as a decimal, and the day it was set for; 422 on
/// `currency` when none is.
pub fn rate_on(
    conn: &mut DbConnection,
    company_id: CompanyId,
    currency: &str,
    date: NaiveDate,
) -> Result<(Decimal, NaiveDate), AppError> {
    let row = repo::in_force(conn, company_id, currency, date)?.ok_or_else(|| {
        AppError::field(
            "currency",
            format!("no exchange rate of {currency} on or before {date}"),
        )
    })?;
    Ok((Decimal::new(row.2, SCALE), row.1))
}

/// The rate (×10⁹) a document in `currency` dated `date` is booked at: the unit rate for the
/// company's own currency `own`, else the rate in force on that date; 422 on `field` when
/// none is set on or before it.
pub fn document_rate(
    conn: &mut DbConnection,
    company_id: CompanyId,
    own: &str,
    currency: &str,
    date: NaiveDate,
    field: &str,
) -> Result<i64, AppError> {
    if currency == own {
        return Ok(crate::currency::UNIT_RATE);
    }
    repo::in_force(conn, company_id, currency, date)?
        .map(|row| row.2)
        .ok_or_else(|| {
            AppError::field(
                field.to_string(),
                format!("no exchange rate of {currency} on or before {date}; set one under /finance/exchange-rates"),
            )
        })
}

pub fn convert(
    conn: &mut DbConnection,
    actor: &Actor,
    q: ConvertQuery,
) -> Result<Conversion, AppError> {
    actor.require(READ)?;
    let company = actor.company_id;
    let own = crate::entry::service::company_currency(conn, company)?;
    let (rate, rate_date) = if q.currency == own {
        (Decimal::ONE, q.date)
    } else {
        rate_on(conn, company, &q.currency, q.date)?
    };
    let converted = q
        .amount
        .value()
        .checked_mul(rate)
        .map(|v| round_to_minor_unit(v, &own))
        .and_then(|v| Money::new(v).ok())
        .ok_or_else(|| AppError::field("amount", "is too large to convert"))?;
    Ok(Conversion {
        currency: q.currency,
        amount: q.amount,
        date: q.date,
        rate: rate.normalize(),
        rate_date,
        company_currency: own,
        converted,
    })
}
