//! Planning runs: started as a job (one at a time per company), loaded, planned by the
//! engine, and saved as the company's current plan.

use std::collections::HashMap;
use std::time::Instant;

use chrono::Utc;

use crate::error::MrpError;
use crate::util::add_days;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, uuid_from_db, write_tx, DbConnection};
use erp_core::error::AppError;
use erp_core::money::Qty;
use serde::{Deserialize, Serialize};

use super::dto::*;
use super::horizon::Horizon;
use super::input::{self, Loaded};
use super::repo;
use super::stored::StoredRecord;
use crate::engine::{self, MessageKind, PlanError, PlanOutput, PlannedOrder, Records, Source};
use crate::model::{ItemPlan, MessageRow, PlannedOrderRow, Run};

pub fn to_response(r: &Run) -> Result<RunResponse, AppError> {
    Ok(RunResponse {
        id: uuid_from_db(&r.id)?,
        status: enum_from_db(&r.status)?,
        mode: enum_from_db(&r.mode)?,
        start_date: r.start_date,
        bucket: enum_from_db(&r.bucket)?,
        buckets: r.buckets,
        progress: enum_from_db(&r.progress)?,
        items_planned: r.items_planned,
        items_replanned: r.items_replanned,
        planned_orders: r.planned_orders,
        messages: r.messages,
        duration_ms: r.duration_ms,
        load_ms: r.load_ms,
        plan_ms: r.plan_ms,
        save_ms: r.save_ms,
        error: r.error.clone(),
        started_at: r.started_at.and_utc(),
        finished_at: r.finished_at.map(|t| t.and_utc()),
    })
}

pub fn horizon_of(r: &Run) -> Result<Horizon, AppError> {
    Ok(Horizon {
        start: r.start_date,
        size: enum_from_db(&r.bucket)?,
        buckets: r.buckets as usize,
    })
}

/// Records a run and takes the company's run lock; the caller starts [`execute`].
pub fn start_run(
    conn: &mut DbConnection,
    actor: &Actor,
    req: StartRunRequest,
) -> Result<RunResponse, AppError> {
    actor.require("mrp.plan.run")?;
    let buckets = req.buckets.unwrap_or(52);
    if !(1..=520).contains(&buckets) {
        return Err(AppError::field("buckets", "must be between 1 and 520"));
    }
    write_tx(conn, |conn| {
        let company_id = actor.company_id.to_db();
        let r = Run {
            id: new_id(),
            company_id: company_id.clone(),
            status: enum_to_db(&RunStatus::Running),
            mode: enum_to_db(&req.mode.unwrap_or(RunMode::Regenerative)),
            start_date: req.start_date.unwrap_or_else(|| Utc::now().date_naive()),
            bucket: enum_to_db(&req.bucket.unwrap_or(BucketSize::Week)),
            buckets: buckets as i32,
            progress: "queued".into(),
            items_planned: 0,
            items_replanned: 0,
            planned_orders: 0,
            messages: 0,
            duration_ms: None,
            load_ms: None,
            plan_ms: None,
            save_ms: None,
            error: None,
            created_by: actor.user_id.to_db(),
            started_at: now(),
            finished_at: None,
        };
        crate::util::check_start_date("start_date", r.start_date)?;
        repo::insert_run(conn, &r)?;
        if !repo::lock(conn, &company_id, &r.id)? {
            return Err(MrpError::RunInProgress.into());
        }
        let out = to_response(&r)?;
        audit::record(conn, actor, "mrp_run", &r.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Marks runs a stopped server left running as failed and frees their locks. Called at start,
/// outside a transaction (the PostgreSQL liveness check takes and drops session locks).
pub fn recover(conn: &mut DbConnection) -> Result<usize, AppError> {
    Ok(repo::fail_interrupted(conn, now())?)
}

pub fn get_run(
    conn: &mut DbConnection,
    actor: &Actor,
    id: uuid::Uuid,
) -> Result<RunResponse, AppError> {
    actor.require("mrp.plan.read")?;
    let r = repo::find_run(conn, &id.to_string(), &actor.company_id.to_db())?
        .ok_or(AppError::NotFound("mrp_run"))?;
    to_response(&r)
}

pub fn list_runs(conn: &mut DbConnection, actor: &Actor) -> Result<RunList, AppError> {
    actor.require("mrp.plan.read")?;
    let items = repo::list_runs(conn, &actor.company_id.to_db(), 100)?
        .iter()
        .map(to_response)
        .collect::<Result<_, _>>()?;
    Ok(RunList { items })
}

/// What a planned order serves, kept on the order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredPeg {
    /// `demand`, `planned_order` (`source_id` the parent item), `production_order`,
    /// `firm_planned_order`.
    pub source_type: String,
    pub source_id: String,
    pub parent_ordinal: Option<i32>,
    /// Qty ×10^6.
    pub quantity: i64,
}

/// A [`StoredPeg`] as written, borrowing its text.
#[derive(Serialize)]
struct PegOut<'a> {
    source_type: &'a str,
    source_id: &'a str,
    parent_ordinal: Option<i32>,
    quantity: i64,
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

/// The previous plan, in the engine's terms for the items loaded now; `changed` marks the
/// items whose inputs differ (or that the previous plan did not have).
fn previous_plan(
    conn: &mut DbConnection,
    company_id: &str,
    l: &Loaded,
) -> Result<(PlanOutput, Vec<bool>), AppError> {
    let n = l.items.len();
    let h = l.horizon.buckets;
    let mut records = Records::zeros(n, h);
    let mut demand_hashes = vec![0u64; n];
    let mut orders = Vec::new();
    let mut changed = vec![true; n];
    for p in repo::item_plans(conn, company_id)? {
        let Some(&i) = l.index.get(&p.item_id) else {
            continue;
        };
        let stored = StoredRecord::parse(&p.record)?;
        if stored.buckets() != h || stored.cells.len() != Records::ROWS * h {
            continue;
        }
        records.cells_of_mut(i).copy_from_slice(&stored.cells);
        for (release_bucket, due_bucket, quantity, past_due, phantom) in stored.orders {
            orders.push(PlannedOrder {
                item: i,
                quantity,
                release_bucket,
                due_bucket,
                past_due,
                phantom,
            });
        }
        demand_hashes[i] = u64::from_str_radix(&p.demand_hash, 16).map_err(internal)?;
        changed[i] = p.fingerprint != l.fingerprints[i];
    }
    let previous = PlanOutput {
        low_level_codes: vec![0; n],
        records,
        orders,
        demand_hashes,
        pegs: Vec::new(),
        messages: Vec::new(),
        replanned: vec![true; n],
    };
    Ok((previous, changed))
}

/// Runs a started run to its end; a failure is recorded on the run, never lost.
pub fn execute(conn: &mut DbConnection, run_id: &str) -> Result<RunResponse, AppError> {
    let started = Instant::now();
    let company = repo::find_run_any(conn, run_id)?
        .ok_or(AppError::NotFound("mrp_run"))?
        .company_id;
    // Tells other servers this run is alive for as long as this connection is.
    let alive = repo::hold_alive(conn, &company)?;
    let result = plan_and_save(conn, run_id, started);
    if alive {
        repo::release_alive(conn, &company)?;
    }
    if let Err(e) = &result {
        tracing::warn!(run_id, error = %e, "planning run failed");
        let detail = e.to_string();
        write_tx(conn, |conn| {
            if let Some(mut r) = repo::find_run_any(conn, run_id)? {
                if let MrpError::BomCycle(_) = e {
                    // A data error the planner must see among the messages.
                    repo::insert_messages(
                        conn,
                        &[MessageRow {
                            id: new_id(),
                            company_id: r.company_id.clone(),
                            run_id: r.id.clone(),
                            item_id: None,
                            kind: "bom_cycle".into(),
                            reference_type: None,
                            reference_id: None,
                            scheduled_date: None,
                            suggested_date: None,
                            quantity: None,
                            suggested_quantity: None,
                            message: detail.clone(),
                        }],
                    )?;
                }
                r.status = enum_to_db(&RunStatus::Failed);
                r.error = Some(detail.clone());
                r.duration_ms = Some(started.elapsed().as_millis() as i64);
                r.finished_at = Some(now());
                repo::save_run(conn, &r)?;
            }
            repo::unlock(conn, run_id)?;
            Ok::<_, AppError>(())
        })?;
    }
    let r = repo::find_run_any(conn, run_id)?.ok_or(AppError::NotFound("mrp_run"))?;
    to_response(&r)
}

fn plan_and_save(conn: &mut DbConnection, run_id: &str, started: Instant) -> Result<(), MrpError> {
    let mut run = repo::find_run_any(conn, run_id)?.ok_or(AppError::NotFound("mrp_run"))?;
    let horizon = horizon_of(&run)?;
    repo::set_progress(conn, run_id, "loading")?;
    let phase = Instant::now();
    let loaded = input::load(conn, &run.company_id, horizon)?;
    let mut mode: RunMode = enum_from_db(&run.mode)?;
    let previous = match mode {
        RunMode::NetChange => match repo::last_succeeded(conn, &run.company_id)? {
            Some(last) if horizon_of(&last)? == horizon => {
                Some(previous_plan(conn, &run.company_id, &loaded)?)
            }
            _ => None,
        },
        RunMode::Regenerative => None,
    };
    if previous.is_none() {
        mode = RunMode::Regenerative;
    }
    run.load_ms = Some(phase.elapsed().as_millis() as i64);
    repo::set_progress(conn, run_id, "planning")?;
    let phase = Instant::now();
    let planned = match &previous {
        Some((p, changed)) => engine::plan_net_change(&loaded.input, p, changed),
        None => engine::plan(&loaded.input),
    };
    let out = match planned {
        Ok(o) => o,
        Err(PlanError::Cycle(items)) => {
            let skus = items.iter().map(|i| loaded.items[*i].sku.clone()).collect();
            return Err(MrpError::BomCycle(skus));
        }
        Err(PlanError::Invalid(m)) => return Err(MrpError::InvalidPlanData(m)),
    };
    run.plan_ms = Some(phase.elapsed().as_millis() as i64);
    repo::set_progress(conn, run_id, "saving")?;
    let phase = Instant::now();
    let saved = write_tx(conn, |conn| save(conn, &run, &loaded, &out, mode))?;
    run.save_ms = Some(phase.elapsed().as_millis() as i64);
    run.status = enum_to_db(&RunStatus::Succeeded);
    run.mode = enum_to_db(&mode);
    run.progress = "done".into();
    run.items_planned = loaded.items.len() as i32;
    run.items_replanned = out.replanned.iter().filter(|r| **r).count() as i32;
    run.planned_orders = saved.0 as i32;
    run.messages = saved.1 as i32;
    run.duration_ms = Some(started.elapsed().as_millis() as i64);
    run.finished_at = Some(now());
    write_tx(conn, |conn| {
        repo::save_run(conn, &run)?;
        repo::unlock(conn, run_id)?;
        Ok::<_, AppError>(())
    })?;
    tracing::info!(
        run_id,
        items = run.items_planned,
        replanned = run.items_replanned,
        orders = run.planned_orders,
        ms = run.duration_ms,
        "planning run finished"
    );
    Ok(())
}

/// Rows written per statement (planned orders; a tenth of it for item plans).
const WRITE_SLICE: usize = 20_000;

/// Saves the plan: records, orders and pegs of the re-planned items, and all messages.
/// Returns (planned orders in the plan, messages).
fn save(
    conn: &mut DbConnection,
    run: &Run,
    l: &Loaded,
    out: &PlanOutput,
    mode: RunMode,
) -> Result<(usize, usize), AppError> {
    let company = &run.company_id;
    let h = &l.horizon;
    let replanned_ids: Vec<String> = l
        .items
        .iter()
        .zip(&out.replanned)
        .filter(|(_, r)| **r)
        .map(|(it, _)| it.id.clone())
        .collect();
    match mode {
        RunMode::Regenerative => repo::delete_plan(conn, company, None)?,
        RunMode::NetChange => repo::delete_plan(conn, company, Some(&replanned_ids))?,
    }
    // Ids of the engine's orders: kept for items taken over, new for the re-planned.
    let mut kept: HashMap<String, HashMap<i32, String>> = HashMap::new();
    for (id, item, ordinal) in repo::planned_order_ids(conn, company)? {
        kept.entry(item).or_default().insert(ordinal, id);
    }
    // The pegs of each order, found through a counting sort of the pegs on their order.
    let mut peg_start = vec![0usize; out.orders.len() + 1];
    for p in &out.pegs {
        peg_start[p.order + 1] += 1;
    }
    for k in 0..out.orders.len() {
        peg_start[k + 1] += peg_start[k];
    }
    let mut fill = peg_start.clone();
    let mut peg_order = vec![0usize; out.pegs.len()];
    for (n, p) in out.pegs.iter().enumerate() {
        peg_order[fill[p.order]] = n;
        fill[p.order] += 1;
    }
    let pegs_of = |k: usize| -> Vec<PegOut<'_>> {
        peg_order[peg_start[k]..peg_start[k + 1]]
            .iter()
            .map(|&n| {
                let p = &out.pegs[n];
                match p.source {
                    Source::Independent(d) => PegOut {
                        source_type: l.demand_refs[d].kind,
                        source_id: &l.demand_refs[d].id,
                        parent_ordinal: None,
                        quantity: p.quantity,
                    },
                    Source::Order { item, ordinal } => PegOut {
                        source_type: "planned_order",
                        source_id: &l.items[item].id,
                        parent_ordinal: Some(ordinal as i32),
                        quantity: p.quantity,
                    },
                }
            })
            .collect()
    };
    let mut ordinal_of = vec![0usize; out.orders.len()];
    let mut count = vec![0usize; l.items.len()];
    let mut order_ids = Vec::with_capacity(out.orders.len());
    let mut order_rows = Vec::new();
    let at = now();
    for (k, o) in out.orders.iter().enumerate() {
        let it = &l.items[o.item];
        ordinal_of[k] = count[o.item];
        count[o.item] += 1;
        if !out.replanned[o.item] {
            order_ids.push(
                kept.get_mut(&it.id)
                    .and_then(|ids| ids.remove(&(ordinal_of[k] as i32)))
                    .unwrap_or_default(),
            );
            continue;
        }
        let id = new_id();
        order_ids.push(id.clone());
        let due_date = h.bucket_start(o.due_bucket);
        let release_date = add_days(
            due_date,
            -i64::from(l.lead_days[o.item].unwrap_or(0).max(0)),
        );
        order_rows.push(PlannedOrderRow {
            id,
            company_id: company.clone(),
            item_id: it.id.clone(),
            kind: if o.phantom {
                "phantom".into()
            } else {
                it.procurement.clone()
            },
            status: "planned".into(),
            quantity: o.quantity,
            release_date: if o.phantom {
                h.bucket_start(o.release_bucket)
            } else {
                release_date
            },
            due_date,
            past_due: o.past_due,
            ordinal: ordinal_of[k] as i32,
            run_id: Some(run.id.clone()),
            pegs: serde_json::to_string(&pegs_of(k)).map_err(internal)?,
            version: 1,
            created_at: at,
            updated_at: at,
        });
        // Written in slices, so memory stays bounded however large the plan.
        if order_rows.len() == WRITE_SLICE {
            repo::insert_planned_orders(conn, &order_rows)?;
            order_rows.clear();
        }
    }
    repo::insert_planned_orders(conn, &order_rows)?;

    // Item plans of the re-planned items.
    let mut plans = Vec::new();
    let mut orders_of: Vec<Vec<&PlannedOrder>> = vec![Vec::new(); l.items.len()];
    for o in &out.orders {
        orders_of[o.item].push(o);
    }
    for (i, it) in l.items.iter().enumerate() {
        if !out.replanned[i] {
            continue;
        }
        let stored = StoredRecord {
            cells: out.records.cells_of(i).to_vec(),
            orders: orders_of[i]
                .iter()
                .map(|o| {
                    (
                        o.release_bucket,
                        o.due_bucket,
                        o.quantity,
                        o.past_due,
                        o.phantom,
                    )
                })
                .collect(),
        };
        plans.push(ItemPlan {
            item_id: it.id.clone(),
            company_id: company.clone(),
            run_id: run.id.clone(),
            low_level_code: out.low_level_codes[i] as i32,
            fingerprint: l.fingerprints[i].clone(),
            demand_hash: format!("{:016x}", out.demand_hashes[i]),
            record: serde_json::to_string(&stored).map_err(internal)?,
        });
        if plans.len() == WRITE_SLICE / 10 {
            repo::insert_item_plans(conn, &plans)?;
            plans.clear();
        }
    }
    repo::insert_item_plans(conn, &plans)?;

    let messages = messages(run, l, out, &order_ids);
    repo::insert_messages(conn, &messages)?;
    Ok((
        out.orders.iter().filter(|o| !o.phantom).count(),
        messages.len(),
    ))
}

fn messages(run: &Run, l: &Loaded, out: &PlanOutput, order_ids: &[String]) -> Vec<MessageRow> {
    let h = &l.horizon;
    let mut rows = Vec::new();
    let show = |q: i64| Qty::from_scaled(q).to_string();
    let mut push = |item: Option<usize>,
                    kind: &str,
                    reference: Option<(&str, &str)>,
                    dates: (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
                    q: (Option<i64>, Option<i64>),
                    text: String| {
        rows.push(MessageRow {
            id: new_id(),
            company_id: run.company_id.clone(),
            run_id: run.id.clone(),
            item_id: item.map(|i| l.items[i].id.clone()),
            kind: kind.to_string(),
            reference_type: reference.map(|r| r.0.to_string()),
            reference_id: reference.map(|r| r.1.to_string()),
            scheduled_date: dates.0,
            suggested_date: dates.1,
            quantity: q.0,
            suggested_quantity: q.1,
            message: text,
        });
    };
    for m in &out.messages {
        let sku = &l.items[m.item].sku;
        let kind = match m.kind {
            MessageKind::Release => "release",
            MessageKind::PastDue => "past_due",
            MessageKind::Expedite => "expedite",
            MessageKind::Defer => "defer",
            MessageKind::Cancel => "cancel",
            MessageKind::Increase => "increase",
            MessageKind::Decrease => "decrease",
        };
        let suggested = m.suggested_bucket.map(|b| h.bucket_start(b));
        if let Some(o) = m.order {
            let due = h.bucket_start(out.orders[o].due_bucket);
            let release = add_days(due, -i64::from(l.lead_days[m.item].unwrap_or(0).max(0)));
            let text = match m.kind {
                MessageKind::PastDue => format!("{sku}: release {} now; it should have been released on {release} to arrive by {due} (lead time compressed)", show(m.quantity)),
                _ => format!("{sku}: release {} now, due {due}", show(m.quantity)),
            };
            push(
                Some(m.item),
                kind,
                Some(("planned_order", &order_ids[o])),
                (Some(release), None),
                (Some(m.quantity), None),
                text,
            );
        } else if let Some(k) = m.receipt {
            let r = &l.receipt_refs[k];
            let scheduled = h.bucket_start(m.bucket);
            let what = format!(
                "{} {} of {} {sku}",
                r.kind.replace('_', " "),
                r.label,
                show(m.quantity)
            );
            let text = match m.kind {
                MessageKind::Expedite => format!(
                    "expedite {what} from {scheduled} to {}",
                    suggested.map(|d| d.to_string()).unwrap_or_default()
                ),
                MessageKind::Defer => format!(
                    "defer {what} from {scheduled} to {}",
                    suggested.map(|d| d.to_string()).unwrap_or_default()
                ),
                MessageKind::Cancel => {
                    format!("cancel {what}: it is not needed within the horizon")
                }
                MessageKind::Increase => format!(
                    "increase {what} to {}: the plan needs more in the same period",
                    show(m.suggested_quantity.unwrap_or_default())
                ),
                MessageKind::Decrease => format!(
                    "decrease {what} to {}: the rest is not needed within the horizon",
                    show(m.suggested_quantity.unwrap_or_default())
                ),
                _ => what,
            };
            push(
                Some(m.item),
                kind,
                Some((r.kind, &r.id)),
                (Some(scheduled), suggested),
                (Some(m.quantity), m.suggested_quantity),
                text,
            );
        }
    }
    // Data errors and the planning time fence.
    let mut has_orders = vec![false; l.items.len()];
    for (k, o) in out.orders.iter().enumerate() {
        if o.phantom {
            continue;
        }
        has_orders[o.item] = true;
        let fence = l.time_fence_days[o.item];
        let due = h.bucket_start(o.due_bucket);
        if fence > 0 && due < add_days(h.start, i64::from(fence)) {
            let sku = &l.items[o.item].sku;
            push(Some(o.item), "time_fence", Some(("planned_order", &order_ids[k])), (Some(due), None), (Some(o.quantity), None), format!("{sku}: a planned order of {} due {due} falls inside the planning time fence of {fence} days: firm it or cover the shortage by hand", show(o.quantity)));
        }
    }
    for (i, it) in l.items.iter().enumerate() {
        if has_orders[i] && l.lead_days[i].is_none() {
            push(
                Some(i),
                "missing_lead_time",
                None,
                (None, None),
                (None, None),
                format!("{}: no lead time is set; planned with 0 days", it.sku),
            );
        }
    }
    rows
}
