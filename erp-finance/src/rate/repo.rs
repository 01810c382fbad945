use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::fin_exchange_rates as r;
use erp_core::db::{update_or_insert, DbConnection, Upserted};
use erp_core::ids::CompanyId;

/// (currency, date, rate ×10⁹, updated at).
pub type RateRow = (String, NaiveDate, i64, NaiveDateTime);

pub fn set(
    conn: &mut DbConnection,
    company_id: CompanyId,
    currency: &str,
    date: NaiveDate,
    rate: i64,
    user: &str,
    at: NaiveDateTime,
) -> QueryResult<Upserted> {
    update_or_insert(
        conn,
        |c| {
            diesel::update(
                r::table
                    .filter(r::company_id.eq(company_id))
                    .filter(r::currency.eq(currency))
                    .filter(r::rate_date.eq(date)),
            )
            .set((
                r::rate.eq(rate),
                r::updated_by.eq(user),
                r::updated_at.eq(at),
            ))
            .execute(c)
        },
        |c| {
            diesel::insert_into(r::table)
                .values((
                    r::company_id.eq(company_id),
                    r::currency.eq(currency),
                    r::rate_date.eq(date),
                    r::rate.eq(rate),
                    r::updated_by.eq(user),
                    r::updated_at.eq(at),
                ))
                .execute(c)
        },
    )
}

/// The rate in force on `date`: the latest set on or before it.
pub fn in_force(
    conn: &mut DbConnection,
    company_id: CompanyId,
    currency: &str,
    date: NaiveDate,
) -> QueryResult<Option<RateRow>> {
    r::table
        .filter(r::company_id.eq(company_id))
        .filter(r::currency.eq(currency))
        .filter(r::rate_date.le(date))
        .order(r::rate_date.desc())
        .select((r::currency, r::rate_date, r::rate, r::updated_at))
        .first(conn)
        .optional()
}

/// Which rates a page of the list reads.
pub struct RateFilter<'a> {
    pub currency: Option<&'a str>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Rows after this (currency, date).
    pub after: Option<&'a (String, NaiveDate)>,
    pub limit: i64,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &RateFilter,
) -> QueryResult<Vec<RateRow>> {
    let (currency, from, to) = (f.currency, f.from, f.to);
    let mut q = r::table.filter(r::company_id.eq(company_id)).into_boxed();
    if let Some(c) = currency {
        q = q.filter(r::currency.eq(c.to_string()));
    }
    if let Some(d) = from {
        q = q.filter(r::rate_date.ge(d));
    }
    if let Some(d) = to {
        q = q.filter(r::rate_date.le(d));
    }
    if let Some((c, d)) = f.after {
        q = q.filter(
            r::currency
                .gt(c.clone())
                .or(r::currency.eq(c.clone()).and(r::rate_date.gt(*d))),
        );
    }
    q.order((r::currency, r::rate_date))
        .limit(f.limit)
        .select((r::currency, r::rate_date, r::rate, r::updated_at))
        .load(conn)
}
