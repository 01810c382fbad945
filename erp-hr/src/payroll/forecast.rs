//! What payroll will pay, for the cash-flow forecast: each branch's pay run at the end of its
//! month (net pay, deductions and employer contributions all leave the company), and for a
//! month in the horizon without a run yet, the branch's latest run as the estimate; of a run
//! paid out, only what it withheld and the employer's contributions. Runs of months ended
//! before the horizon are taken as paid.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::{BranchId, CompanyId};
use erp_finance::forecast::dto::{CashItem, CashSource, Horizon};

use super::model::PayRunRow;
use super::repo;

fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_months(chrono::Months::new(1))?
        .pred_opt()
}

pub fn cash_items(
    conn: &mut DbConnection,
    company_id: CompanyId,
    h: &Horizon,
) -> Result<Vec<CashItem>, AppError> {
    let end = h.from + chrono::Duration::days(i64::from(h.weeks) * 7 - 1);
    let mut by_branch: BTreeMap<BranchId, Vec<PayRunRow>> = BTreeMap::new();
    for r in repo::all_runs(conn, company_id)? {
        by_branch.entry(r.branch_id).or_default().push(r);
    }
    let mut out = Vec::new();
    for runs in by_branch.values() {
        // Runs come latest first.
        let Some(latest) = runs.first() else { continue };
        let mut month = (h.from.year(), h.from.month());
        while let Some(last_day) = month_end(month.0, month.1) {
            if last_day > end {
                break;
            }
            let actual = runs
                .iter()
                .find(|r| r.year == month.0 && u32::try_from(r.month).ok() == Some(month.1));
            let (run, reference) = match actual {
                Some(r) => (r, format!("Payroll {}-{:02}", r.year, r.month)),
                None if (latest.year, latest.month)
                    < (month.0, i32::try_from(month.1).unwrap_or(0)) =>
                {
                    (
                        latest,
                        format!(
                            "Payroll {}-{:02} (estimate from {}-{:02})",
                            month.0, month.1, latest.year, latest.month
                        ),
                    )
                }
                None => {
                    month = next(month);
                    continue;
                }
            };
            // Once paid out, the net pay has left the bank; deductions and contributions
            // are still owed.
            let amount = match (actual, run.paid_on) {
                (Some(_), Some(_)) => run.deductions + run.employer,
                _ => run.net + run.deductions + run.employer,
            };
            if amount > 0 {
                out.push(CashItem {
                    source: CashSource::Payroll,
                    reference,
                    date: last_day,
                    amount: -amount,
                    foreign: None,
                });
            }
            month = next(month);
        }
    }
    Ok(out)
}

fn next((y, m): (i32, u32)) -> (i32, u32) {
    if m == 12 {
        (y + 1, 1)
    } else {
        (y, m + 1)
    }
}
