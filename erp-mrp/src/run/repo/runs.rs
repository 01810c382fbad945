//! The run rows, the company's run lock (a row, and on PostgreSQL an advisory lock that
//! tells a live run from an abandoned one), and the notes of input changes a run claims.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{mrp_input_changes as mic, mrp_run_locks as lk, mrp_runs as mr};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;

use crate::model::{Run, RunLock};
use crate::states::RunStatus;

pub fn last_succeeded(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Option<Run>> {
    mr::table
        .filter(mr::company_id.eq(company_id))
        .filter(mr::status.eq(RunStatus::Succeeded))
        .order(mr::started_at.desc())
        .select(Run::as_select())
        .first(conn)
        .optional()
}

pub fn find_run(
    conn: &mut DbConnection,
    id: &str,
    company_id: CompanyId,
) -> QueryResult<Option<Run>> {
    mr::table
        .find(id)
        .filter(mr::company_id.eq(company_id))
        .select(Run::as_select())
        .first(conn)
        .optional()
}

pub fn find_run_any(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Run>> {
    mr::table
        .find(id)
        .select(Run::as_select())
        .first(conn)
        .optional()
}

/// A page of the company's runs after a cursor's start and id, the latest started first.
pub fn runs_page(
    conn: &mut DbConnection,
    company_id: CompanyId,
    after: Option<(NaiveDateTime, &str)>,
    limit: i64,
) -> QueryResult<Vec<Run>> {
    let mut q = mr::table.filter(mr::company_id.eq(company_id)).into_boxed();
    if let Some((at, id)) = after {
        q = q.filter(
            mr::started_at
                .lt(at)
                .or(mr::started_at.eq(at).and(mr::id.lt(id.to_string()))),
        );
    }
    q.order((mr::started_at.desc(), mr::id.desc()))
        .limit(limit)
        .select(Run::as_select())
        .load(conn)
}

pub fn insert_run(conn: &mut DbConnection, r: &Run) -> QueryResult<()> {
    diesel::insert_into(mr::table)
        .values(r)
        .execute(conn)
        .map(|_| ())
}

pub fn save_run(conn: &mut DbConnection, r: &Run) -> QueryResult<()> {
    diesel::update(mr::table.find(&r.id))
        .set((
            mr::status.eq(&r.status),
            mr::mode.eq(&r.mode),
            mr::progress.eq(&r.progress),
            mr::items_planned.eq(r.items_planned),
            mr::items_replanned.eq(r.items_replanned),
            mr::planned_orders.eq(r.planned_orders),
            mr::messages.eq(r.messages),
            mr::duration_ms.eq(r.duration_ms),
            mr::load_ms.eq(r.load_ms),
            mr::plan_ms.eq(r.plan_ms),
            mr::save_ms.eq(r.save_ms),
            mr::error.eq(&r.error),
            mr::finished_at.eq(r.finished_at),
            mr::inputs_unchanged.eq(r.inputs_unchanged),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_progress(conn: &mut DbConnection, run_id: &str, progress: &str) -> QueryResult<()> {
    diesel::update(mr::table.find(run_id))
        .set(mr::progress.eq(progress))
        .execute(conn)
        .map(|_| ())
}

/// Claims for this run every input change noted for the company so far (those claimed by
/// an earlier run that did not save are claimed again); returns how many there are. Changes
/// noted by transactions that commit after this are not claimed.
pub fn claim_input_changes(
    conn: &mut DbConnection,
    company_id: CompanyId,
    run_id: &str,
) -> QueryResult<usize> {
    diesel::update(mic::table.filter(mic::company_id.eq(company_id)))
        .set(mic::run_id.eq(run_id))
        .execute(conn)
}

/// Forgets the input changes this run claimed: its saved plan has seen them.
pub fn forget_input_changes(
    conn: &mut DbConnection,
    company_id: CompanyId,
    run_id: &str,
) -> QueryResult<usize> {
    diesel::delete(
        mic::table
            .filter(mic::company_id.eq(company_id))
            .filter(mic::run_id.eq(run_id)),
    )
    .execute(conn)
}

/// Deletes the input changes no run has claimed, except each company's newest: one row says
/// all they say (something changed since the last run), and a company that never plans
/// keeps one row, not one per stock posting. Claimed rows are left to their run.
pub fn compact_input_changes(conn: &mut DbConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM mrp_input_changes WHERE run_id IS NULL AND id NOT IN \
         (SELECT max(id) FROM mrp_input_changes WHERE run_id IS NULL GROUP BY company_id)",
    )
    .execute(conn)
}

/// Takes the company's run lock; false when a run holds it.
pub fn lock(conn: &mut DbConnection, company_id: CompanyId, run_id: &str) -> QueryResult<bool> {
    let taken: bool =
        diesel::select(diesel::dsl::exists(lk::table.find(company_id))).get_result(conn)?;
    if taken {
        return Ok(false);
    }
    diesel::insert_into(lk::table)
        .values(&RunLock {
            company_id,
            run_id: run_id.to_string(),
        })
        .execute(conn)
        .map(|n| n == 1)
}

pub fn unlock(conn: &mut DbConnection, run_id: &str) -> QueryResult<()> {
    diesel::delete(lk::table.filter(lk::run_id.eq(run_id)))
        .execute(conn)
        .map(|_| ())
}

/// The PostgreSQL advisory-lock key of a company's planning runs.
fn advisory_key(company_id: CompanyId) -> i64 {
    let hex = company_id.0.simple().to_string();
    i64::from_str_radix(&hex[..15], 16).unwrap_or(0) ^ 0x2d52_5000_0000_0000
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    locked: bool,
}

/// On PostgreSQL, takes the session-level advisory lock of the company's runs on this
/// connection: held while the run goes, and gone with the connection if the process dies,
/// so other servers can tell a live run from an abandoned one. False when held elsewhere.
pub fn hold_alive(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<bool> {
    match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(format!(
            "SELECT pg_try_advisory_lock({}) AS locked",
            advisory_key(company_id)
        ))
        .get_result::<Locked>(pg)
        .map(|l| l.locked),
        DbConnection::Sqlite(_) => Ok(true),
    }
}

pub fn release_alive(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        diesel::sql_query(format!(
            "SELECT pg_advisory_unlock({}) AS locked",
            advisory_key(company_id)
        ))
        .get_result::<Locked>(pg)?;
    }
    Ok(())
}

/// Runs left `running` by a server that stopped: failed, and their locks freed. On
/// PostgreSQL only runs whose process is gone (nobody holds their advisory lock) are touched,
/// so a server starting beside one that is planning leaves its run alone. On SQLite (one
/// process) every running run is abandoned.
pub fn fail_interrupted(conn: &mut DbConnection, at: chrono::NaiveDateTime) -> QueryResult<usize> {
    // Only what the recovery needs: a start is not refused over another column of a run.
    let running: Vec<(String, CompanyId)> = mr::table
        .filter(mr::status.eq(RunStatus::Running))
        .select((mr::id, mr::company_id))
        .load(conn)?;
    let mut failed = 0;
    for (id, company_id) in running {
        if !hold_alive(conn, company_id)? {
            continue;
        }
        release_alive(conn, company_id)?;
        diesel::delete(lk::table.filter(lk::run_id.eq(&id))).execute(conn)?;
        failed += diesel::update(mr::table.find(&id))
            .set((
                mr::status.eq(RunStatus::Failed),
                mr::error.eq("interrupted: the server stopped during the run"),
                mr::finished_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(failed)
}
