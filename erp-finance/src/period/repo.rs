use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::fin_periods as p;
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;

use super::model::PeriodRow;
use crate::ids::PeriodId;
use crate::period::dto::PeriodStatus;

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: PeriodId,
) -> QueryResult<Option<PeriodRow>> {
    p::table
        .find(id)
        .filter(p::company_id.eq(company_id))
        .select(PeriodRow::as_select())
        .first(conn)
        .optional()
}

/// The period whose dates cover `date`.
pub fn covering(
    conn: &mut DbConnection,
    company_id: CompanyId,
    date: NaiveDate,
) -> QueryResult<Option<PeriodRow>> {
    p::table
        .filter(p::company_id.eq(company_id))
        .filter(p::starts_on.le(date))
        .filter(p::ends_on.ge(date))
        .select(PeriodRow::as_select())
        .first(conn)
        .optional()
}

/// Periods that lie wholly within `from..=to`, in date order.
pub fn within(
    conn: &mut DbConnection,
    company_id: CompanyId,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<PeriodRow>> {
    p::table
        .filter(p::company_id.eq(company_id))
        .filter(p::starts_on.ge(from))
        .filter(p::ends_on.le(to))
        .order(p::starts_on.asc())
        .select(PeriodRow::as_select())
        .load(conn)
}

/// Periods that end before `date`, for opening balances.
pub fn ending_before(
    conn: &mut DbConnection,
    company_id: CompanyId,
    date: NaiveDate,
) -> QueryResult<Vec<PeriodId>> {
    p::table
        .filter(p::company_id.eq(company_id))
        .filter(p::ends_on.lt(date))
        .select(p::id)
        .load(conn)
}

pub fn year_exists(conn: &mut DbConnection, company_id: CompanyId, year: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        p::table
            .filter(p::company_id.eq(company_id))
            .filter(p::fiscal_year.eq(year)),
    ))
    .get_result(conn)
}

/// Any period of the company overlapping `from..=to`.
pub fn overlaps(
    conn: &mut DbConnection,
    company_id: CompanyId,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        p::table
            .filter(p::company_id.eq(company_id))
            .filter(p::starts_on.le(to))
            .filter(p::ends_on.ge(from)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &PeriodRow) -> QueryResult<()> {
    diesel::insert_into(p::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Moves the period from `from` to `to` status; false when it was not in `from`.
pub fn set_status(
    conn: &mut DbConnection,
    row: &PeriodRow,
    from: PeriodStatus,
    to: PeriodStatus,
) -> QueryResult<bool> {
    diesel::update(
        p::table
            .filter(p::id.eq(&row.id))
            .filter(p::status.eq(from)),
    )
    .set((
        p::status.eq(to),
        p::version.eq(p::version + 1),
        p::updated_at.eq(erp_core::db::now()),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Holds the period open for a posting until it commits; false when it is closed. On
/// PostgreSQL a shared row lock: postings go on side by side, a close waits for them. On
/// SQLite writers are serialised (`BEGIN IMMEDIATE`), so reading the status suffices.
pub fn hold_open(conn: &mut DbConnection, id: PeriodId) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Held {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        #[allow(dead_code)]
        one: i32,
    }
    match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(
            "SELECT 1 AS one FROM fin_periods WHERE id = $1 AND status = 'open' FOR SHARE",
        )
        .bind::<diesel::sql_types::Text, _>(id)
        .load::<Held>(pg)
        .map(|rows| !rows.is_empty()),
        DbConnection::Sqlite(_) => diesel::select(diesel::dsl::exists(
            p::table
                .filter(p::id.eq(id))
                .filter(p::status.eq(PeriodStatus::Open)),
        ))
        .get_result(conn),
    }
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    year: Option<i32>,
    status: Option<PeriodStatus>,
    page: &PageRequest,
) -> QueryResult<Vec<PeriodRow>> {
    let mut q = p::table.filter(p::company_id.eq(company_id)).into_boxed();
    if let Some(y) = year {
        q = q.filter(p::fiscal_year.eq(y));
    }
    if let Some(s) = status {
        q = q.filter(p::status.eq(s));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(p::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(p::id.gt(after.clone()));
    }
    q.order(p::id.asc())
        .limit(page.fetch_limit())
        .select(PeriodRow::as_select())
        .load(conn)
}

/// The periods of a fiscal year, in order.
pub fn list_year(
    conn: &mut DbConnection,
    company_id: CompanyId,
    year: i32,
) -> QueryResult<Vec<PeriodRow>> {
    p::table
        .filter(p::company_id.eq(company_id))
        .filter(p::fiscal_year.eq(year))
        .order(p::number.asc())
        .select(PeriodRow::as_select())
        .load(conn)
}
