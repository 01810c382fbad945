//! Queries of targets and of what they are measured against.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{crm_deals as dl, crm_interactions as it, crm_targets as tg};
use erp_core::db::DbConnection;

use crate::model::TargetRow;
use crate::states::DealStatus;

/// The user's target for this metric starting that day, if set.
pub fn find_same(
    conn: &mut DbConnection,
    user_id: &str,
    metric: &str,
    period_start: NaiveDate,
) -> QueryResult<Option<TargetRow>> {
    tg::table
        .filter(tg::user_id.eq(user_id))
        .filter(tg::metric.eq(metric))
        .filter(tg::period_start.eq(period_start))
        .select(TargetRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, t: &TargetRow) -> QueryResult<usize> {
    diesel::insert_into(tg::table).values(t).execute(conn)
}

/// Writes a target's period end and figure.
pub fn update(conn: &mut DbConnection, t: &TargetRow) -> QueryResult<usize> {
    diesel::update(tg::table.find(&t.id))
        .set((tg::period_end.eq(t.period_end), tg::target.eq(t.target)))
        .execute(conn)
}

/// The company's targets whose period holds `date`, of these users when given.
pub fn in_force(
    conn: &mut DbConnection,
    company: &str,
    date: NaiveDate,
    users: Option<&[String]>,
) -> QueryResult<Vec<TargetRow>> {
    let mut query = tg::table
        .filter(tg::company_id.eq(company))
        .filter(tg::period_start.le(date))
        .filter(tg::period_end.ge(date))
        .into_boxed();
    if let Some(users) = users {
        query = query.filter(tg::user_id.eq_any(users.to_vec()));
    }
    query
        .order((tg::user_id, tg::metric, tg::period_start))
        .select(TargetRow::as_select())
        .load(conn)
}

/// How many interactions of these kinds the target's user recorded in `[from, until)`.
pub fn interactions(
    conn: &mut DbConnection,
    t: &TargetRow,
    (from, until): (NaiveDateTime, NaiveDateTime),
    kinds: &[&str],
) -> QueryResult<i64> {
    it::table
        .filter(it::company_id.eq(&t.company_id))
        .filter(it::user_id.eq(&t.user_id))
        .filter(it::occurred_at.ge(from))
        .filter(it::occurred_at.lt(until))
        .filter(it::kind.eq_any(kinds.iter().map(|k| k.to_string()).collect::<Vec<_>>()))
        .count()
        .get_result(conn)
}

/// The values of the deals the target's user won in `[from, until)`.
pub fn won_values(
    conn: &mut DbConnection,
    t: &TargetRow,
    (from, until): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<i64>> {
    dl::table
        .filter(dl::company_id.eq(&t.company_id))
        .filter(dl::owner_id.eq(&t.user_id))
        .filter(dl::status.eq(DealStatus::Won))
        .filter(dl::closed_at.ge(from))
        .filter(dl::closed_at.lt(until))
        .select(dl::value)
        .load(conn)
}
