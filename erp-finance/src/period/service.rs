//! Fiscal years and periods: open a year, close and reopen periods, find the open period a
//! posting is dated into.

use chrono::{Months, NaiveDate};
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::pagination::ListParams;

use super::dto::*;
use super::model::PeriodRow;
use super::repo;
use crate::error::FinanceError;
use crate::ids::PeriodId;

const ENTITY: &str = "fin_period";

pub fn to_response(row: &PeriodRow) -> Result<PeriodResponse, AppError> {
    Ok(PeriodResponse {
        id: row.id,
        fiscal_year: row.fiscal_year,
        number: row.number,
        name: row.name(),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        status: row.status,
        version: row.version,
        updated_at: row.updated_at.and_utc(),
    })
}

/// The twelve monthly periods of fiscal year `year` starting in `first_month`.
pub fn monthly_periods(
    company_id: CompanyId,
    year: i32,
    first_month: u32,
) -> Result<Vec<PeriodRow>, AppError> {
    let start = NaiveDate::from_ymd_opt(year, first_month, 1)
        .ok_or_else(|| AppError::field("year", "is not a year this ledger keeps"))?;
    let at = now();
    (0..12u32)
        .map(|i| {
            let starts_on = start + Months::new(i);
            let ends_on = (start + Months::new(i + 1))
                .pred_opt()
                .ok_or_else(|| AppError::field("year", "is not a year this ledger keeps"))?;
            Ok(PeriodRow {
                id: PeriodId::new(),
                company_id,
                fiscal_year: year,
                number: i as i32 + 1,
                starts_on,
                ends_on,
                status: PeriodStatus::Open,
                version: 1,
                updated_at: at,
            })
        })
        .collect()
}

/// Inserts a fiscal year in the caller's transaction (the setup and the API share it).
pub fn insert_year(
    conn: &mut DbConnection,
    company_id: CompanyId,
    year: i32,
    first_month: u32,
) -> Result<Vec<PeriodRow>, AppError> {
    if repo::year_exists(conn, company_id, year)? {
        return Err(FinanceError::YearExists(year).into());
    }
    let periods = monthly_periods(company_id, year, first_month)?;
    let (first, last) = (periods[0].starts_on, periods[11].ends_on);
    if repo::overlaps(conn, company_id, first, last)? {
        return Err(AppError::conflict(
            "overlapping_fiscal_year",
            format!("another fiscal year covers dates between {first} and {last}"),
        ));
    }
    for p in &periods {
        repo::insert(conn, p)?;
    }
    Ok(periods)
}

pub fn open_fiscal_year(
    conn: &mut DbConnection,
    actor: &Actor,
    req: OpenFiscalYearRequest,
) -> Result<Vec<PeriodResponse>, AppError> {
    actor.require("finance.period.manage")?;
    let mut v = Validator::new();
    v.check(
        (1900..=9998).contains(&req.year),
        "year",
        "must be between 1900 and 9998",
    );
    let first_month = req.first_month.unwrap_or(1);
    v.check(
        (1..=12).contains(&first_month),
        "first_month",
        "must be between 1 and 12",
    );
    v.finish()?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let periods = insert_year(conn, company, req.year, first_month)?;
        let out: Vec<PeriodResponse> = periods.iter().map(to_response).collect::<Result<_, _>>()?;
        audit::record(
            conn,
            actor,
            ENTITY,
            periods[0].id,
            Change::Action("open_fiscal_year", Some(&out)),
        )?;
        Ok(out)
    })
}

pub fn list_periods(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: PeriodListQuery,
) -> Result<PeriodPage, AppError> {
    actor.require("finance.account.read")?;
    let page = params.validate()?;
    let rows = repo::list(conn, actor.company_id, q.fiscal_year, q.status, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    Ok(PeriodPage {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// Closes (`close`) or reopens a period; each is a right of its own, and audited.
pub fn set_period_status(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PeriodId,
    close: bool,
) -> Result<PeriodResponse, AppError> {
    let (permission, from, to, action) = if close {
        (
            "finance.period.close",
            PeriodStatus::Open,
            PeriodStatus::Closed,
            "close",
        )
    } else {
        (
            "finance.period.reopen",
            PeriodStatus::Closed,
            PeriodStatus::Open,
            "reopen",
        )
    };
    actor.require(permission)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let row = repo::find(conn, company, id)?.ok_or(AppError::NotFound("period"))?;
        if !repo::set_status(conn, &row, from, to)? {
            let current = repo::find(conn, company, row.id)?
                .map_or(row.status, |r| r.status)
                .to_string();
            return Err(AppError::InvalidState {
                entity: "period",
                action,
                current,
            });
        }
        let row = repo::find(conn, company, row.id)?.ok_or(AppError::NotFound("period"))?;
        let out = to_response(&row)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            row.id,
            Change::Action(action, Some(&out)),
        )?;
        Ok(out)
    })
}

/// The open period a posting dated `date` goes into, held open until the posting commits.
pub fn open_period_for(
    conn: &mut DbConnection,
    company_id: CompanyId,
    date: NaiveDate,
) -> Result<PeriodRow, AppError> {
    let row = repo::covering(conn, company_id, date)?.ok_or(FinanceError::NoPeriod { date })?;
    if !repo::hold_open(conn, row.id)? {
        return Err(FinanceError::PeriodClosed { period: row.name() }.into());
    }
    Ok(row)
}
