//! The whole plan of a run, record by record: what a front end pages through to show every
//! item's MRP record without one request per item.

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::pagination::ListParams;

use super::dto::{MrpRecordPage, RecordQuery, RunStatus};
use super::plan::record_of;
use super::repo::{self, RecordFilter};
use super::service;
use crate::error::MrpError;
use crate::ids::RunId;

/// A page of the MRP records of run `id`'s plan, in item id order. Only the current plan is
/// kept: a run whose plan a later run replaced, or that has not succeeded, has no records
/// to read (409, naming the run that has).
pub fn list_records(
    conn: &mut DbConnection,
    actor: &Actor,
    id: RunId,
    q: RecordQuery,
) -> Result<MrpRecordPage, AppError> {
    actor.require("mrp.plan.read")?;
    let page = ListParams {
        limit: q.limit,
        cursor: q.cursor,
        updated_since: None,
    }
    .validate()?;
    if q.low_level_code.is_some_and(|l| l < 0) {
        return Err(AppError::field("low_level_code", "must not be negative"));
    }
    let company = actor.company_id;
    let run =
        repo::find_run(conn, &id.to_string(), company)?.ok_or(AppError::NotFound("mrp_run"))?;
    let status: RunStatus = run.status;
    if status != RunStatus::Succeeded {
        return Err(MrpError::RunNotSucceeded(run.status.to_string()).into());
    }
    let current = repo::last_succeeded(conn, company)?.ok_or(AppError::NotFound("mrp_run"))?;
    if current.id != run.id {
        return Err(MrpError::PlanSuperseded(current.id.clone()).into());
    }
    let horizon = service::horizon_of(&run)?;
    erp_inventory::item::service::check_filter(conn, actor, q.item_id)?;
    let rows = repo::record_page(
        conn,
        company,
        &RecordFilter {
            item_id: q.item_id,
            low_level_code: q.low_level_code,
            has_messages: q.has_messages,
            after: page.after.clone(),
            limit: page.fetch_limit(),
        },
    )?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.0.item_id);
    let items = rows
        .into_iter()
        .map(|(plan, sku, lead_time_days, safety_stock)| {
            record_of(
                &plan,
                sku,
                lead_time_days,
                safety_stock.unwrap_or(0),
                &horizon,
            )
        })
        .collect::<Result<_, _>>()?;
    Ok(MrpRecordPage { items, next_cursor })
}
