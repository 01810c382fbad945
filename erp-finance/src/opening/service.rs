//! Opening balances as one posted entry, checked as any entry is (open period, amounts,
//! branches), after naming every account it cannot find by its line.

use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::db::{write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Money;
use rust_decimal::Decimal;

use super::dto::{AccountOpeningLine, AccountOpeningRequest};
use crate::entry::dto::{CreateEntryRequest, EntryLineInput, EntryResponse};
use crate::entry::service::{self as entry, Origin};
use crate::ids::{AccountId, JournalId};
use crate::{account, journal};

/// The most balances one request takes.
pub const MAX_LINES: usize = 5000;
/// What the entry records, for finding it among the entries.
pub const REFERENCE_TYPE: &str = "opening_balances";

/// Posts the balances as one entry; all or nothing.
pub fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    req: AccountOpeningRequest,
) -> Result<EntryResponse, AppError> {
    actor.require(entry::WRITE)?;
    actor.require(entry::POST)?;
    write_tx(conn, |conn| {
        let mut v = Validator::new();
        if req.lines.is_empty() || req.lines.len() > MAX_LINES {
            v.add("lines", format!("give 1 to {MAX_LINES} balances"));
        }
        let accounts = accounts_of(conn, actor, &req.lines, &mut v)?;
        let journal_id = journal_of(conn, actor, req.journal_id, &mut v)?;
        let mut lines: Vec<EntryLineInput> = req
            .lines
            .iter()
            .zip(accounts)
            .filter_map(|(line, account)| Some(entry_line(line, account?)))
            .collect();
        let (debit, credit) = (
            side_total(&lines, |l| l.debit),
            side_total(&lines, |l| l.credit),
        );
        let difference = debit - credit;
        if !difference.is_zero() {
            match req.offset_account_id {
                Some(offset) if !known(conn, actor, offset)? => {
                    v.add("offset_account_id", "no such account in the company")
                }
                Some(offset) => lines.push(offset_line(offset, difference)?),
                None => v.add(
                    "offset_account_id",
                    format!(
                        "debits {} and credits {} differ by {}: name the account that takes the \
                         difference (an opening balance equity account), or make them equal",
                        shown(debit),
                        shown(credit),
                        shown(difference.abs())
                    ),
                ),
            }
        }
        v.finish()?;
        let journal_id = journal_id.ok_or(AppError::NotFound("journal"))?;
        let req = CreateEntryRequest {
            id: None,
            journal_id,
            entry_date: req.entry_date,
            description: Some(
                req.description
                    .unwrap_or_else(|| "Opening balances".to_string()),
            ),
            reference_type: Some(REFERENCE_TYPE.to_string()),
            reference_id: None,
            lines,
            post: true,
        };
        entry::record(conn, actor, &req, Origin::Api)
    })
}

/// Each line's account, by id or by code; a line naming neither, both, or an unknown code is
/// named in `v` and has none.
fn accounts_of(
    conn: &mut DbConnection,
    actor: &Actor,
    lines: &[AccountOpeningLine],
    v: &mut Validator,
) -> Result<Vec<Option<AccountId>>, AppError> {
    let codes: HashMap<String, AccountId> = if lines.iter().any(|l| l.account_code.is_some()) {
        account::repo::all_of(conn, actor.company_id)?
            .into_iter()
            .map(|a| (a.code, a.id))
            .collect()
    } else {
        HashMap::new()
    };
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        out.push(match (line.account_id, line.account_code.as_deref()) {
            (Some(id), None) => Some(id),
            (None, Some(code)) => match codes.get(code.trim()) {
                Some(id) => Some(*id),
                None => {
                    v.add(
                        format!("lines[{i}].account_code"),
                        format!("the chart has no account '{code}'"),
                    );
                    None
                }
            },
            _ => {
                v.add(
                    format!("lines[{i}].account_id"),
                    "name the account by account_id or by account_code, one of the two",
                );
                None
            }
        });
    }
    Ok(out)
}

fn known(conn: &mut DbConnection, actor: &Actor, id: AccountId) -> Result<bool, AppError> {
    Ok(account::repo::find(conn, actor.company_id, id)?.is_some())
}

/// The journal given, else the company's first general journal (named in `v` when it has none).
fn journal_of(
    conn: &mut DbConnection,
    actor: &Actor,
    given: Option<JournalId>,
    v: &mut Validator,
) -> Result<Option<JournalId>, AppError> {
    if given.is_some() {
        return Ok(given);
    }
    match journal::repo::first_of_kind(conn, actor.company_id, "general")? {
        Some(j) => Ok(Some(j.id)),
        None => {
            v.add(
                "journal_id",
                "the company has no general journal: name a journal, or run POST /api/v1/finance/setup",
            );
            Ok(None)
        }
    }
}

fn entry_line(line: &AccountOpeningLine, account_id: AccountId) -> EntryLineInput {
    EntryLineInput {
        account_id,
        debit: line.debit,
        credit: line.credit,
        branch_id: line.branch_id,
        cost_center: None,
        project: None,
        partner_id: line.partner_id,
        description: line.description.clone(),
        currency: None,
        amount_in_currency: None,
    }
}

/// An amount as the API shows money (two places at least).
fn shown(amount: Decimal) -> String {
    Money::new(amount).map_or_else(|_| amount.to_string(), |m| m.to_string())
}

fn side_total(
    lines: &[EntryLineInput],
    side: impl Fn(&EntryLineInput) -> Option<Money>,
) -> Decimal {
    lines.iter().filter_map(side).map(Money::value).sum()
}

/// The line that balances the entry: a credit when debits exceed credits, else a debit.
fn offset_line(account_id: AccountId, difference: Decimal) -> Result<EntryLineInput, AppError> {
    let amount = Money::new(difference.abs())
        .map_err(|e| AppError::field("offset_account_id", e.to_string()))?;
    let positive = difference.is_sign_positive();
    Ok(EntryLineInput {
        account_id,
        debit: (!positive).then_some(amount),
        credit: positive.then_some(amount),
        branch_id: None,
        cost_center: None,
        project: None,
        partner_id: None,
        description: Some("Difference of the opening balances".to_string()),
        currency: None,
        amount_in_currency: None,
    })
}
