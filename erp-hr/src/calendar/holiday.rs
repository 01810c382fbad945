//! Public holidays per branch: added, deleted, imported from CSV, listed, and the set a
//! calendar computation reads.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::csv_import::{check_columns, import_all, parsed, required, ImportReport};
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::filter;
use erp_core::ids::{BranchId, CompanyId};
use erp_core::org::branch;

use super::dto::*;
use super::model::HolidayRow;
use super::repo;
use super::service::*;
use crate::ids::HolidayId;

pub(super) fn holiday_response(row: &HolidayRow) -> Result<HolidayResponse, AppError> {
    Ok(HolidayResponse {
        id: row.id,
        branch_id: row.branch_id,
        day: row.day,
        name: row.name.clone(),
    })
}

pub(super) fn add_holiday(
    conn: &mut DbConnection,
    actor: &Actor,
    branch: BranchId,
    day: NaiveDate,
    name: &str,
) -> Result<HolidayResponse, AppError> {
    let mut v = Validator::new();
    v.text("name", name, 200);
    v.finish()?;
    if let Some(h) = repo::holiday_on(conn, branch, day)? {
        return Err(AppError::conflict(
            "duplicate_holiday",
            format!("{day} is a holiday of the branch already ({})", h.name),
        ));
    }
    let row = HolidayRow {
        id: HolidayId::new(),
        company_id: actor.company_id,
        branch_id: branch,
        day,
        name: name.trim().to_string(),
        created_at: now(),
    };
    repo::insert_holiday(conn, &row)?;
    let out = holiday_response(&row)?;
    audit::record(conn, actor, HOLIDAY, row.id, Change::Created(&out))?;
    Ok(out)
}

pub fn create_holiday(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateHolidayRequest,
) -> Result<HolidayResponse, AppError> {
    actor.require(SETUP)?;
    write_tx(conn, |conn| {
        let mut v = Validator::new();
        branch::service::check_workable(conn, &mut v, actor, "branch_id", req.branch_id)?;
        v.finish()?;
        add_holiday(conn, actor, req.branch_id, req.day, &req.name)
    })
}

pub fn delete_holiday(
    conn: &mut DbConnection,
    actor: &Actor,
    id: HolidayId,
) -> Result<(), AppError> {
    actor.require(SETUP)?;
    write_tx(conn, |conn| {
        let row = repo::find_holiday(conn, actor.company_id, id)?
            .filter(|h| actor.sees_branch(&h.branch_id))
            .ok_or(AppError::NotFound("holiday"))?;
        repo::delete_holiday(conn, row.id)?;
        let before = holiday_response(&row)?;
        audit::record(conn, actor, HOLIDAY, row.id, Change::Deleted(&before))
    })
}

pub(super) const COLUMNS: &[&str] = &["branch", "date", "name"];

/// Holidays from CSV (columns: branch code, date, name), all or nothing.
pub fn import_holidays(
    conn: &mut DbConnection,
    actor: &Actor,
    body: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require(SETUP)?;
    check_columns(body, COLUMNS)?;
    let company = actor.company_id;
    import_all(conn, body, |conn, row| {
        let code = required(row, "branch")?;
        let branch = repo::branch_by_code(conn, company, code)?
            .filter(|b| actor.sees_branch(b))
            .ok_or_else(|| AppError::field("branch", format!("no branch '{code}' you work in")))?;
        let day: NaiveDate =
            parsed(row, "date")?.ok_or_else(|| AppError::field("date", "is required"))?;
        let name = required(row, "name")?;
        add_holiday(conn, actor, branch, day, name).map(|_| ())
    })
}

pub fn list_holidays(
    conn: &mut DbConnection,
    actor: &Actor,
    q: HolidayQuery,
) -> Result<HolidayList, AppError> {
    require_read(actor)?;
    let from = q.from.unwrap_or_else(|| {
        let today = crate::wire::today();
        NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today)
    });
    let to =
        q.to.unwrap_or_else(|| NaiveDate::from_ymd_opt(from.year(), 12, 31).unwrap_or(from));
    let mut v = Validator::new();
    v.check(to >= from, "to", "must be on or after from");
    v.check(
        (to - from).num_days() <= 3 * 366,
        "to",
        "at most three years after from",
    );
    v.finish()?;
    filter::names(q.branch_id, |b| {
        branch::service::load_visible(conn, actor, b)
    })?;
    let branches = match q.branch_id {
        Some(b) => Some(vec![b]),
        None => actor.visible_branches(),
    };
    let rows = repo::holidays(conn, actor.company_id, branches.as_deref(), from, to)?;
    Ok(HolidayList {
        items: rows
            .iter()
            .map(holiday_response)
            .collect::<Result<_, _>>()?,
    })
}

/// The holidays of a branch between two dates, as a set: what leave is counted against.
pub fn holiday_set(
    conn: &mut DbConnection,
    company_id: CompanyId,
    branch_id: BranchId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashSet<NaiveDate>, AppError> {
    let branches = [branch_id];
    Ok(repo::holidays(conn, company_id, Some(&branches), from, to)?
        .into_iter()
        .map(|h| h.day)
        .collect())
}
