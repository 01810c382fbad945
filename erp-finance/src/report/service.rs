//! The trial balance and the general ledger of an account.

use std::collections::HashMap;

use erp_core::auth::{Actor, BranchScope};
use erp_core::db::{enum_from_db, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::BranchId;
use erp_core::money::Money;
use erp_core::org::{branch, company};

use super::dto::*;
use super::repo;
use crate::account;
use crate::ids::{AccountId, EntryId};
use crate::period;

pub const READ: &str = "finance.report.read";

/// The branches a statement covers: the one asked for (which the caller must see), or all
/// the caller sees (`None`: every branch, and lines booked to none).
fn branch_filter(
    conn: &mut DbConnection,
    actor: &Actor,
    branch_id: Option<BranchId>,
) -> Result<Option<Vec<String>>, AppError> {
    match branch_id {
        Some(b) => {
            if !actor.sees_branch(&b)
                || !branch::repo::exists_in_company(conn, &b.to_db(), &actor.company_id.to_db())?
            {
                return Err(AppError::NotFound("branch"));
            }
            Ok(Some(vec![b.to_db()]))
        }
        None => Ok(match &actor.branches {
            BranchScope::All => None,
            BranchScope::Only(set) => Some(set.iter().map(|b| b.to_db()).collect()),
        }),
    }
}

/// The periods that tile `from..=to` exactly.
fn periods_between(
    conn: &mut DbConnection,
    company_id: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<Vec<String>, AppError> {
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

pub fn trial_balance(
    conn: &mut DbConnection,
    actor: &Actor,
    q: TrialBalanceQuery,
) -> Result<TrialBalanceResponse, AppError> {
    actor.require(READ)?;
    let company_id = actor.company_id.to_db();
    let branches = branch_filter(conn, actor, q.branch_id)?;
    let within = periods_between(conn, &company_id, q.from, q.to)?;
    let before = period::repo::ending_before(conn, &company_id, q.from)?;
    // (opening, debit, credit) per account, scaled.
    let mut sums: HashMap<String, (i64, i64, i64)> = HashMap::new();
    for (account, _, _, d, c) in repo::balances(conn, &before, branches.as_deref())? {
        sums.entry(account).or_default().0 += d - c;
    }
    for (account, _, _, d, c) in repo::balances(conn, &within, branches.as_deref())? {
        let s = sums.entry(account).or_default();
        s.1 += d;
        s.2 += c;
    }
    let currency = company::repo::find(conn, &company_id)?
        .ok_or(AppError::NotFound("company"))?
        .currency;
    let mut lines = Vec::new();
    let (mut td, mut tc, mut tcd, mut tcc) = (0i64, 0i64, 0i64, 0i64);
    for a in account::repo::all_of(conn, &company_id)? {
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
            account_id: AccountId::from_db(&a.id)?,
            code: a.code.clone(),
            name: a.name.clone(),
            account_type: enum_from_db(&a.account_type)?,
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

/// The posted lines of one account between two dates with a running balance.
pub fn ledger(
    conn: &mut DbConnection,
    actor: &Actor,
    id: AccountId,
    q: LedgerQuery,
) -> Result<LedgerResponse, AppError> {
    actor.require(READ)?;
    let company_id = actor.company_id.to_db();
    let mut v = Validator::new();
    v.check(q.from <= q.to, "to", "must be on or after `from`");
    v.finish()?;
    let acct = account::repo::find(conn, &company_id, &id.to_db())?
        .ok_or(AppError::NotFound("account"))?;
    let branches = branch_filter(conn, actor, q.branch_id)?;
    // Opening: the caches of whole periods before `from`, then the lines of the period that
    // `from` falls in, up to the day before.
    let before = period::repo::ending_before(conn, &company_id, q.from)?;
    let mut opening: i64 = repo::balances(conn, &before, branches.as_deref())?
        .into_iter()
        .filter(|(a, ..)| *a == acct.id)
        .map(|(_, _, _, d, c)| d - c)
        .sum();
    if let Some(p) = period::repo::covering(conn, &company_id, q.from)? {
        if let Some(day_before) = q.from.pred_opt().filter(|d| *d >= p.starts_on) {
            opening +=
                repo::posted_lines(conn, &acct.id, p.starts_on, day_before, branches.as_deref())?
                    .iter()
                    .map(|(l, _)| l.debit - l.credit)
                    .sum::<i64>();
        }
    }
    let mut balance = opening;
    let mut lines = Vec::new();
    for (l, e) in repo::posted_lines(conn, &acct.id, q.from, q.to, branches.as_deref())? {
        balance += l.debit - l.credit;
        lines.push(LedgerLine {
            entry_id: EntryId::from_db(&e.id)?,
            number: e.number.clone(),
            entry_date: e.entry_date,
            status: enum_from_db(&e.status)?,
            description: l.description.clone().or(e.description.clone()),
            debit: Money::from_scaled(l.debit),
            credit: Money::from_scaled(l.credit),
            balance: Money::from_scaled(balance),
        });
    }
    Ok(LedgerResponse {
        account_id: id,
        code: acct.code,
        name: acct.name,
        from: q.from,
        to: q.to,
        opening: Money::from_scaled(opening),
        lines,
        closing: Money::from_scaled(balance),
    })
}
