//! Pipeline and manager reports, computed from the recorded deals, stage history,
//! interactions and cards.

use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;
use erp_core::auth::Actor;
use erp_core::db::schema::{
    crm_contacts as ct, crm_customers as cu, crm_deal_stages as ds, crm_deals as dl,
    crm_interactions as it, partner_contacts as pc,
};
use erp_core::db::{uuid_from_db, DbConnection};
use erp_core::error::AppError;
use erp_core::money::{round_commercial, Money, Qty};
use rust_decimal::Decimal;

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

/// The deals the report covers: the caller's own, or anyone's (one owner's) with `crm.all`.
fn deals(
    conn: &mut DbConnection,
    actor: &Actor,
    q: &ReportQuery,
) -> Result<Vec<DealRow>, AppError> {
    actor.require(access::READ)?;
    let owner = if actor.can(access::ALL) {
        q.owner_id.map(|o| o.to_string())
    } else {
        Some(actor.user_id.to_db())
    };
    let mut query = dl::table
        .filter(dl::company_id.eq(actor.company_id.to_db()))
        .into_boxed();
    if let Some(o) = owner {
        query = query.filter(dl::owner_id.eq(o));
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
    let deals: Vec<DealRow> = deals(conn, actor, &q)?
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
    }
    let mut lines: BTreeMap<String, Line> = BTreeMap::new();
    for d in deals(conn, actor, &q)? {
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
    let scope = if actor.can(access::ALL) {
        q.owner_id.map(|o| o.to_string())
    } else {
        Some(actor.user_id.to_db())
    };
    // Counted by the database, per user and kind, in the period.
    let midnight = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Bounds both backends store (their own extremes are not).
    let (low, high) = (
        chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(),
        chrono::NaiveDate::from_ymd_opt(9999, 1, 1).unwrap_or_default(),
    );
    let from = midnight(q.from.unwrap_or(low).clamp(low, high));
    let to = midnight(q.to.unwrap_or(high).clamp(low, high));
    let period = it::company_id
        .eq(&company)
        .and(it::kind.eq_any(["call", "meeting"]))
        .and(it::occurred_at.ge(from))
        .and(it::occurred_at.lt(to));
    let counts: Vec<(String, String, i64)> = match &scope {
        // One manager: the (company, user, occurred_at) index narrows it to their rows.
        Some(u) => it::table
            .filter(period.and(it::user_id.eq(u)))
            .group_by((it::user_id, it::kind))
            .select((it::user_id, it::kind, diesel::dsl::count_star()))
            .load(conn)?,
        None => it::table
            .filter(period)
            .group_by((it::user_id, it::kind))
            .select((it::user_id, it::kind, diesel::dsl::count_star()))
            .load(conn)?,
    };
    for (user, kind, n) in counts {
        let l = lines.entry(user).or_default();
        if kind == "call" {
            l.calls += n;
        } else {
            l.meetings += n;
        }
    }
    // Data quality of each manager's cards.
    let mut cards = cu::table.filter(cu::company_id.eq(&company)).into_boxed();
    if let Some(u) = &scope {
        cards = cards.filter(cu::owner_id.eq(u.clone()));
    }
    let cards: Vec<(String, Option<String>)> =
        cards.select((cu::partner_id, cu::owner_id)).load(conn)?;
    let ids: Vec<String> = cards.iter().map(|c| c.0.clone()).collect();
    let mut channels: HashMap<String, HashSet<String>> = HashMap::new();
    let mut with_contacts: HashSet<String> = HashSet::new();
    for chunk in ids.chunks(500) {
        for (p, ch) in pc::table
            .filter(pc::partner_id.eq_any(chunk))
            .select((pc::partner_id, pc::channel))
            .load::<(String, String)>(conn)?
        {
            channels.entry(p).or_default().insert(ch);
        }
        with_contacts.extend(
            ct::table
                .filter(ct::customer_id.eq_any(chunk))
                .select(ct::customer_id)
                .load::<String>(conn)?,
        );
    }
    for (id, owner) in cards {
        let Some(owner) = owner else { continue };
        let l = lines.entry(owner).or_default();
        let ch = channels.get(&id);
        l.no_phone += i64::from(!ch.is_some_and(|c| c.contains("phone")));
        l.no_email += i64::from(!ch.is_some_and(|c| c.contains("email")));
        l.no_contacts += i64::from(!with_contacts.contains(&id));
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
        });
    }
    Ok(ManagerReport { items })
}
