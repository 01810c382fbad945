//! Budget control: what a document that commits money (a purchase order being confirmed)
//! meets when it asks for more than is left of the budget in force on an account.

use std::collections::HashMap;

use chrono::NaiveDate;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::money::Money;

use super::repo;
use crate::ids::{AccountId, PeriodId};
use crate::settings::dto::BudgetControl;

/// What a document asks of one account (money ×10⁴, company currency), and what other open
/// documents have committed on it and not yet posted.
pub struct Ask {
    pub account_id: AccountId,
    pub amount: i64,
    pub committed: i64,
}

/// The first and last day of the fiscal year `date` falls in; None when no period covers it.
pub fn fiscal_year_of(
    conn: &mut DbConnection,
    company: CompanyId,
    date: NaiveDate,
) -> Result<Option<(NaiveDate, NaiveDate)>, AppError> {
    let Some(period) = crate::period::repo::covering(conn, company, date)? else {
        return Ok(None);
    };
    let year = crate::period::repo::list_year(conn, company, period.fiscal_year)?;
    Ok(match (year.first(), year.last()) {
        (Some(first), Some(last)) => Some((first.starts_on, last.ends_on)),
        _ => None,
    })
}

/// Checks `asks` dated `date` against the budget in force for the date's fiscal year: what is
/// left of an account is its budget for the year less what was debited to it in the year and
/// what is committed. Control `off`, no period or no budget in force: nothing to say. `warn`:
/// a message per account over budget. `refuse`: 422 `over_budget` naming them.
pub fn check(
    conn: &mut DbConnection,
    company: CompanyId,
    date: NaiveDate,
    asks: &[Ask],
) -> Result<Vec<String>, AppError> {
    let control = crate::settings::service::of_company(conn, company)?.budget_control;
    if control == BudgetControl::Off || asks.is_empty() {
        return Ok(Vec::new());
    }
    let Some(period) = crate::period::repo::covering(conn, company, date)? else {
        return Ok(Vec::new());
    };
    let Some(budget) = repo::in_force(conn, company, period.fiscal_year)? else {
        return Ok(Vec::new());
    };
    let mut planned: HashMap<AccountId, i64> = HashMap::new();
    for l in repo::lines_of(conn, budget.id)? {
        *planned.entry(l.account_id).or_default() += l.amount;
    }
    let periods: Vec<PeriodId> = crate::period::repo::list_year(conn, company, period.fiscal_year)?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut debited: HashMap<AccountId, i64> = HashMap::new();
    for (account, _, _, debit, _) in crate::report::repo::balances(conn, &periods, None)? {
        *debited.entry(account).or_default() += debit;
    }
    let mut over = Vec::new();
    for a in asks {
        let Some(plan) = planned.get(&a.account_id) else {
            continue;
        };
        let left = plan - debited.get(&a.account_id).copied().unwrap_or(0) - a.committed;
        if a.amount > left {
            let code = crate::account::repo::find(conn, company, a.account_id)?
                .map(|x| format!("{} {}", x.code, x.name))
                .unwrap_or_else(|| a.account_id.to_string());
            over.push(format!(
                "account {code}: {} asked, {} left of budget '{}'",
                Money::from_scaled(a.amount),
                Money::from_scaled(left),
                budget.name
            ));
        }
    }
    if control == BudgetControl::Refuse && !over.is_empty() {
        return Err(AppError::Unprocessable {
            code: "over_budget",
            detail: over.join("; "),
        });
    }
    Ok(over)
}
