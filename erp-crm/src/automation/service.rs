//! Automation rules, applied in the transaction of the event that triggers them, and the
//! assignment of new leads.

use chrono::Duration;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Money;
use std::collections::BTreeMap;

use erp_core::ids::UserId;

use super::dto::*;
use super::repo;
use crate::access;
use crate::ids::{RuleId, StageId, TeamId};
use crate::model::{AssignmentRow, DealRow, RuleRow};
use crate::task::{dto::Priority, repo as task_repo, service::new_task};

fn to_response(r: &RuleRow) -> Result<RuleResponse, AppError> {
    Ok(RuleResponse {
        id: RuleId::from_db(&r.id)?,
        trigger: enum_from_db(&r.trigger_kind)?,
        stage_id: StageId::from_db_opt(r.stage_id.as_deref())?,
        days: r.days,
        task_title: r.task_title.clone(),
        active: r.active,
        created_at: r.created_at.and_utc(),
    })
}

pub fn list_rules(conn: &mut DbConnection, actor: &Actor) -> Result<RuleList, AppError> {
    actor.require(access::CONFIGURE)?;
    let items = repo::rules(conn, &actor.company_id.to_db())?
        .iter()
        .map(to_response)
        .collect::<Result<_, _>>()?;
    Ok(RuleList { items })
}

pub fn create_rule(
    conn: &mut DbConnection,
    actor: &Actor,
    req: RuleRequest,
) -> Result<RuleResponse, AppError> {
    actor.require(access::CONFIGURE)?;
    let mut v = Validator::new();
    v.check(
        (0..=3650).contains(&req.days),
        "days",
        "must be between 0 and 3650",
    );
    v.opt_text("task_title", req.task_title.as_deref(), 200);
    match req.trigger {
        Trigger::DealStageEntered => {
            v.check(
                req.stage_id.is_some(),
                "stage_id",
                "a stage rule names its stage",
            );
            v.check(
                req.task_title.is_some(),
                "task_title",
                "the rule makes a task: give its title",
            );
        }
        Trigger::NoContact => {
            v.check(
                req.days > 0,
                "days",
                "must be at least 1 day without contact",
            );
            v.check(
                req.task_title.is_some(),
                "task_title",
                "the rule makes a task: give its title",
            );
        }
        Trigger::UnknownCaller => v.check(
            req.stage_id.is_none(),
            "stage_id",
            "only stage rules name a stage",
        ),
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        if let Some(s) = req.stage_id {
            let known = crate::stage::service::stages(conn, &company)?
                .iter()
                .any(|x| x.id == s.to_string());
            if !known {
                return Err(AppError::field("stage_id", "no such stage"));
            }
        }
        let r = RuleRow {
            id: new_id(),
            company_id: company,
            trigger_kind: enum_to_db(&req.trigger),
            stage_id: req.stage_id.map(|s| s.to_string()),
            days: req.days,
            task_title: req.task_title.as_ref().map(|t| t.trim().to_string()),
            active: true,
            created_at: now(),
        };
        repo::insert_rule(conn, &r)?;
        let out = to_response(&r)?;
        audit::record(conn, actor, "crm_rule", &r.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn deactivate_rule(conn: &mut DbConnection, actor: &Actor, id: RuleId) -> Result<(), AppError> {
    actor.require(access::CONFIGURE)?;
    write_tx(conn, |conn| {
        if !repo::deactivate_rule(conn, &id.to_string(), &actor.company_id.to_db())? {
            return Err(AppError::NotFound("crm_rule"));
        }
        audit::record::<()>(
            conn,
            actor,
            "crm_rule",
            &id.to_string(),
            Change::Action("deactivate", None),
        )?;
        Ok(())
    })
}

/// Applies the stage rules to a deal that just entered its stage (inside the caller's
/// transaction).
pub fn on_stage_entered(
    conn: &mut DbConnection,
    deal: &DealRow,
    by: &str,
) -> Result<u32, AppError> {
    let mut made = 0;
    for r in repo::active_rules(conn, &deal.company_id, "deal_stage_entered")? {
        if r.stage_id.as_deref() != Some(deal.stage_id.as_str()) {
            continue;
        }
        let mut t = new_task(
            &deal.company_id,
            r.task_title.as_deref().unwrap_or("Follow up"),
            Some(format!("deal: {}", deal.title)),
            now() + Duration::days(i64::from(r.days)),
            Priority::Normal,
            &deal.owner_id,
            Some(deal.customer_id.clone()),
            Some(deal.id.clone()),
            by,
        );
        t.rule_id = Some(r.id.clone());
        task_repo::insert(conn, &t)?;
        made += 1;
    }
    Ok(made)
}

/// The active unknown-caller rule, if the company has one.
pub fn unknown_caller_rule(
    conn: &mut DbConnection,
    company_id: &str,
) -> Result<Option<RuleRow>, AppError> {
    Ok(repo::active_rules(conn, company_id, "unknown_caller")?
        .into_iter()
        .next())
}

/// Makes the follow-up tasks of the no-contact rules; a customer gets one open task per rule.
pub fn sweep(conn: &mut DbConnection, actor: &Actor) -> Result<SweepResult, AppError> {
    actor.require(access::CONFIGURE)?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let mut made = 0;
        for r in repo::active_rules(conn, &company, "no_contact")? {
            let before = now() - Duration::days(i64::from(r.days));
            for c in repo::quiet_customers(conn, &company, before, &r.id)? {
                let Some(owner) = c.owner_id.clone() else {
                    continue;
                };
                let mut t = new_task(
                    &company,
                    r.task_title.as_deref().unwrap_or("Get in touch"),
                    Some(format!("no contact for {} days", r.days)),
                    now(),
                    Priority::Normal,
                    &owner,
                    Some(c.partner_id.clone()),
                    None,
                    &actor.user_id.to_db(),
                );
                t.rule_id = Some(r.id.clone());
                task_repo::insert(conn, &t)?;
                made += 1;
            }
        }
        Ok(SweepResult {
            tasks_created: made,
        })
    })
}

pub fn get_assignment(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<AssignmentSettings, AppError> {
    actor.require(access::CONFIGURE)?;
    match repo::assignment(conn, &actor.company_id.to_db())? {
        Some(a) => Ok(AssignmentSettings {
            strategy: enum_from_db(&a.strategy)?,
            members: serde_json::from_str(&a.members).unwrap_or_default(),
            team_id: TeamId::from_db_opt(a.team_id.as_deref())?,
        }),
        None => Ok(AssignmentSettings {
            strategy: Strategy::RoundRobin,
            members: Vec::new(),
            team_id: None,
        }),
    }
}

pub fn put_assignment(
    conn: &mut DbConnection,
    actor: &Actor,
    req: AssignmentSettings,
) -> Result<AssignmentSettings, AppError> {
    actor.require(access::CONFIGURE)?;
    if req.members.len() > 500 {
        return Err(AppError::field("members", "at most 500 members"));
    }
    if req.team_id.is_some() && !req.members.is_empty() {
        return Err(AppError::field(
            "members",
            "give either members or a team, not both",
        ));
    }
    write_tx(conn, |conn| {
        if let Some(t) = req.team_id {
            crate::team::repo::find(conn, &actor.company_id.to_db(), t)?
                .ok_or_else(|| AppError::field("team_id", "no such team"))?;
        }
        let mut members = Vec::new();
        for (i, m) in req.members.iter().enumerate() {
            members.push(access::check_user(
                conn,
                actor,
                *m,
                &format!("members[{i}]"),
            )?);
        }
        let a = AssignmentRow {
            company_id: actor.company_id.to_db(),
            strategy: enum_to_db(&req.strategy),
            members: serde_json::to_string(&members).unwrap_or_default(),
            next_index: 0,
            updated_at: now(),
            team_id: req.team_id.map(|t| t.to_string()),
        };
        repo::save_assignment(conn, &a)?;
        audit::record(
            conn,
            actor,
            "crm_assignment",
            &a.company_id,
            Change::Action("save", Some(&req)),
        )?;
        Ok(req)
    })
}

/// The manager a new lead goes to, by the company's strategy (none configured: None).
pub fn next_owner(
    conn: &mut DbConnection,
    company_id: &str,
    exclude: Option<&str>,
) -> Result<Option<String>, AppError> {
    let Some(mut a) = repo::assignment(conn, company_id)? else {
        return Ok(None);
    };
    let pool = match &a.team_id {
        Some(t) => crate::team::repo::members(conn, TeamId::from_db(t)?)?,
        None => serde_json::from_str::<Vec<String>>(&a.members).unwrap_or_default(),
    };
    let members: Vec<String> = pool
        .into_iter()
        .filter(|m| Some(m.as_str()) != exclude)
        .collect();
    if members.is_empty() {
        return Ok(None);
    }
    let chosen = if a.strategy == "least_loaded" {
        let mut best: Option<(i64, String)> = None;
        for m in &members {
            let load = repo::load_of(conn, company_id, m)?;
            if best.as_ref().is_none_or(|(l, _)| load < *l) {
                best = Some((load, m.clone()));
            }
        }
        best.map(|b| b.1)
    } else {
        let m = members[(a.next_index.max(0) as usize) % members.len()].clone();
        a.next_index = ((a.next_index.max(0) as usize + 1) % members.len()) as i32;
        a.updated_at = now();
        repo::save_assignment(conn, &a)?;
        Some(m)
    };
    Ok(chosen)
}

/// Per manager the caller reaches (everyone with `crm.all`, a team lead's team, else oneself).
pub fn workload(conn: &mut DbConnection, actor: &Actor) -> Result<Workload, AppError> {
    actor.require(access::READ)?;
    let scope = access::visible_owners(conn, actor)?;
    let company = actor.company_id.to_db();
    #[derive(Default)]
    struct Line {
        customers: i64,
        deals: i64,
        value: i64,
        tasks: i64,
        overdue: i64,
    }
    let mut lines: BTreeMap<String, Line> = BTreeMap::new();
    for o in repo::customers_per_owner(conn, &company)?
        .into_iter()
        .flatten()
    {
        lines.entry(o).or_default().customers += 1;
    }
    for (o, v) in repo::open_deals(conn, &company)? {
        let l = lines.entry(o).or_default();
        l.deals += 1;
        l.value += v;
    }
    let at = now();
    for (a, due) in repo::open_tasks(conn, &company)? {
        let l = lines.entry(a).or_default();
        l.tasks += 1;
        l.overdue += i64::from(due < at);
    }
    if let Some(owners) = &scope {
        lines.retain(|user, _| owners.contains(user));
    }
    let mut items = Vec::new();
    for (user, l) in lines {
        let username = erp_core::iam::user::repo::find(conn, UserId::from_db(&user)?)?
            .map(|u| u.username)
            .unwrap_or_default();
        items.push(WorkloadLine {
            user_id: UserId::from_db(&user)?,
            username,
            customers: l.customers,
            open_deals: l.deals,
            open_deals_value: Money::from_scaled(l.value),
            open_tasks: l.tasks,
            overdue_tasks: l.overdue,
        });
    }
    Ok(Workload { items })
}

/// Hands a leaving manager's customers, with their open deals and tasks, to another manager
/// or by the assignment strategy.
pub fn reassign(
    conn: &mut DbConnection,
    actor: &Actor,
    from: UserId,
    req: ReassignRequest,
) -> Result<ReassignResult, AppError> {
    actor.require(access::ALL)?;
    actor.require(access::WRITE)?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let from = from.to_string();
        let fixed = match req.to_user_id {
            Some(t) if t.to_string() == from => {
                return Err(AppError::field("to_user_id", "is the manager who leaves"))
            }
            Some(t) => Some(access::check_user(conn, actor, t, "to_user_id")?),
            None => None,
        };
        let at = now();
        let mut out = ReassignResult {
            customers: 0,
            deals: 0,
            tasks: 0,
        };
        for c in repo::customers_of(conn, &company, &from)? {
            let to = match &fixed {
                Some(t) => t.clone(),
                None => next_owner(conn, &company, Some(&from))?.ok_or_else(|| {
                    AppError::field(
                        "to_user_id",
                        "name a manager, or configure the assignment of leads",
                    )
                })?,
            };
            repo::set_owner(conn, &c.partner_id, &to, at)?;
            let (deals, tasks) = repo::move_open_work(conn, &c.partner_id, &from, &to, at)?;
            out.customers += 1;
            out.deals += deals as u32;
            out.tasks += tasks as u32;
        }
        audit::record(
            conn,
            actor,
            "crm_reassignment",
            &from,
            Change::Action("reassign", Some(&out)),
        )?;
        Ok(out)
    })
}
