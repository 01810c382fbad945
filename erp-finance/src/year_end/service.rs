//! Closing a fiscal year: the year's revenue and expense balances moved to retained earnings
//! by one entry, and its periods closed. Above periods, entries and reports, which it uses.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{write_tx, DbConnection};
use erp_core::error::AppError;

use super::dto::*;
use crate::account::dto::AccountType;
use crate::entry::builder::{Dimensions, EntryBuilder};
use crate::ids::AccountId;
use crate::ids::PeriodId;
use crate::journal::dto::JournalKind;
use crate::period::dto::PeriodStatus;
use crate::period::{repo as period_repo, service as period_service};

/// Closes fiscal year `year`: every revenue and expense balance of the year (per account and
/// branch, from the balance caches) is moved to retained earnings by one entry dated the
/// year's last day, and the year's periods are closed. 409 `year_closed` when a standing close
/// exists; to reopen a year, reopen its last period and reverse the closing entry.
pub fn close_year(
    conn: &mut DbConnection,
    actor: &Actor,
    year: i32,
    req: CloseYearRequest,
) -> Result<YearCloseResponse, AppError> {
    actor.require("finance.period.close")?;
    if !actor.sees_all_branches() {
        return Err(AppError::Forbidden(
            "finance.period.close for every branch: a year closes for the whole company".into(),
        ));
    }
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let periods = period_repo::list_year(conn, company, year)?;
        let last = periods
            .last()
            .cloned()
            .ok_or(AppError::NotFound("fiscal_year"))?;
        if let Some(e) = crate::report::repo::year_close(conn, company, year)? {
            return Err(AppError::conflict(
                "year_closed",
                format!(
                    "the fiscal year {year} is closed by {}; reopen its last period and reverse that entry first",
                    e.number.unwrap_or_default()
                ),
            ));
        }
        let retained = match req.retained_earnings_account_id {
            Some(a) => crate::account::repo::find(conn, company, a)?,
            None => crate::account::repo::find_by_code(conn, company, "3100")?,
        };
        let retained = match retained {
            Some(a) if a.account_type == AccountType::Equity && a.active => a.id,
            _ => {
                return Err(AppError::field(
                    "retained_earnings_account_id",
                    "name an active equity account (the chart has no 3100)",
                ))
            }
        };
        let accounts = crate::account::repo::all_of(conn, company)?;
        let result_accounts: std::collections::HashSet<AccountId> = accounts
            .iter()
            .filter(|a| matches!(a.account_type, AccountType::Revenue | AccountType::Expense))
            .map(|a| a.id)
            .collect();
        let ids: Vec<PeriodId> = periods.iter().map(|p| p.id).collect();
        let mut b = EntryBuilder::new();
        let mut net_income = 0i64;
        for (account, _, branch, d, c) in crate::report::repo::balances(conn, &ids, None)? {
            if !result_accounts.contains(&account) || d == c {
                continue;
            }
            let dims = Dimensions {
                branch_id: branch.0,
                ..Default::default()
            };
            b.add(account, dims.clone(), c - d);
            b.add(retained, dims, d - c);
            net_income += c - d;
        }
        let entry = if b.is_empty() {
            None
        } else {
            Some(b.post(
                conn,
                actor,
                JournalKind::General,
                last.ends_on,
                format!("Year-end close {year}"),
                (crate::report::repo::YEAR_CLOSE, &year.to_string()),
            )?)
        };
        let mut out = Vec::with_capacity(periods.len());
        for p in &periods {
            if p.status == PeriodStatus::Open {
                period_repo::set_status(conn, p, PeriodStatus::Open, PeriodStatus::Closed)?;
            }
            let row =
                period_repo::find(conn, company, p.id)?.ok_or(AppError::NotFound("period"))?;
            out.push(period_service::to_response(&row)?);
        }
        let response = YearCloseResponse {
            fiscal_year: year,
            net_income: erp_core::money::Money::from_scaled(net_income),
            entry_id: entry.as_ref().map(|e| e.id),
            entry_number: entry.and_then(|e| e.number),
            periods: out,
        };
        audit::record(
            conn,
            actor,
            "fin_fiscal_year",
            format!("{company}:{year}"),
            Change::Action("close", Some(&response)),
        )?;
        Ok(response)
    })
}
