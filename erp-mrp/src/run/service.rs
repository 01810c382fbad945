//! Planning runs: started as a job (one at a time per company), loaded, planned by the
//! engine, and saved as the company's current plan.

use std::time::Instant;

use chrono::Utc;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::AppError;
use erp_core::pagination::PageParams;

use super::dto::*;
use super::horizon::Horizon;
use super::stored::{previous_plan, save};
use super::{input, repo};
use crate::engine::{self, PlanError};
use crate::error::MrpError;
use crate::ids::RunId;
use crate::model::{MessageRow, Run};

pub fn to_response(r: &Run) -> Result<RunResponse, AppError> {
    Ok(RunResponse {
        id: RunId::from_db(&r.id)?,
        status: r.status,
        mode: enum_from_db(&r.mode)?,
        start_date: r.start_date,
        bucket: enum_from_db(&r.bucket)?,
        buckets: r.buckets,
        progress: enum_from_db(&r.progress)?,
        items_planned: r.items_planned,
        items_replanned: r.items_replanned,
        inputs_unchanged: r.inputs_unchanged,
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
        let company_id = actor.company_id;
        let r = Run {
            id: new_id(),
            company_id,
            status: RunStatus::Running,
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
            created_by: actor.user_id,
            started_at: now(),
            finished_at: None,
            inputs_unchanged: false,
        };
        crate::util::check_start_date("start_date", r.start_date)?;
        repo::insert_run(conn, &r)?;
        if !repo::lock(conn, company_id, &r.id)? {
            return Err(MrpError::RunInProgress.into());
        }
        let out = to_response(&r)?;
        audit::record(conn, actor, "mrp_run", &r.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Folds the input changes noted since the last runs into one per company (a background
/// job): what a net-change run needs to know is only whether there are any.
pub fn compact_input_changes(conn: &mut DbConnection) -> Result<usize, AppError> {
    Ok(repo::compact_input_changes(conn)?)
}

/// Marks runs a stopped server left running as failed and frees their locks. Called at start,
/// outside a transaction (the PostgreSQL liveness check takes and drops session locks).
pub fn recover(conn: &mut DbConnection) -> Result<usize, AppError> {
    Ok(repo::fail_interrupted(conn, now())?)
}

pub fn get_run(conn: &mut DbConnection, actor: &Actor, id: RunId) -> Result<RunResponse, AppError> {
    actor.require("mrp.plan.read")?;
    let r = repo::find_run(conn, &id.to_string(), actor.company_id)?
        .ok_or(AppError::NotFound("mrp_run"))?;
    to_response(&r)
}

/// The company's runs, the latest started first, a page at a time.
pub fn list_runs(
    conn: &mut DbConnection,
    actor: &Actor,
    page: PageParams,
) -> Result<RunList, AppError> {
    actor.require("mrp.plan.read")?;
    let page = page.validate()?;
    let after = page.after.as_ref().map(|(at, id)| (*at, id.as_str()));
    let rows = repo::runs_page(conn, actor.company_id, after, page.fetch_limit())?;
    let (rows, next_cursor) = page.finish(rows, |r| (r.started_at, r.id.as_str()));
    let items = rows.iter().map(to_response).collect::<Result<_, _>>()?;
    Ok(RunList { items, next_cursor })
}

/// Runs a started run to its end; a failure is recorded on the run, never lost.
pub fn execute(conn: &mut DbConnection, run_id: &str) -> Result<RunResponse, AppError> {
    let started = Instant::now();
    // The run is read once here; only a failure reads it again, in the transaction that
    // records the failure.
    let run = repo::find_run_any(conn, run_id)?.ok_or(AppError::NotFound("mrp_run"))?;
    let company = run.company_id;
    // Tells other servers this run is alive for as long as this connection is.
    let alive = repo::hold_alive(conn, company)?;
    let result = plan_and_save(conn, run, started);
    if alive {
        repo::release_alive(conn, company)?;
    }
    let e = match result {
        Ok(run) => return to_response(&run),
        Err(e) => e,
    };
    tracing::warn!(run_id, error = %e, "planning run failed");
    let detail = e.to_string();
    let failed = write_tx(conn, |conn| {
        let mut found = repo::find_run_any(conn, run_id)?;
        if let Some(r) = found.as_mut() {
            if let MrpError::BomCycle(_) = e {
                // A data error the planner must see among the messages.
                repo::insert_messages(
                    conn,
                    &[MessageRow {
                        id: new_id(),
                        company_id: r.company_id,
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
            r.status = RunStatus::Failed;
            r.error = Some(detail.clone());
            r.duration_ms = Some(started.elapsed().as_millis() as i64);
            r.finished_at = Some(now());
            repo::save_run(conn, r)?;
        }
        repo::unlock(conn, run_id)?;
        Ok::<_, AppError>(found)
    })?;
    to_response(&failed.ok_or(AppError::NotFound("mrp_run"))?)
}

/// Plans and saves a started run; the run as it ended.
fn plan_and_save(conn: &mut DbConnection, mut run: Run, started: Instant) -> Result<Run, MrpError> {
    let run_id = run.id.clone();
    let run_id = run_id.as_str();
    let horizon = horizon_of(&run)?;
    repo::set_progress(conn, run_id, "loading")?;
    let phase = Instant::now();
    // Before anything is read: what is written from here on is the next run's to see.
    let changes = repo::claim_input_changes(conn, run.company_id, run_id)?;
    let mut mode: RunMode = enum_from_db(&run.mode)?;
    let last = match mode {
        RunMode::NetChange => match repo::last_succeeded(conn, run.company_id)? {
            Some(last) if horizon_of(&last)? == horizon => Some(last),
            _ => None,
        },
        RunMode::Regenerative => None,
    };
    if let (Some(last), 0) = (&last, changes) {
        // Nothing planned from changed since `last` read it: its plan stands as stored.
        run.inputs_unchanged = true;
        run.items_planned = last.items_planned;
        run.items_replanned = 0;
        run.planned_orders = last.planned_orders;
        run.messages = last.messages;
        run.load_ms = Some(phase.elapsed().as_millis() as i64);
        run.plan_ms = Some(0);
        run.save_ms = Some(0);
        write_tx(conn, |conn| succeed(conn, &mut run, started))?;
        tracing::info!(
            run_id,
            ms = run.duration_ms,
            "planning run kept the plan: no input changed"
        );
        return Ok(run);
    }
    let loaded = input::load(conn, run.company_id, horizon)?;
    let previous = match last {
        Some(_) => Some(previous_plan(conn, run.company_id, &loaded)?),
        None => {
            mode = RunMode::Regenerative;
            None
        }
    };
    run.load_ms = Some(phase.elapsed().as_millis() as i64);
    repo::set_progress(conn, run_id, "planning")?;
    let phase = Instant::now();
    let planned = match &previous {
        Some(p) => engine::plan_net_change(&loaded.input, &p.plan, &p.changed),
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
    let kept_ids = previous.map(|p| p.order_ids).unwrap_or_default();
    // The plan, the changes it saw forgotten, and the run succeeded: all or none.
    write_tx(conn, |conn| {
        let (orders, messages) = save(conn, &run, &loaded, &out, mode, &kept_ids)?;
        repo::forget_input_changes(conn, run.company_id, run_id)?;
        run.save_ms = Some(phase.elapsed().as_millis() as i64);
        run.mode = enum_to_db(&mode);
        run.items_planned = loaded.items.len() as i32;
        run.items_replanned = out.replanned.iter().filter(|r| **r).count() as i32;
        run.planned_orders = orders as i32;
        run.messages = messages as i32;
        succeed(conn, &mut run, started)
    })?;
    tracing::info!(
        run_id,
        items = run.items_planned,
        replanned = run.items_replanned,
        orders = run.planned_orders,
        ms = run.duration_ms,
        "planning run finished"
    );
    Ok(run)
}

/// Records the run as succeeded and frees the company's run lock.
fn succeed(conn: &mut DbConnection, run: &mut Run, started: Instant) -> Result<(), AppError> {
    run.status = RunStatus::Succeeded;
    run.progress = "done".into();
    run.duration_ms = Some(started.elapsed().as_millis() as i64);
    run.finished_at = Some(now());
    repo::save_run(conn, run)?;
    Ok(repo::unlock(conn, &run.id)?)
}
