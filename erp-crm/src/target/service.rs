use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::schema::{crm_deals as dl, crm_interactions as it, crm_targets as tg};
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, uuid_from_db, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::{round_commercial, Money, Qty};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::access;
use crate::model::TargetRow;

/// What a target counts. `contacts`: interactions with customers other than notes (calls,
/// meetings, visits, e-mails) the manager recorded; `meetings`: meetings and visits;
/// `deals_closed`: deals the manager owns won in the period; `revenue`: their value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Contacts,
    Meetings,
    DealsClosed,
    Revenue,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetRequest {
    pub user_id: Uuid,
    pub metric: Metric,
    pub period_start: NaiveDate,
    /// The last day of the period.
    pub period_end: NaiveDate,
    /// A count, or money for revenue.
    pub target: Money,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// Default the caller; others need `crm.all`, or to be in a team the caller leads.
    pub user_id: Option<Uuid>,
    /// Targets whose period contains this date (default today).
    pub date: Option<NaiveDate>,
    /// The targets of every manager the caller works for instead: themselves, the members of
    /// the teams they lead, everyone with `crm.all` (a team lead's view). Not with `user_id`.
    pub team: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Progress {
    pub target_id: Uuid,
    pub user_id: Uuid,
    pub username: String,
    pub metric: Metric,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub target: Money,
    pub actual: Money,
    /// What is left to reach the target (0 once reached).
    pub remaining: Money,
    pub percent: Qty,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProgressList {
    pub items: Vec<Progress>,
}

pub fn set(
    conn: &mut DbConnection,
    actor: &Actor,
    req: TargetRequest,
) -> Result<Progress, AppError> {
    // The head of sales sets anyone's targets, a team lead the members'; nobody their own.
    let leads = req.user_id.to_string() != actor.user_id.to_db()
        && access::reaches_user(conn, actor, &req.user_id.to_string())?;
    if !(actor.can(access::ALL) || leads) {
        return Err(AppError::Forbidden(access::ALL.into()));
    }
    let mut v = Validator::new();
    v.check(
        req.period_end >= req.period_start,
        "period_end",
        "must not be before period_start",
    );
    v.check(
        req.target.value() > Decimal::ZERO,
        "target",
        "must be positive",
    );
    v.check(
        req.metric == Metric::Revenue || req.target.value().fract().is_zero(),
        "target",
        "a count is a whole number",
    );
    v.finish()?;
    crate::customer::service::check_user(conn, actor, req.user_id, "user_id")?;
    let target = req
        .target
        .to_scaled()
        .map_err(|e| AppError::field("target", e.to_string()))?;
    let row = write_tx(conn, |conn| {
        let user_id = req.user_id.to_string();
        let metric = enum_to_db(&req.metric);
        let existing: Option<TargetRow> = tg::table
            .filter(tg::user_id.eq(&user_id))
            .filter(tg::metric.eq(&metric))
            .filter(tg::period_start.eq(req.period_start))
            .select(TargetRow::as_select())
            .first(conn)
            .optional()?;
        let row = TargetRow {
            id: existing.as_ref().map_or_else(new_id, |t| t.id.clone()),
            company_id: actor.company_id.to_db(),
            user_id,
            metric,
            period_start: req.period_start,
            period_end: req.period_end,
            target,
            created_at: now(),
        };
        match &existing {
            Some(old) => diesel::update(tg::table.find(&old.id))
                .set((tg::period_end.eq(row.period_end), tg::target.eq(row.target)))
                .execute(conn)?,
            None => diesel::insert_into(tg::table).values(&row).execute(conn)?,
        };
        let before = existing.map(|old| Money::from_scaled(old.target));
        audit::record(
            conn,
            actor,
            "crm_target",
            &row.id,
            Change::saved(before.as_ref(), &req.target),
        )?;
        Ok::<_, AppError>(row)
    })?;
    measure(conn, &row)
}

pub fn progress(
    conn: &mut DbConnection,
    actor: &Actor,
    q: ProgressQuery,
) -> Result<ProgressList, AppError> {
    actor.require(access::READ)?;
    if q.team == Some(true) && q.user_id.is_some() {
        return Err(AppError::field("team", "give team or user_id, not both"));
    }
    let users: Option<Vec<String>> = match q.user_id {
        _ if q.team == Some(true) => access::visible_owners(conn, actor)?,
        Some(u) if u.to_string() != actor.user_id.to_db() => {
            if !access::reaches_user(conn, actor, &u.to_string())? {
                return Err(AppError::Forbidden(access::ALL.into()));
            }
            Some(vec![u.to_string()])
        }
        _ => Some(vec![actor.user_id.to_db()]),
    };
    let date = q.date.unwrap_or_else(|| now().date());
    let mut query = tg::table
        .filter(tg::company_id.eq(actor.company_id.to_db()))
        .filter(tg::period_start.le(date))
        .filter(tg::period_end.ge(date))
        .into_boxed();
    if let Some(users) = users {
        query = query.filter(tg::user_id.eq_any(users));
    }
    let rows: Vec<TargetRow> = query
        .order((tg::user_id, tg::metric, tg::period_start))
        .select(TargetRow::as_select())
        .load(conn)?;
    let items = rows
        .iter()
        .map(|r| measure(conn, r))
        .collect::<Result<_, _>>()?;
    Ok(ProgressList { items })
}

/// The target against what the records show for its period, counted by the database.
fn measure(conn: &mut DbConnection, t: &TargetRow) -> Result<Progress, AppError> {
    let metric: Metric = enum_from_db(&t.metric)?;
    let from = t
        .period_start
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists");
    let until = (t.period_end + chrono::Days::new(1))
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists");
    let interactions = |kinds: &[&str]| {
        it::table
            .filter(it::company_id.eq(&t.company_id))
            .filter(it::user_id.eq(&t.user_id))
            .filter(it::occurred_at.ge(from))
            .filter(it::occurred_at.lt(until))
            .filter(it::kind.eq_any(kinds.iter().map(|k| k.to_string()).collect::<Vec<_>>()))
            .count()
    };
    let won = dl::table
        .filter(dl::company_id.eq(&t.company_id))
        .filter(dl::owner_id.eq(&t.user_id))
        .filter(dl::status.eq("won"))
        .filter(dl::closed_at.ge(from))
        .filter(dl::closed_at.lt(until));
    let actual = match metric {
        Metric::Contacts => Decimal::from(
            interactions(&["call", "meeting", "visit", "email"]).get_result::<i64>(conn)?,
        ),
        Metric::Meetings => {
            Decimal::from(interactions(&["meeting", "visit"]).get_result::<i64>(conn)?)
        }
        Metric::DealsClosed => Decimal::from(won.count().get_result::<i64>(conn)?),
        Metric::Revenue => {
            let values: Vec<i64> = won.select(dl::value).load(conn)?;
            Money::from_scaled(values.iter().sum()).value()
        }
    };
    let target = Money::from_scaled(t.target).value();
    let remaining = (target - actual).max(Decimal::ZERO);
    let percent = round_commercial(actual * Decimal::from(100) / target, 2);
    let money = |d: Decimal| Money::new(d).map_err(|e| AppError::Internal(e.to_string()));
    let username = crate::report::repo::usernames(conn, std::slice::from_ref(&t.user_id))?
        .remove(&t.user_id)
        .unwrap_or_default();
    Ok(Progress {
        target_id: uuid_from_db(&t.id)?,
        user_id: uuid_from_db(&t.user_id)?,
        username,
        metric,
        period_start: t.period_start,
        period_end: t.period_end,
        target: money(target)?,
        actual: money(actual)?,
        remaining: money(remaining)?,
        percent: Qty::new(percent).map_err(|e| AppError::Internal(e.to_string()))?,
    })
}

/// The progress as bars: what is done against the target mark, per manager and metric, with
/// "5 of 10, 5 to go" written out.
pub fn progress_chart(list: &ProgressList, team: bool) -> erp_core::chart::BarChart {
    let mut chart = erp_core::chart::BarChart::new(
        if team {
            "Targets of the team"
        } else {
            "Targets"
        },
        "What each target asks for the period, what the records show so far, and what is left",
        &["done"],
    );
    for p in &list.items {
        let metric = match p.metric {
            Metric::Contacts => "contacts",
            Metric::Meetings => "meetings",
            Metric::DealsClosed => "deals closed",
            Metric::Revenue => "revenue",
        };
        let label = if team {
            format!("{}: {metric}", p.username)
        } else {
            metric.to_string()
        };
        // Revenue is money; the other metrics count, and show as whole numbers.
        let show = |m: Money| match p.metric {
            Metric::Revenue => m.to_string(),
            _ => m.value().normalize().to_string(),
        };
        let left = if p.remaining.value().is_zero() {
            "reached".to_string()
        } else {
            format!("{} to go", show(p.remaining))
        };
        chart.row(
            label,
            vec![p.actual.value()],
            Some(p.target.value()),
            format!("{} of {}, {left}", show(p.actual), show(p.target)),
        );
    }
    chart
}
