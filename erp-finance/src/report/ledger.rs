//! The general ledger of an account and the whole journal exported as hledger text.

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::{AppError, Validator};
use erp_core::money::Money;
use erp_core::org::company;

use super::dto::*;
use super::repo;
use super::service::*;
use crate::account;
use crate::ids::{AccountId, EntryId};
use crate::period;

/// The posted lines of one account between two dates with a running balance.
pub fn ledger(
    conn: &mut DbConnection,
    actor: &Actor,
    id: AccountId,
    q: LedgerQuery,
) -> Result<LedgerResponse, AppError> {
    actor.require(READ)?;
    let company_id = actor.company_id;
    let mut v = Validator::new();
    v.check(q.from <= q.to, "to", "must be on or after `from`");
    v.finish()?;
    let acct = account::repo::find(conn, company_id, id)?.ok_or(AppError::NotFound("account"))?;
    let branches = branch_filter(conn, actor, q.branch_id)?;
    // Opening: the caches of whole periods before `from`, then the lines of the period that
    // `from` falls in, up to the day before.
    let before = period::repo::ending_before(conn, company_id, q.from)?;
    let (mut opening, mut opening_currency) =
        repo::account_net(conn, acct.id, &before, branches.as_deref())?;
    if let Some(p) = period::repo::covering(conn, company_id, q.from)? {
        if let Some(day_before) = q.from.pred_opt().filter(|d| *d >= p.starts_on) {
            for (l, _) in
                repo::posted_lines(conn, acct.id, p.starts_on, day_before, branches.as_deref())?
            {
                opening += l.debit - l.credit;
                opening_currency += l.amount_currency.unwrap_or(0);
            }
        }
    }
    // Balances in currency mean something only for an account kept in one currency.
    let own = crate::entry::service::company_currency(conn, company_id)?;
    let kept_in = acct.currency.clone().filter(|c| *c != own);
    let in_kept = |x: i64| kept_in.as_ref().map(|_| Money::from_scaled(x));
    let (mut balance, mut balance_currency) = (opening, opening_currency);
    let mut lines = Vec::new();
    for (l, e) in repo::posted_lines(conn, acct.id, q.from, q.to, branches.as_deref())? {
        balance += l.debit - l.credit;
        balance_currency += l.amount_currency.unwrap_or(0);
        lines.push(LedgerLine {
            entry_id: e.id,
            number: e.number.clone(),
            entry_date: e.entry_date,
            status: e.status,
            description: l.description.clone().or(e.description.clone()),
            debit: Money::from_scaled(l.debit),
            credit: Money::from_scaled(l.credit),
            balance: Money::from_scaled(balance),
            currency: l.currency.clone(),
            amount_in_currency: l.amount_currency.map(Money::from_scaled),
            balance_in_currency: in_kept(balance_currency),
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
        opening_in_currency: in_kept(opening_currency),
        closing_in_currency: in_kept(balance_currency),
        currency: kept_in,
    })
}

/// An account as a plain-text-accounting account name: `1000 Cash`, one space between words
/// and no `:` (which would make a hierarchy) or `;` (a comment).
pub(super) fn ledger_account_name(code: &str, name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if matches!(c, ':' | ';' | '\t') {
                '-'
            } else {
                c
            }
        })
        .collect();
    format!(
        "{code} {}",
        name.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// The posted entries dated within `from..=to` as a journal that hledger, ledger and
/// Beancount's importers read: one transaction per entry, its number as the code, amounts in
/// the company's currency. Only for users who see every branch.
pub fn export_journal(
    conn: &mut DbConnection,
    actor: &Actor,
    q: LedgerExportQuery,
) -> Result<String, AppError> {
    actor.require(READ)?;
    actor.require(crate::entry::service::READ)?;
    if !actor.sees_all_branches() {
        return Err(AppError::Forbidden(
            "finance export of every branch (the caller sees only some)".into(),
        ));
    }
    let mut v = Validator::new();
    v.check(q.from <= q.to, "to", "must be on or after `from`");
    v.finish()?;
    let company_id = actor.company_id;
    let currency = company::repo::find(conn, company_id)?
        .ok_or(AppError::NotFound("company"))?
        .currency;
    let mut out = format!(
        "; journal of {} to {}, exported by the ERP server; amounts in {currency}\n",
        q.from, q.to
    );
    let mut current: Option<EntryId> = None;
    for (line, entry, code, name) in repo::posted_between(conn, company_id, q.from, q.to)? {
        if current != Some(entry.id) {
            let description = entry
                .description
                .as_deref()
                .unwrap_or("")
                .replace(['\n', '\r', ';'], " ");
            out.push_str(&format!(
                "\n{} ({}) {}\n",
                entry.entry_date,
                entry.number.as_deref().unwrap_or(""),
                description.trim()
            ));
            current = Some(entry.id);
        }
        let amount = Money::from_scaled(line.debit - line.credit);
        out.push_str(&format!(
            "    {}  {amount} {currency}\n",
            ledger_account_name(&code, &name)
        ));
    }
    Ok(out)
}
