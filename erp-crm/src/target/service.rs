use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::UserId;
use erp_core::money::{round_commercial, Money, Qty};
use rust_decimal::Decimal;

pub use super::dto::*;
use super::repo;
use crate::access;
use crate::ids::TargetId;
use crate::model::TargetRow;

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
    access::check_user(conn, actor, req.user_id, "user_id")?;
    let target = req
        .target
        .to_scaled()
        .map_err(|e| AppError::field("target", e.to_string()))?;
    let row = write_tx(conn, |conn| {
        let user_id = req.user_id.to_string();
        let metric = enum_to_db(&req.metric);
        let existing = repo::find_same(conn, &user_id, &metric, req.period_start)?;
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
            Some(_) => repo::update(conn, &row)?,
            None => repo::insert(conn, &row)?,
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
    access::user_filter(conn, actor, q.user_id)?;
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
    let rows = repo::in_force(conn, &actor.company_id.to_db(), date, users.as_deref())?;
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
    let actual = match metric {
        Metric::Contacts => Decimal::from(repo::interactions(
            conn,
            t,
            (from, until),
            &["call", "meeting", "visit", "email"],
        )?),
        Metric::Meetings => Decimal::from(repo::interactions(
            conn,
            t,
            (from, until),
            &["meeting", "visit"],
        )?),
        Metric::DealsClosed => Decimal::from(repo::won_values(conn, t, (from, until))?.len()),
        Metric::Revenue => {
            Money::from_scaled(repo::won_values(conn, t, (from, until))?.iter().sum()).value()
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
        target_id: TargetId::from_db(&t.id)?,
        user_id: UserId::from_db(&t.user_id)?,
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
