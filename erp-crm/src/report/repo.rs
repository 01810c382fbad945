//! The reports' queries. Each reads what the database keeps for reports: deals through the
//! indexes that cover them, interactions through their per-day counts
//! (`crm_interaction_days`), a deal's stages through its `reached_stages`.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use erp_core::db::schema::{
    crm_customers as cu, crm_deals as dl, crm_interaction_days as days, crm_interactions as it,
    crm_targets as tg, user_branches, users,
};
use erp_core::db::DbConnection;

use crate::states::DealStatus;

/// The same query for everyone (`None`) or narrowed to the managers in scope.
macro_rules! in_scope {
    ($scope:expr, $base:expr, $owner:expr, |$q:ident| $finish:expr) => {
        match $scope {
            Some(o) => {
                let $q = $base.filter($owner.eq_any(o));
                $finish
            }
            None => {
                let $q = $base;
                $finish
            }
        }
    };
}

/// Deals alike for the pipeline: how many and their value, by status, current stage and the
/// stages they entered.
#[derive(Debug, Queryable)]
pub struct DealGroup {
    pub status: DealStatus,
    pub stage_id: String,
    /// Sorted stage ids, comma-separated.
    pub reached_stages: String,
    pub deals: i64,
    pub value: i64,
}

/// The deals created in `from..to`, grouped for the pipeline.
pub fn pipeline_groups(
    conn: &mut DbConnection,
    company: &str,
    (from, to): (NaiveDateTime, NaiveDateTime),
    owners: Option<&[String]>,
) -> QueryResult<Vec<DealGroup>> {
    let base = dl::table
        .filter(dl::company_id.eq(company))
        .filter(dl::created_at.ge(from))
        .filter(dl::created_at.lt(to));
    in_scope!(owners, base, dl::owner_id, |q| q
        .group_by((dl::status, dl::stage_id, dl::reached_stages))
        .select((
            dl::status,
            dl::stage_id,
            dl::reached_stages,
            count_star(),
            sql::<BigInt>("CAST(SUM(value) AS BIGINT)"),
        ))
        .load(conn))
}

/// A deal closed in the period, as the managers report counts it.
#[derive(Debug, Queryable)]
pub struct ClosedDeal {
    pub owner_id: String,
    pub status: DealStatus,
    pub value: i64,
    pub created_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

/// The deals closed in `from..to` (read from the index `crm_deals_closed_idx` alone).
pub fn closed_deals(
    conn: &mut DbConnection,
    company: &str,
    (from, to): (NaiveDateTime, NaiveDateTime),
    owners: Option<&[String]>,
) -> QueryResult<Vec<ClosedDeal>> {
    let base = dl::table
        .filter(dl::company_id.eq(company))
        .filter(dl::closed_at.ge(from))
        .filter(dl::closed_at.lt(to));
    in_scope!(owners, base, dl::owner_id, |q| q
        .select((
            dl::owner_id,
            dl::status,
            dl::value,
            dl::created_at,
            dl::closed_at
        ))
        .load(conn))
}

/// What [`per_day`] adds up.
#[derive(Debug, Clone, Copy)]
pub enum DayCount {
    /// Every interaction.
    Total,
    /// Those recorded without a result.
    WithoutResult,
}

/// Interactions of these kinds per user and kind on the days `from..to`, from the per-day
/// counts.
pub fn per_day(
    conn: &mut DbConnection,
    company: &str,
    (from, to): (NaiveDate, NaiveDate),
    kinds: &[&str],
    count: DayCount,
    owners: Option<&[String]>,
) -> QueryResult<Vec<(String, String, i64)>> {
    let sum = sql::<BigInt>(match count {
        DayCount::Total => "CAST(SUM(total) AS BIGINT)",
        DayCount::WithoutResult => "CAST(SUM(without_result) AS BIGINT)",
    });
    let base = days::table
        .filter(days::company_id.eq(company))
        .filter(days::day.ge(from))
        .filter(days::day.lt(to))
        .filter(days::kind.eq_any(kinds));
    in_scope!(owners, base, days::user_id, |q| q
        .group_by((days::user_id, days::kind))
        .select((days::user_id, days::kind, sum))
        .load(conn))
}

/// Interactions of these kinds without a result per user, that happened in `from..=to`
/// (read from the interactions themselves: for the hours of a day that has not ended).
pub fn without_result_between(
    conn: &mut DbConnection,
    company: &str,
    (from, to): (NaiveDateTime, NaiveDateTime),
    kinds: &[&str],
    owners: Option<&[String]>,
) -> QueryResult<Vec<(String, i64)>> {
    let base = it::table
        .filter(it::company_id.eq(company))
        .filter(it::kind.eq_any(kinds))
        .filter(it::result.is_null())
        .filter(it::occurred_at.ge(from))
        .filter(it::occurred_at.le(to));
    in_scope!(owners, base, it::user_id, |q| q
        .group_by(it::user_id)
        .select((it::user_id, count_star()))
        .load(conn))
}

/// An owner's customer cards without a phone, without an e-mail, without contact people.
#[derive(Debug, Queryable)]
pub struct CardsLacking {
    pub owner_id: Option<String>,
    pub phone: i64,
    pub email: i64,
    pub contacts: i64,
}

/// What each owner's cards lack (read from the index `crm_customers_quality_idx` alone).
pub fn cards_lacking(
    conn: &mut DbConnection,
    company: &str,
    owners: Option<&[String]>,
) -> QueryResult<Vec<CardsLacking>> {
    let cards = cu::table
        .filter(cu::company_id.eq(company))
        .filter(cu::owner_id.is_not_null());
    in_scope!(owners, cards, cu::owner_id, |q| q
        .group_by(cu::owner_id)
        .select((
            cu::owner_id,
            sql::<BigInt>("CAST(SUM(CASE WHEN has_phone THEN 0 ELSE 1 END) AS BIGINT)"),
            sql::<BigInt>("CAST(SUM(CASE WHEN has_email THEN 0 ELSE 1 END) AS BIGINT)"),
            sql::<BigInt>("CAST(SUM(CASE WHEN has_contacts THEN 0 ELSE 1 END) AS BIGINT)"),
        ))
        .load(conn))
}

/// The users working in a branch.
pub fn users_of_branch(conn: &mut DbConnection, branch: &str) -> QueryResult<Vec<String>> {
    user_branches::table
        .filter(user_branches::branch_id.eq(branch))
        .select(user_branches::user_id)
        .load(conn)
}

/// Usernames by user id.
pub fn usernames(conn: &mut DbConnection, ids: &[String]) -> QueryResult<HashMap<String, String>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, String)> = users::table
            .filter(users::id.eq_any(chunk))
            .select((users::id, users::username))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// The revenue targets (period start, last day, scaled target) of the managers in `scope`
/// (everyone's when None) whose periods meet [from, to).
pub fn revenue_targets(
    conn: &mut DbConnection,
    company_id: &str,
    (from, to): (NaiveDate, NaiveDate),
    scope: Option<&[String]>,
) -> QueryResult<Vec<(NaiveDate, NaiveDate, i64)>> {
    let mut q = tg::table
        .filter(tg::company_id.eq(company_id))
        .filter(tg::metric.eq("revenue"))
        .filter(tg::period_end.ge(from))
        .filter(tg::period_start.lt(to))
        .into_boxed();
    if let Some(owners) = scope {
        q = q.filter(tg::user_id.eq_any(owners.to_vec()));
    }
    q.select((tg::period_start, tg::period_end, tg::target))
        .load(conn)
}
