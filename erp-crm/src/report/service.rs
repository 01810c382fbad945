//! Pipeline and manager reports, computed from the recorded deals, stage history,
//! interactions and cards.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Datelike;

use diesel::prelude::*;
use erp_core::auth::Actor;
use erp_core::db::schema::{
    crm_contacts as ct, crm_customers as cu, crm_deal_stages as ds, crm_deals as dl,
    crm_interactions as it, partner_contacts as pc, user_branches,
};
use erp_core::db::{uuid_from_db, DbConnection};
use erp_core::error::AppError;
use erp_core::money::{round_commercial, Money, Qty};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::dto::*;
use crate::access;
use crate::model::DealRow;

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
    owner_id: Option<Uuid>,
    team_id: Option<Uuid>,
    branch_id: Option<Uuid>,
) -> Result<Option<Vec<String>>, AppError> {
    actor.require(access::READ)?;
    let company = actor.company_id.to_db();
    let mut owners = access::narrow_owners(access::visible_owners(conn, actor)?, owner_id);
    let mut narrow = |within: Vec<String>| {
        owners = Some(match owners.take() {
            None => within,
            Some(o) => o.into_iter().filter(|x| within.contains(x)).collect(),
        });
    };
    if let Some(t) = team_id {
        let team = crate::team::service::find(conn, &company, &t.to_string())?
            .ok_or_else(|| AppError::field("team_id", "no such team"))?;
        narrow(crate::team::service::members(conn, &team.id)?);
    }
    if let Some(b) = branch_id {
        narrow(
            user_branches::table
                .filter(user_branches::branch_id.eq(b.to_string()))
                .select(user_branches::user_id)
                .load(conn)?,
        );
    }
    Ok(owners)
}

/// The deals the report covers.
fn deals(
    conn: &mut DbConnection,
    actor: &Actor,
    scope: &Option<Vec<String>>,
) -> Result<Vec<DealRow>, AppError> {
    let mut query = dl::table
        .filter(dl::company_id.eq(actor.company_id.to_db()))
        .into_boxed();
    if let Some(o) = scope {
        query = query.filter(dl::owner_id.eq_any(o.clone()));
    }
    Ok(query.select(DealRow::as_select()).load(conn)?)
}

fn in_period(at: chrono::NaiveDateTime, q: &ReportQuery) -> bool {
    q.from.is_none_or(|f| at.date() >= f) && q.to.is_none_or(|t| at.date() < t)
}

pub fn pipeline(
    conn: &mut DbConnection,
    actor: &Actor,
    q: ReportQuery,
) -> Result<PipelineReport, AppError> {
    let stages = conn_stages(conn, &actor.company_id.to_db())?;
    let scope = scope(conn, actor, q.owner_id, q.team_id, q.branch_id)?;
    let deals: Vec<DealRow> = deals(conn, actor, &scope)?
        .into_iter()
        .filter(|d| in_period(d.created_at, &q))
        .collect();
    let ids: Vec<String> = deals.iter().map(|d| d.id.clone()).collect();
    let mut entered: HashMap<String, HashSet<String>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, String)> = ds::table
            .filter(ds::deal_id.eq_any(chunk))
            .select((ds::deal_id, ds::to_stage_id))
            .load(conn)?;
        for (deal, stage) in rows {
            entered.entry(stage).or_default().insert(deal);
        }
    }
    let position: HashMap<&str, i32> = stages.iter().map(|s| (s.id.as_str(), s.position)).collect();
    let kind: HashMap<&str, &str> = stages
        .iter()
        .map(|s| (s.id.as_str(), s.kind.as_str()))
        .collect();
    // How far each deal got: the highest open-stage position, or won.
    let mut furthest: HashMap<&str, (i32, bool)> = HashMap::new();
    for (stage, ds) in &entered {
        for d in ds {
            let e = furthest.entry(d.as_str()).or_insert((i32::MIN, false));
            match kind.get(stage.as_str()) {
                Some(&"won") => e.1 = true,
                Some(&"open") => {
                    e.0 =
                        e.0.max(position.get(stage.as_str()).copied().unwrap_or(i32::MIN))
                }
                _ => {}
            }
        }
    }
    let mut lines = Vec::new();
    for s in stages.iter().filter(|s| s.kind == "open") {
        let here: Vec<&DealRow> = deals
            .iter()
            .filter(|d| d.status == "open" && d.stage_id == s.id)
            .collect();
        let value: i64 = here.iter().map(|d| d.value).sum();
        let value = Money::from_scaled(value);
        let came = entered.get(&s.id).map(|x| x.len() as i64).unwrap_or(0);
        let went_on = entered.get(&s.id).map_or(0, |x| {
            x.iter()
                .filter(|d| {
                    furthest
                        .get(d.as_str())
                        .is_some_and(|(p, won)| *won || *p > s.position)
                })
                .count() as i64
        });
        lines.push(StageLine {
            stage_id: uuid_from_db(&s.id)?,
            code: s.code.clone(),
            name: s.name.clone(),
            open_deals: here.len() as i64,
            value,
            weighted_value: Money::new(round_commercial(
                value.value() * Qty::from_scaled(s.probability).value() / Decimal::ONE_HUNDRED,
                4,
            ))
            .unwrap_or(Money::ZERO),
            entered: came,
            conversion_percent: percent(went_on, came),
        });
    }
    let won: Vec<&DealRow> = deals.iter().filter(|d| d.status == "won").collect();
    Ok(PipelineReport {
        stages: lines,
        won_deals: won.len() as i64,
        won_value: Money::from_scaled(won.iter().map(|d| d.value).sum()),
        lost_deals: deals.iter().filter(|d| d.status == "lost").count() as i64,
    })
}

fn conn_stages(
    conn: &mut DbConnection,
    company: &str,
) -> Result<Vec<crate::model::StageRow>, AppError> {
    erp_core::db::write_tx(conn, |conn| crate::deal::service::stages(conn, company))
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
    let mut lines: BTreeMap<String, Line> = BTreeMap::new();
    for d in deals(conn, actor, &scope)? {
        let Some(closed) = d.closed_at.filter(|c| in_period(*c, &q)) else {
            continue;
        };
        let l = lines.entry(d.owner_id.clone()).or_default();
        if d.status == "won" {
            l.won += 1;
            l.revenue += d.value;
        } else {
            l.lost += 1;
        }
        l.cycle_days +=
            Decimal::from((closed - d.created_at).num_seconds()) / Decimal::from(86_400);
    }
    // Counted by the database, per user and kind, in the period.
    let midnight = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Bounds both backends store (their own extremes are not).
    let (low, high) = (
        chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(),
        chrono::NaiveDate::from_ymd_opt(9999, 1, 1).unwrap_or_default(),
    );
    let from = midnight(q.from.unwrap_or(low).clamp(low, high));
    let to = midnight(q.to.unwrap_or(high).clamp(low, high));
    // The same query for everyone or narrowed to the managers in scope.
    macro_rules! in_scope {
        ($base:expr, $owner:expr, |$q:ident| $finish:expr) => {
            match &scope {
                Some(o) => {
                    let $q = $base.filter($owner.eq_any(o.clone()));
                    $finish
                }
                None => {
                    let $q = $base;
                    $finish
                }
            }
        };
    }
    let period = it::table
        .filter(it::company_id.eq(&company))
        .filter(it::occurred_at.ge(from))
        .filter(it::occurred_at.lt(to));
    // The (company, user, occurred_at) index narrows these to the managers' rows.
    let counts: Vec<(String, String, i64)> = in_scope!(
        period.filter(it::kind.eq_any(["call", "meeting"])),
        it::user_id,
        |q| q
            .group_by((it::user_id, it::kind))
            .select((it::user_id, it::kind, diesel::dsl::count_star()))
            .load(conn)?
    );
    for (user, kind, n) in counts {
        let l = lines.entry(user).or_default();
        if kind == "call" {
            l.calls += n;
        } else {
            l.meetings += n;
        }
    }
    let no_result: Vec<(String, i64)> = in_scope!(
        period
            .filter(it::kind.eq_any(["meeting", "visit"]))
            .filter(it::result.is_null())
            .filter(it::occurred_at.le(erp_core::db::now())),
        it::user_id,
        |q| q
            .group_by(it::user_id)
            .select((it::user_id, diesel::dsl::count_star()))
            .load(conn)?
    );
    for (user, n) in no_result {
        lines.entry(user).or_default().meetings_without_result = n;
    }
    // Data quality of each manager's cards, counted by the database.
    let cards = cu::table
        .filter(cu::company_id.eq(&company))
        .filter(cu::owner_id.is_not_null());
    type Counts = Vec<(Option<String>, i64)>;
    let no_phone: Counts = in_scope!(
        cards.filter(diesel::dsl::not(diesel::dsl::exists(
            pc::table
                .filter(pc::partner_id.eq(cu::partner_id))
                .filter(pc::channel.eq("phone"))
        ))),
        cu::owner_id,
        |q| q
            .group_by(cu::owner_id)
            .select((cu::owner_id, diesel::dsl::count_star()))
            .load(conn)?
    );
    let no_email: Counts = in_scope!(
        cards.filter(diesel::dsl::not(diesel::dsl::exists(
            pc::table
                .filter(pc::partner_id.eq(cu::partner_id))
                .filter(pc::channel.eq("email"))
        ))),
        cu::owner_id,
        |q| q
            .group_by(cu::owner_id)
            .select((cu::owner_id, diesel::dsl::count_star()))
            .load(conn)?
    );
    let no_contacts: Counts = in_scope!(
        cards.filter(diesel::dsl::not(diesel::dsl::exists(
            ct::table.filter(ct::customer_id.eq(cu::partner_id))
        ))),
        cu::owner_id,
        |q| q
            .group_by(cu::owner_id)
            .select((cu::owner_id, diesel::dsl::count_star()))
            .load(conn)?
    );
    for (owner, n) in no_phone {
        lines.entry(owner.unwrap_or_default()).or_default().no_phone = n;
    }
    for (owner, n) in no_email {
        lines.entry(owner.unwrap_or_default()).or_default().no_email = n;
    }
    for (owner, n) in no_contacts {
        lines
            .entry(owner.unwrap_or_default())
            .or_default()
            .no_contacts = n;
    }
    let mut items = Vec::new();
    for (user, l) in lines {
        let username = erp_core::iam::user::repo::find(conn, &user)?
            .map(|u| u.username)
            .unwrap_or_default();
        let closed = l.won + l.lost;
        items.push(ManagerLine {
            user_id: uuid_from_db(&user)?,
            username,
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
    let mut lines: BTreeMap<chrono::NaiveDate, (i64, i64)> = BTreeMap::new();
    for d in deals(conn, actor, &scope)? {
        let Some(closed) = d
            .closed_at
            .filter(|c| d.status == "won" && in_period(*c, &bounds))
        else {
            continue;
        };
        let day = closed.date();
        let start = match interval {
            Interval::Week => {
                day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
            }
            Interval::Month => day.with_day(1).unwrap_or(day),
            Interval::Quarter => {
                chrono::NaiveDate::from_ymd_opt(day.year(), (day.month0() / 3) * 3 + 1, 1)
                    .unwrap_or(day)
            }
        };
        let l = lines.entry(start).or_default();
        l.0 += 1;
        l.1 += d.value;
    }
    let total = lines.values().map(|l| l.1).sum();
    Ok(RevenueReport {
        lines: lines
            .into_iter()
            .map(|(period_start, (deals_won, value))| RevenueLine {
                period_start,
                deals_won,
                revenue: Money::from_scaled(value),
            })
            .collect(),
        total: Money::from_scaled(total),
    })
}
