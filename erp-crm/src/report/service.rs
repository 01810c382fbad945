//! Pipeline and manager reports, computed from the recorded deals, stage history,
//! interactions and cards.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use erp_core::ids::UserId;

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::filter;
use erp_core::ids::BranchId;
use erp_core::money::{round_commercial, Money, Qty};
use erp_core::org::branch;
use rust_decimal::Decimal;

use super::dto::*;
use super::repo;
use crate::access;
use crate::ids::{StageId, TeamId};
use crate::model::StageRow;
use crate::states::{DealStatus, StageKind};

fn percent(part: i64, whole: i64) -> Option<Qty> {
    (whole > 0).then(|| {
        Qty::new(round_commercial(
            Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole),
            2,
        ))
        .unwrap_or(Qty::ZERO)
    })
}

/// The managers a report covers (None: everyone): those the actor reaches (their own, their
/// team's, everyone's with `crm.all`), narrowed to the manager, team or branch asked for.
pub fn scope(
    conn: &mut DbConnection,
    actor: &Actor,
    owner_id: Option<UserId>,
    team_id: Option<TeamId>,
    branch_id: Option<BranchId>,
) -> Result<Option<Vec<String>>, AppError> {
    actor.require(access::READ)?;
    let company = actor.company_id.to_db();
    access::user_filter(conn, actor, owner_id)?;
    filter::names(branch_id, |b| branch::service::load_visible(conn, actor, b))?;
    let mut owners = access::narrow_owners(access::visible_owners(conn, actor)?, owner_id);
    let mut narrow = |within: Vec<String>| {
        owners = Some(match owners.take() {
            None => within,
            Some(o) => o.into_iter().filter(|x| within.contains(x)).collect(),
        });
    };
    if let Some(t) = team_id {
        let team = crate::team::repo::find(conn, &company, t)?.ok_or(AppError::NotFound("team"))?;
        narrow(crate::team::repo::members(conn, team.id)?);
    }
    if let Some(b) = branch_id {
        narrow(repo::users_of_branch(conn, &b.to_string())?);
    }
    Ok(owners)
}

/// The report's period as both backends can compare it: midnights of `from` and `to`,
/// open ends and dates beyond what both store clamped to 1900 and 9999.
fn period(q: &ReportQuery) -> (NaiveDate, NaiveDate) {
    let (low, high) = (
        NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(9999, 1, 1).unwrap_or_default(),
    );
    (
        q.from.unwrap_or(low).clamp(low, high),
        q.to.unwrap_or(high).clamp(low, high),
    )
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).unwrap_or_default()
}

fn midnights((from, to): (NaiveDate, NaiveDate)) -> (NaiveDateTime, NaiveDateTime) {
    (midnight(from), midnight(to))
}

pub fn pipeline(
    conn: &mut DbConnection,
    actor: &Actor,
    q: ReportQuery,
) -> Result<PipelineReport, AppError> {
    let company = actor.company_id.to_db();
    let stages = conn_stages(conn, &company)?;
    let scope = scope(conn, actor, q.owner_id, q.team_id, q.branch_id)?;
    let groups = repo::pipeline_groups(conn, &company, midnights(period(&q)), scope.as_deref())?;
    let stage: HashMap<&str, &StageRow> = stages.iter().map(|s| (s.id.as_str(), s)).collect();
    // Per stage: the deals that entered it, and of those the ones that went further (a
    // later open stage or won). Deals that entered the same stages count alike.
    let (mut entered, mut went_on) = (HashMap::<&str, i64>::new(), HashMap::<&str, i64>::new());
    for g in &groups {
        let reached: Vec<&StageRow> = g
            .reached_stages
            .split(',')
            .filter_map(|id| stage.get(id).copied())
            .collect();
        let won = reached.iter().any(|s| s.kind == StageKind::Won);
        let furthest = reached
            .iter()
            .filter(|s| s.kind == StageKind::Open)
            .map(|s| s.position)
            .max();
        for s in &reached {
            *entered.entry(s.id.as_str()).or_default() += g.deals;
            if won || furthest.is_some_and(|f| f > s.position) {
                *went_on.entry(s.id.as_str()).or_default() += g.deals;
            }
        }
    }
    let sum = |keep: &dyn Fn(&repo::DealGroup) -> bool| {
        groups
            .iter()
            .filter(|g| keep(g))
            .fold((0i64, 0i64), |(n, v), g| (n + g.deals, v + g.value))
    };
    let mut lines = Vec::new();
    for s in stages.iter().filter(|s| s.kind == StageKind::Open) {
        let (open_deals, value) = sum(&|g| g.status == DealStatus::Open && g.stage_id == s.id);
        let value = Money::from_scaled(value);
        let came = entered.get(s.id.as_str()).copied().unwrap_or(0);
        lines.push(StageLine {
            stage_id: StageId::from_db(&s.id)?,
            code: s.code.clone(),
            name: s.name.clone(),
            open_deals,
            value,
            weighted_value: Money::new(round_commercial(
                value.value() * Qty::from_scaled(s.probability).value() / Decimal::ONE_HUNDRED,
                4,
            ))
            .unwrap_or(Money::ZERO),
            entered: came,
            conversion_percent: percent(went_on.get(s.id.as_str()).copied().unwrap_or(0), came),
        });
    }
    let (won_deals, won_value) = sum(&|g| g.status == DealStatus::Won);
    Ok(PipelineReport {
        stages: lines,
        won_deals,
        won_value: Money::from_scaled(won_value),
        lost_deals: sum(&|g| g.status == DealStatus::Lost).0,
    })
}

fn conn_stages(conn: &mut DbConnection, company: &str) -> Result<Vec<StageRow>, AppError> {
    erp_core::db::write_tx(conn, |conn| crate::stage::service::stages(conn, company))
}

pub fn managers(
    conn: &mut DbConnection,
    actor: &Actor,
    q: ReportQuery,
) -> Result<ManagerReport, AppError> {
    let company = actor.company_id.to_db();
    #[derive(Default)]
    struct Line {
        won: i64,
        lost: i64,
        revenue: i64,
        cycle_days: Decimal,
        calls: i64,
        meetings: i64,
        no_phone: i64,
        no_email: i64,
        no_contacts: i64,
        meetings_without_result: i64,
    }
    let scope = scope(conn, actor, q.owner_id, q.team_id, q.branch_id)?;
    let owners = scope.as_deref();
    let days = period(&q);
    let mut lines: BTreeMap<String, Line> = BTreeMap::new();
    for d in repo::closed_deals(conn, &company, midnights(days), owners)? {
        let Some(closed) = d.closed_at else { continue };
        let l = lines.entry(d.owner_id).or_default();
        if d.status == DealStatus::Won {
            l.won += 1;
            l.revenue += d.value;
        } else {
            l.lost += 1;
        }
        l.cycle_days +=
            Decimal::from((closed - d.created_at).num_seconds()) / Decimal::from(86_400);
    }
    let calls_and_meetings = ["call", "meeting"];
    for (user, kind, n) in repo::per_day(
        conn,
        &company,
        days,
        &calls_and_meetings,
        repo::DayCount::Total,
        owners,
    )? {
        let l = lines.entry(user).or_default();
        if kind == "call" {
            l.calls += n;
        } else {
            l.meetings += n;
        }
    }
    // Meetings and visits that took place without their result: whole days before today
    // from the per-day counts, today's up to now from the interactions.
    let now = erp_core::db::now();
    let today = now.date();
    let unresulted = ["meeting", "visit"];
    let before_today = (days.0, days.1.min(today));
    let mut missing = Vec::new();
    if before_today.0 < before_today.1 {
        missing.extend(
            repo::per_day(
                conn,
                &company,
                before_today,
                &unresulted,
                repo::DayCount::WithoutResult,
                owners,
            )?
            .into_iter()
            .map(|(user, _, n)| (user, n)),
        );
    }
    if days.0 <= today && today < days.1 {
        let since = midnight(days.0.max(today));
        missing.extend(repo::without_result_between(
            conn,
            &company,
            (since, now),
            &unresulted,
            owners,
        )?);
    }
    for (user, n) in missing.into_iter().filter(|(_, n)| *n > 0) {
        lines.entry(user).or_default().meetings_without_result += n;
    }
    // Data quality of each manager's cards, counted by the database.
    for c in repo::cards_lacking(conn, &company, owners)? {
        if c.phone + c.email + c.contacts == 0 {
            continue;
        }
        let l = lines.entry(c.owner_id.unwrap_or_default()).or_default();
        (l.no_phone, l.no_email, l.no_contacts) = (c.phone, c.email, c.contacts);
    }
    let ids: Vec<String> = lines.keys().cloned().collect();
    let mut usernames = repo::usernames(conn, &ids)?;
    let mut items = Vec::new();
    for (user, l) in lines {
        let closed = l.won + l.lost;
        items.push(ManagerLine {
            user_id: UserId::from_db(&user)?,
            username: usernames.remove(&user).unwrap_or_default(),
            deals_won: l.won,
            deals_lost: l.lost,
            win_rate_percent: percent(l.won, closed),
            revenue: Money::from_scaled(l.revenue),
            average_cycle_days: (closed > 0).then(|| {
                Qty::new(round_commercial(l.cycle_days / Decimal::from(closed), 2))
                    .unwrap_or(Qty::ZERO)
            }),
            calls: l.calls,
            meetings: l.meetings,
            customers_without_phone: l.no_phone,
            customers_without_email: l.no_email,
            customers_without_contacts: l.no_contacts,
            meetings_without_result: l.meetings_without_result,
        });
    }
    Ok(ManagerReport { items })
}

/// Won deals and their value per period (deals closed in `from`..`to`, by month, quarter or
/// week), for the managers in scope.
pub fn revenue(
    conn: &mut DbConnection,
    actor: &Actor,
    q: RevenueQuery,
) -> Result<RevenueReport, AppError> {
    let scope = scope(conn, actor, q.owner_id, q.team_id, q.branch_id)?;
    let interval = q.interval.unwrap_or(Interval::Month);
    let bounds = ReportQuery {
        from: q.from,
        to: q.to,
        owner_id: None,
        team_id: None,
        branch_id: None,
    };
    let company = actor.company_id.to_db();
    let start_of = |day: NaiveDate| match interval {
        Interval::Week => day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday())),
        Interval::Month => day.with_day(1).unwrap_or(day),
        Interval::Quarter => {
            NaiveDate::from_ymd_opt(day.year(), (day.month0() / 3) * 3 + 1, 1).unwrap_or(day)
        }
    };
    let mut lines: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
    for d in repo::closed_deals(conn, &company, midnights(period(&bounds)), scope.as_deref())? {
        let Some(closed) = d.closed_at.filter(|_| d.status == DealStatus::Won) else {
            continue;
        };
        let l = lines.entry(start_of(closed.date())).or_default();
        l.0 += 1;
        l.1 += d.value;
    }
    // Each target spread evenly over its own days, the days inside the report summed per period.
    let (from, to) = period(&bounds);
    let mut targets: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
    for (start, end, target) in repo::revenue_targets(conn, &company, (from, to), scope.as_deref())?
    {
        let days = (end - start).num_days() + 1;
        if days <= 0 {
            continue;
        }
        let per_day = Money::from_scaled(target).value() / Decimal::from(days);
        let last = end.min(to.pred_opt().unwrap_or(to));
        let mut day = start.max(from);
        while day <= last {
            *targets.entry(start_of(day)).or_default() += per_day;
            lines.entry(start_of(day)).or_default();
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
    }
    let total = lines.values().map(|l| l.1).sum();
    let lines = lines
        .into_iter()
        .map(|(period_start, (deals_won, value))| {
            let target = targets
                .get(&period_start)
                .map(|t| Money::new(round_commercial(*t, 2)))
                .transpose()
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(RevenueLine {
                period_start,
                deals_won,
                revenue: Money::from_scaled(value),
                target,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(RevenueReport {
        lines,
        total: Money::from_scaled(total),
    })
}
