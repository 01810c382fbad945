//! Bank statements: import (typed lines, CSV by a column mapping, camt.053), match proposals
//! for each open line, reconciliation of a line with payments, invoices paid on the spot and
//! direct postings (in part, and many to one), and what is not reconciled yet.
//! Matching lines to the books is in `reconcile.rs`.

use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::filter;
use erp_core::ids::CompanyId;
use erp_core::money::Money;
use erp_core::pagination::ListParams;
use rust_decimal::Decimal;

use super::dto::*;
use super::model::{BankLineRow, StatementRow};
use super::parse::{self, Parsed, ParsedLine};
use super::repo;
use crate::account::dto::AccountType;
use crate::currency::{fits_minor_unit, minor_unit};
use crate::ids::{AccountId, BankLineId, BankStatementId};

pub use super::reconcile::*;

pub const READ: &str = "finance.bank.read";
pub const WRITE: &str = "finance.bank.write";

/// Texts from the bank are kept, cut to this many characters.
pub(super) const TEXT_LIMIT: usize = 1000;

pub(super) fn line_response(l: &BankLineRow) -> Result<BankLineResponse, AppError> {
    Ok(BankLineResponse {
        id: l.id,
        statement_id: l.statement_id,
        account_id: l.account_id,
        line_no: l.line_no,
        booking_date: l.booking_date,
        value_date: l.value_date,
        amount: Money::from_scaled(l.amount),
        counterparty_name: l.counterparty_name.clone(),
        counterparty_account: l.counterparty_account.clone(),
        remittance: l.remittance.clone(),
        bank_reference: l.bank_reference.clone(),
        matched: Money::from_scaled(l.matched),
        reconciled: l.matched >= l.amount.abs(),
    })
}

pub(super) fn statement_response(
    conn: &mut DbConnection,
    s: &StatementRow,
) -> Result<BankStatementResponse, AppError> {
    Ok(BankStatementResponse {
        id: s.id,
        account_id: s.account_id,
        reference: s.reference.clone(),
        statement_date: s.statement_date,
        source: enum_from_db(&s.source)?,
        opening_balance: s.opening_balance.map(Money::from_scaled),
        closing_balance: s.closing_balance.map(Money::from_scaled),
        lines: repo::lines_of(conn, s.id)?
            .iter()
            .map(line_response)
            .collect::<Result<_, _>>()?,
        created_at: s.created_at.and_utc(),
    })
}

/// The bank account a statement or a reconciliation is of: an active asset account.
pub(super) fn bank_account(
    conn: &mut DbConnection,
    company: CompanyId,
    id: AccountId,
) -> Result<crate::account::model::AccountRow, AppError> {
    crate::account::repo::find(conn, company, id)?
        .filter(|a| a.active && a.account_type == AccountType::Asset)
        .ok_or_else(|| AppError::field("account_id", "no such active asset account"))
}

pub(super) fn cut(text: Option<String>) -> Option<String> {
    text.map(|t| t.chars().take(TEXT_LIMIT).collect())
}

/// The statement as read from whichever source the request carries.
pub(super) fn read(req: &ImportStatementRequest) -> Result<(Parsed, StatementSource), AppError> {
    let given = [
        req.lines.is_some(),
        req.csv.is_some(),
        req.camt053.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(AppError::field(
            "lines",
            "give exactly one of lines, csv and camt053",
        ));
    }
    if let Some(xml) = &req.camt053 {
        return Ok((
            parse::camt053(xml).map_err(AppError::Validation)?,
            StatementSource::Camt053,
        ));
    }
    if let Some(csv) = &req.csv {
        return Ok((
            parse::csv(csv).map_err(AppError::Validation)?,
            StatementSource::Csv,
        ));
    }
    let lines = req
        .lines
        .iter()
        .flatten()
        .map(|l| ParsedLine {
            booking_date: Some(l.booking_date),
            value_date: l.value_date,
            amount: l.amount.value(),
            counterparty_name: l.counterparty_name.clone(),
            counterparty_account: l.counterparty_account.clone(),
            remittance: l.remittance.clone(),
            bank_reference: l.bank_reference.clone(),
        })
        .collect();
    Ok((
        Parsed {
            lines,
            ..Parsed::default()
        },
        StatementSource::Api,
    ))
}

/// Imports a statement whole or not at all.
pub fn import_statement(
    conn: &mut DbConnection,
    actor: &Actor,
    req: ImportStatementRequest,
) -> Result<BankStatementResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    let (parsed, source) = read(&req)?;
    write_tx(conn, |conn| {
        let currency = crate::entry::service::company_currency(conn, company)?;
        let account = bank_account(conn, company, req.account_id)?;
        let mut v = Validator::new();
        if let Some(c) = parsed.currency.as_deref().filter(|c| *c != currency) {
            v.add(
                "camt053",
                format!("the statement is in {c}; the books are in {currency}"),
            );
        }
        let reference = req
            .reference
            .clone()
            .or(parsed.reference.clone())
            .map(|r| r.trim().to_string())
            .unwrap_or_default();
        v.text("reference", &reference, 128);
        v.check(
            !parsed.lines.is_empty() && parsed.lines.len() <= 10_000,
            "lines",
            "a statement has 1 to 10000 lines",
        );
        let mut lines = Vec::with_capacity(parsed.lines.len());
        let mut sum = Decimal::ZERO;
        let id = BankStatementId::new();
        for (i, l) in parsed.lines.iter().enumerate() {
            let field = format!("lines[{i}].amount");
            let amount = Money::new(l.amount).and_then(Money::to_scaled);
            match &amount {
                Ok(0) => v.add(&field, "must not be zero"),
                Err(e) => v.add(&field, e.to_string()),
                Ok(a) if !fits_minor_unit(Money::from_scaled(*a), &currency) => v.add(
                    &field,
                    format!(
                        "has more than {} decimal places, finer than {currency}'s minor unit",
                        minor_unit(&currency)
                    ),
                ),
                Ok(_) => {}
            }
            sum += l.amount;
            let Some(booking_date) = l.booking_date else {
                v.add(format!("lines[{i}].booking_date"), "is missing");
                continue;
            };
            lines.push(BankLineRow {
                id: BankLineId::new(),
                company_id: company,
                statement_id: id,
                account_id: account.id,
                line_no: i as i32 + 1,
                booking_date,
                value_date: l.value_date,
                amount: amount.clone().unwrap_or(0),
                counterparty_name: cut(l.counterparty_name.clone()),
                counterparty_account: cut(l.counterparty_account.clone()),
                remittance: cut(l.remittance.clone()),
                bank_reference: cut(l.bank_reference.clone()),
                matched: 0,
            });
        }
        let opening = req.opening_balance.map(Money::value).or(parsed.opening);
        let closing = req.closing_balance.map(Money::value).or(parsed.closing);
        if let (Some(o), Some(c)) = (opening, closing) {
            if o + sum != c {
                v.add(
                    "closing_balance",
                    format!(
                        "the opening balance {o} and the lines ({sum}) make {}, not {c}",
                        o + sum
                    ),
                );
            }
        }
        v.finish()?;
        if repo::reference_taken(conn, account.id, &reference)? {
            return Err(AppError::conflict(
                "duplicate_statement",
                format!("the statement '{reference}' of this account is imported already"),
            ));
        }
        let scaled = |d: Option<Decimal>| {
            d.map(|d| Money::new(d).and_then(Money::to_scaled))
                .transpose()
        };
        let statement = StatementRow {
            id,
            company_id: company,
            account_id: account.id,
            reference,
            statement_date: req
                .statement_date
                .or(parsed.date)
                .or_else(|| lines.iter().map(|l| l.booking_date).max())
                .unwrap_or_else(|| chrono::Utc::now().date_naive()),
            opening_balance: scaled(opening)?,
            closing_balance: scaled(closing)?,
            source: enum_to_db(&source),
            created_by: actor.user_id,
            created_at: now(),
        };
        repo::insert(conn, &statement, &lines)?;
        let out = statement_response(conn, &statement)?;
        erp_core::audit::record(
            conn,
            actor,
            "fin_bank_statement",
            statement.id,
            erp_core::audit::Change::Created(&serde_json::json!({
                "reference": out.reference, "lines": out.lines.len(), "source": source,
            })),
        )?;
        Ok(out)
    })
}

pub fn get_statement(
    conn: &mut DbConnection,
    actor: &Actor,
    id: BankStatementId,
) -> Result<BankStatementResponse, AppError> {
    actor.require(READ)?;
    let s = repo::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound("bank_statement"))?;
    statement_response(conn, &s)
}

pub fn list_statements(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: BankStatementListQuery,
) -> Result<BankStatementPage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    filter::names(q.account_id, |a| {
        crate::account::service::load(conn, actor, a)
    })?;
    let rows = repo::list(conn, actor.company_id, q.account_id, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    Ok(BankStatementPage {
        items: rows
            .iter()
            .map(|s| statement_response(conn, s))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}
