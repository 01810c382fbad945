//! The trial balance and the general ledger of an account.
//! The general ledger and the journal export are in `ledger.rs`.

use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::{AppError, Validator};
use erp_core::ids::BranchId;
use erp_core::ids::CompanyId;
use erp_core::money::Money;
use erp_core::org::{branch, company};

use super::dto::*;
use super::repo;
use crate::account;
use crate::account::dto::{AccountType, NormalSide};
use crate::ids::AccountId;
use crate::ids::PeriodId;
use crate::period;

pub use super::ledger::*;

pub const READ: &str = "finance.report.read";

/// The branches a statement covers: the one asked for (which the caller must see), or all
/// the caller sees (`None`: every branch, and lines booked to none).
pub(crate) fn branch_filter(
    conn: &mut DbConnection,
    actor: &Actor,
    branch_id: Option<BranchId>,
) -> Result<Option<Vec<BranchId>>, AppError> {
    match branch_id {
        Some(b) => {
            branch::service::load_visible(conn, actor, b)?;
            Ok(Some(vec![b]))
        }
        None => Ok(actor.visible_branches()),
    }
}

/// The periods that tile `from..=to` exactly.
pub(crate) fn periods_between(
    conn: &mut DbConnection,
    company_id: CompanyId,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<Vec<PeriodId>, AppError> {
    let mut v = Validator::new();
    v.check(from <= to, "to", "must be on or after `from`");
    v.finish()?;
    let periods = period::repo::within(conn, company_id, from, to)?;
    let tiles = periods.first().is_some_and(|p| p.starts_on == from)
        && periods.last().is_some_and(|p| p.ends_on == to)
        && periods
            .windows(2)
            .all(|w| w[0].ends_on.succ_opt() == Some(w[1].starts_on));
    if !tiles {
        return Err(AppError::Validation(vec![
            erp_core::error::FieldError::new(
                "from",
                "`from` and `to` must be the first and last days of fiscal periods",
            ),
        ]));
    }
    Ok(periods.into_iter().map(|p| p.id).collect())
}

/// (opening, debit, credit) per account, scaled: the opening balance (debit positive) before
/// `from`, and what was posted in the whole periods `from..=to`, from the caches.
pub(super) fn movements(
    conn: &mut DbConnection,
    company_id: CompanyId,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    branches: Option<&[BranchId]>,
) -> Result<HashMap<AccountId, (i64, i64, i64)>, AppError> {
    let within = periods_between(conn, company_id, from, to)?;
    let before = period::repo::ending_before(conn, company_id, from)?;
    let mut sums: HashMap<AccountId, (i64, i64, i64)> = HashMap::new();
    for (account, _, _, d, c) in repo::balances(conn, &before, branches)? {
        sums.entry(account).or_default().0 += d - c;
    }
    for (account, _, _, d, c) in repo::balances(conn, &within, branches)? {
        let s = sums.entry(account).or_default();
        s.1 += d;
        s.2 += c;
    }
    Ok(sums)
}

/// One side of a statement: the accounts of some types with their amounts on their normal
/// side (a revenue of 5000 is `5000`, not `-5000`), and the total (also returned scaled).
pub(super) fn section(
    accounts: &[account::model::AccountRow],
    amounts: &HashMap<AccountId, i64>,
    types: &[AccountType],
) -> Result<(StatementSection, i64), AppError> {
    let mut lines = Vec::new();
    let mut total = 0i64;
    for a in accounts {
        let t = a.account_type;
        if !types.contains(&t) {
            continue;
        }
        let Some(&debit_positive) = amounts.get(&a.id).filter(|x| **x != 0) else {
            continue;
        };
        let amount = match t.normal_side() {
            NormalSide::Debit => debit_positive,
            NormalSide::Credit => -debit_positive,
        };
        total += amount;
        lines.push(StatementLine {
            account_id: a.id,
            code: a.code.clone(),
            name: a.name.clone(),
            amount: Money::from_scaled(amount),
        });
    }
    Ok((
        StatementSection {
            lines,
            total: Money::from_scaled(total),
        },
        total,
    ))
}

/// The comparison part of a statement: built for `from..=to` when both are given.
pub(super) fn compared<T>(
    conn: &mut DbConnection,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    build: impl Fn(&mut DbConnection, chrono::NaiveDate, chrono::NaiveDate) -> Result<T, AppError>,
) -> Result<Option<T>, AppError> {
    match (from, to) {
        (Some(f), Some(t)) => Ok(Some(build(conn, f, t)?)),
        (None, None) => Ok(None),
        _ => Err(AppError::field(
            "compare_from",
            "give both `compare_from` and `compare_to`, or neither",
        )),
    }
}

/// Revenue, expenses and the net income of whole periods `from..=to`.
pub fn income_statement(
    conn: &mut DbConnection,
    actor: &Actor,
    q: StatementQuery,
) -> Result<IncomeStatement, AppError> {
    actor.require(READ)?;
    let company_id = actor.company_id;
    let branches = branch_filter(conn, actor, q.branch_id)?;
    let accounts = account::repo::all_of(conn, company_id)?;
    let build = |conn: &mut DbConnection, from, to| -> Result<IncomePart, AppError> {
        let sums = movements(conn, company_id, from, to, branches.as_deref())?;
        let mut net: HashMap<AccountId, i64> =
            sums.into_iter().map(|(a, (_, d, c))| (a, d - c)).collect();
        // A closed year shows its result: the close's entry is left out.
        for (account, d, c) in
            repo::year_close_lines(conn, company_id, from, to, branches.as_deref())?
        {
            *net.entry(account).or_default() -= d - c;
        }
        let (revenue, revenue_total) = section(&accounts, &net, &[AccountType::Revenue])?;
        let (expenses, expense_total) = section(&accounts, &net, &[AccountType::Expense])?;
        let net_income = Money::from_scaled(revenue_total - expense_total);
        Ok(IncomePart {
            from,
            to,
            revenue,
            expenses,
            net_income,
        })
    };
    let current = build(conn, q.from, q.to)?;
    let comparison = compared(conn, q.compare_from, q.compare_to, build)?;
    Ok(IncomeStatement {
        current,
        comparison,
    })
}

/// Assets, liabilities and equity at the end of `to`, with the earnings not yet closed to
/// retained earnings as a line of equity, so assets equal liabilities plus equity.
pub fn balance_sheet(
    conn: &mut DbConnection,
    actor: &Actor,
    q: BalanceSheetQuery,
) -> Result<BalanceSheet, AppError> {
    actor.require(READ)?;
    let company_id = actor.company_id;
    let branches = branch_filter(conn, actor, q.branch_id)?;
    let accounts = account::repo::all_of(conn, company_id)?;
    let period = period::repo::covering(conn, company_id, q.as_of)?
        .filter(|p| p.ends_on == q.as_of)
        .ok_or_else(|| AppError::field("as_of", "must be the last day of a fiscal period"))?;
    let sums = movements(
        conn,
        company_id,
        period.starts_on,
        period.ends_on,
        branches.as_deref(),
    )?;
    let closing: HashMap<AccountId, i64> = sums
        .into_iter()
        .map(|(a, (o, d, c))| (a, o + d - c))
        .collect();
    let (assets, _) = section(&accounts, &closing, &[AccountType::Asset])?;
    let (liabilities, liabilities_total) = section(&accounts, &closing, &[AccountType::Liability])?;
    let (mut equity, equity_accounts) = section(&accounts, &closing, &[AccountType::Equity])?;
    let earnings = section(&accounts, &closing, &[AccountType::Revenue])?.1
        - section(&accounts, &closing, &[AccountType::Expense])?.1;
    equity.total = Money::from_scaled(equity_accounts + earnings);
    Ok(BalanceSheet {
        as_of: q.as_of,
        assets,
        liabilities,
        equity,
        unclosed_earnings: Money::from_scaled(earnings),
        total_liabilities_and_equity: Money::from_scaled(
            liabilities_total + equity_accounts + earnings,
        ),
    })
}

pub fn trial_balance(
    conn: &mut DbConnection,
    actor: &Actor,
    q: TrialBalanceQuery,
) -> Result<TrialBalanceResponse, AppError> {
    actor.require(READ)?;
    let company_id = actor.company_id;
    let branches = branch_filter(conn, actor, q.branch_id)?;
    let sums = movements(conn, company_id, q.from, q.to, branches.as_deref())?;
    let currency = company::repo::find(conn, company_id)?
        .ok_or(AppError::NotFound("company"))?
        .currency;
    let mut lines = Vec::new();
    let (mut td, mut tc, mut tcd, mut tcc) = (0i64, 0i64, 0i64, 0i64);
    for a in account::repo::all_of(conn, company_id)? {
        let Some(&(opening, debit, credit)) = sums.get(&a.id) else {
            continue;
        };
        if opening == 0 && debit == 0 && credit == 0 {
            continue;
        }
        let closing = opening + debit - credit;
        let (cd, cc) = if closing >= 0 {
            (closing, 0)
        } else {
            (0, -closing)
        };
        td += debit;
        tc += credit;
        tcd += cd;
        tcc += cc;
        lines.push(TrialBalanceLine {
            account_id: a.id,
            code: a.code.clone(),
            name: a.name.clone(),
            account_type: a.account_type,
            opening: Money::from_scaled(opening),
            debit: Money::from_scaled(debit),
            credit: Money::from_scaled(credit),
            closing: Money::from_scaled(closing),
            closing_debit: Money::from_scaled(cd),
            closing_credit: Money::from_scaled(cc),
        });
    }
    Ok(TrialBalanceResponse {
        from: q.from,
        to: q.to,
        currency,
        lines,
        total_debit: Money::from_scaled(td),
        total_credit: Money::from_scaled(tc),
        total_closing_debit: Money::from_scaled(tcd),
        total_closing_credit: Money::from_scaled(tcc),
    })
}

pub(super) fn codes(
    given: Option<&str>,
    default: &str,
    field: &str,
) -> Result<Vec<String>, AppError> {
    let list: Vec<String> = given
        .unwrap_or(default)
        .split(',')
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    if list.len() > 100 {
        return Err(AppError::field(field, "at most 100 account codes"));
    }
    Ok(list)
}

/// The cash flow of whole periods by the indirect method: net income, then the change of
/// every balance-sheet account that is not cash, as operating, investing or financing. The
/// year-end close is left out (it moves earnings within equity, not cash), so the three add up
/// to the change of the cash accounts exactly.
pub fn cash_flow(
    conn: &mut DbConnection,
    actor: &Actor,
    q: CashFlowQuery,
) -> Result<CashFlowStatement, AppError> {
    actor.require(READ)?;
    let company_id = actor.company_id;
    let branches = branch_filter(conn, actor, q.branch_id)?;
    let accounts = account::repo::all_of(conn, company_id)?;
    let cash = codes(q.cash_accounts.as_deref(), "1000,1100", "cash_accounts")?;
    let investing = codes(
        q.investing_accounts.as_deref(),
        "1500",
        "investing_accounts",
    )?;
    let financing = codes(
        q.financing_accounts.as_deref(),
        "2500",
        "financing_accounts",
    )?;
    for (field, list) in [
        ("cash_accounts", &cash),
        ("investing_accounts", &investing),
        ("financing_accounts", &financing),
    ] {
        if let Some(missing) = list
            .iter()
            .find(|c| !accounts.iter().any(|a| &a.code == *c))
        {
            return Err(AppError::field(
                field,
                format!("no account with the code '{missing}'"),
            ));
        }
    }
    let build = |conn: &mut DbConnection, from, to| -> Result<CashFlowPart, AppError> {
        let sums = movements(conn, company_id, from, to, branches.as_deref())?;
        // (opening, change) per account, debit positive, without the year-end close.
        let mut change: HashMap<AccountId, (i64, i64)> = sums
            .into_iter()
            .map(|(a, (o, d, c))| (a, (o, d - c)))
            .collect();
        for (account, d, c) in
            repo::year_close_lines(conn, company_id, from, to, branches.as_deref())?
        {
            change.entry(account).or_default().1 -= d - c;
        }
        let mut net_income = 0i64;
        let (mut opening_cash, mut change_cash) = (0i64, 0i64);
        let mut parts: [(Vec<StatementLine>, i64); 3] = Default::default();
        for a in &accounts {
            let Some(&(opening, delta)) = change.get(&a.id) else {
                continue;
            };
            let t = a.account_type;
            if matches!(t, AccountType::Revenue | AccountType::Expense) {
                net_income -= delta;
                continue;
            }
            if cash.contains(&a.code) {
                opening_cash += opening;
                change_cash += delta;
                continue;
            }
            if delta == 0 {
                continue;
            }
            let part = if t == AccountType::Equity || financing.contains(&a.code) {
                2
            } else if investing.contains(&a.code) {
                1
            } else {
                0
            };
            // More of an asset is cash spent; more of a liability or equity is cash got.
            parts[part].0.push(StatementLine {
                account_id: a.id,
                code: a.code.clone(),
                name: a.name.clone(),
                amount: Money::from_scaled(-delta),
            });
            parts[part].1 -= delta;
        }
        let section = |(lines, total): (Vec<StatementLine>, i64)| StatementSection {
            lines,
            total: Money::from_scaled(total),
        };
        let [operating, investing, financing] = parts;
        // For all branches the entries balance and this is zero; one branch's lines may not
        // (a transfer between branches): what crossed the branch's border is a line of its own.
        let crossed = change_cash - (net_income + operating.1 + investing.1 + financing.1);
        let operating_total = net_income + operating.1 + crossed;
        let net = operating_total + investing.1 + financing.1;
        Ok(CashFlowPart {
            from,
            to,
            net_income: Money::from_scaled(net_income),
            between_branches: Money::from_scaled(crossed),
            operating: StatementSection {
                lines: operating.0,
                total: Money::from_scaled(operating_total),
            },
            investing: section(investing),
            financing: section(financing),
            net_change: Money::from_scaled(net),
            opening_cash: Money::from_scaled(opening_cash),
            closing_cash: Money::from_scaled(opening_cash + change_cash),
        })
    };
    let current = build(conn, q.from, q.to)?;
    let comparison = compared(conn, q.compare_from, q.compare_to, build)?;
    Ok(CashFlowStatement {
        current,
        comparison,
    })
}
