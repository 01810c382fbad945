//! Matching statement lines to the books: proposals scored by amount, reference and partner,
//! a line reconciled against payments, invoices or an account, and what is left unreconciled.

use std::collections::HashMap;

use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, FieldError, Validator};
use erp_core::ids::CompanyId;
use erp_core::ids::PartnerId;
use erp_core::money::Money;
use erp_core::partner;

use super::dto::*;
use super::model::{BankLineRow, ReconciliationRow};
use super::repo;
use super::service::*;
use crate::allocation::dto::AllocationInput;
use crate::currency::fits_minor_unit;
use crate::entry::builder::{Dimensions, EntryBuilder};
use crate::error::FinanceError;
use crate::ids::{AccountId, BankLineId, BankStatementId, ReconciliationId};
use crate::invoice::dto::InvoiceKind;
use crate::invoice::model::InvoiceRow;
use crate::journal::dto::JournalKind;
use crate::payment::dto::{CreatePaymentRequest, PaymentKind};

/// How a candidate fits a line: (score, reasons).
pub(super) fn score(
    remittance: &str,
    counterparty: &str,
    numbers: &[Option<&str>],
    partner_name: &str,
    exact_amount: bool,
) -> (i32, Vec<String>) {
    let mut score = 0;
    let mut reasons = Vec::new();
    if numbers
        .iter()
        .flatten()
        .any(|n| n.len() >= 3 && remittance.contains(&n.to_uppercase()))
    {
        score += 3;
        reasons.push("reference".to_string());
    }
    if exact_amount {
        score += 2;
        reasons.push("amount".to_string());
    }
    let name = partner_name.to_uppercase();
    if name.len() >= 3
        && counterparty.len() >= 3
        && (counterparty.contains(&name) || name.contains(counterparty))
    {
        score += 1;
        reasons.push("partner".to_string());
    }
    (score, reasons)
}

/// Proposals for every line of a statement not reconciled in full: open invoices (bills) and
/// recorded payments on the account, by reference, amount and partner.
pub fn proposals(
    conn: &mut DbConnection,
    actor: &Actor,
    id: BankStatementId,
) -> Result<StatementProposals, AppError> {
    actor.require(READ)?;
    let company = actor.company_id;
    let s = repo::find(conn, company, id)?.ok_or(AppError::NotFound("bank_statement"))?;
    // The account's money is in its currency: only documents in it can match.
    let currency = match crate::account::repo::find(conn, company, s.account_id)? {
        Some(crate::account::model::AccountRow {
            currency: Some(c), ..
        }) => c,
        _ => crate::entry::service::company_currency(conn, company)?,
    };
    let mut invoices: HashMap<bool, Vec<InvoiceRow>> = HashMap::new();
    for (incoming, kind) in [
        (true, InvoiceKind::CustomerInvoice),
        (false, InvoiceKind::SupplierBill),
    ] {
        let mut open = crate::invoice::repo::open_of_kind(conn, company, &enum_to_db(&kind))?;
        open.retain(|i| i.currency == currency);
        invoices.insert(incoming, open);
    }
    let payments = repo::unreconciled_payments(conn, company, s.account_id)?;
    let mut names: HashMap<PartnerId, String> = HashMap::new();
    let mut out = Vec::new();
    for line in repo::lines_of(conn, s.id)? {
        let left = line.amount.abs() - line.matched;
        if left <= 0 {
            continue;
        }
        let incoming = line.amount > 0;
        let remittance = line.remittance.clone().unwrap_or_default().to_uppercase();
        let counterparty = line
            .counterparty_name
            .clone()
            .unwrap_or_default()
            .to_uppercase();
        let mut found = Vec::new();
        for inv in invoices.get(&incoming).into_iter().flatten() {
            let name = partner_name(conn, company, &mut names, inv.partner_id)?;
            let (points, reasons) = score(
                &remittance,
                &counterparty,
                &[inv.number.as_deref(), inv.reference.as_deref()],
                &name,
                inv.open_amount == left,
            );
            if points >= 2 {
                found.push(MatchProposal {
                    kind: MatchKind::Invoice,
                    payment_id: None,
                    invoice_id: Some(inv.id),
                    partner_id: inv.partner_id,
                    number: inv.number.clone(),
                    amount: Money::from_scaled(left.min(inv.open_amount)),
                    score: points,
                    reasons,
                });
            }
        }
        let kind = enum_to_db(&if incoming {
            PaymentKind::CustomerReceipt
        } else {
            PaymentKind::SupplierPayment
        });
        for (p, reconciled) in payments.iter().filter(|(p, _)| p.kind == kind) {
            let open = p.amount - reconciled;
            let name = partner_name(conn, company, &mut names, p.partner_id)?;
            let (points, reasons) = score(
                &remittance,
                &counterparty,
                &[p.number.as_deref(), p.reference.as_deref()],
                &name,
                open == left,
            );
            if points >= 2 {
                found.push(MatchProposal {
                    kind: MatchKind::Payment,
                    payment_id: Some(p.id),
                    invoice_id: None,
                    partner_id: p.partner_id,
                    number: p.number.clone(),
                    amount: Money::from_scaled(left.min(open)),
                    score: points,
                    reasons,
                });
            }
        }
        found.sort_by_key(|p| std::cmp::Reverse(p.score));
        found.truncate(5);
        out.push(LineProposals {
            line: line_response(&line)?,
            proposals: found,
        });
    }
    Ok(StatementProposals {
        statement_id: id,
        lines: out,
    })
}

pub(super) fn partner_name(
    conn: &mut DbConnection,
    company: CompanyId,
    cache: &mut HashMap<PartnerId, String>,
    id: PartnerId,
) -> Result<String, AppError> {
    if let Some(n) = cache.get(&id) {
        return Ok(n.clone());
    }
    let name = partner::repo::find(conn, id, company)?
        .map(|p| p.name)
        .unwrap_or_default();
    cache.insert(id, name.clone());
    Ok(name)
}

/// What one match of a line settles, checked before anything is written.
pub(super) enum Target {
    Payment(crate::payment::model::PaymentRow),
    Invoice(InvoiceRow),
    Account(AccountId),
}

pub(super) fn check_match(
    conn: &mut DbConnection,
    company: CompanyId,
    line: &BankLineRow,
    i: usize,
    m: &ReconcileMatch,
    currency: &str,
    v: &mut Validator,
) -> Result<Option<(Target, i64)>, AppError> {
    let f = |name: &str| format!("matches[{i}].{name}");
    let amount = m.amount.to_scaled().unwrap_or(0);
    v.check(amount > 0, &f("amount"), "must be more than zero");
    if !fits_minor_unit(m.amount, currency) {
        v.add(f("amount"), format!("finer than {currency}'s minor unit"));
    }
    v.opt_text(&f("description"), m.description.as_deref(), 500);
    let incoming = line.amount > 0;
    let target = match (m.payment_id, m.invoice_id, m.account_id) {
        (Some(p), None, None) => match crate::payment::repo::find(conn, company, p)? {
            Some(p) if p.account_id != line.account_id => {
                v.add(f("payment_id"), "the payment is on another bank account");
                None
            }
            Some(p) if (p.kind == enum_to_db(&PaymentKind::CustomerReceipt)) != incoming => {
                v.add(
                    f("payment_id"),
                    "money in matches receipts, money out supplier payments",
                );
                None
            }
            Some(p) => Some(Target::Payment(p)),
            None => {
                v.add(f("payment_id"), "no such payment");
                None
            }
        },
        (None, Some(inv), None) => match crate::invoice::repo::find(conn, company, inv)? {
            Some(inv)
                if inv.kind
                    == enum_to_db(&if incoming {
                        InvoiceKind::CustomerInvoice
                    } else {
                        InvoiceKind::SupplierBill
                    }) =>
            {
                Some(Target::Invoice(inv))
            }
            Some(_) => {
                v.add(
                    f("invoice_id"),
                    "money in pays customer invoices, money out supplier bills",
                );
                None
            }
            None => {
                v.add(f("invoice_id"), "no such invoice");
                None
            }
        },
        (None, None, Some(a)) => match crate::account::repo::find(conn, company, a)? {
            Some(acc) if acc.active && acc.id != line.account_id => Some(Target::Account(a)),
            _ => {
                v.add(
                    f("account_id"),
                    "no such active account (other than the bank account)",
                );
                None
            }
        },
        _ => {
            v.add(
                f("payment_id"),
                "name exactly one of payment_id, invoice_id and account_id",
            );
            None
        }
    };
    Ok(target.map(|t| (t, amount)))
}

/// Reconciles a line with one or more matches (all or none). A line may be matched in part,
/// now and later; it is never matched beyond its amount, nor a payment beyond its own.
pub fn reconcile_line(
    conn: &mut DbConnection,
    actor: &Actor,
    id: BankLineId,
    req: ReconcileRequest,
) -> Result<ReconcileResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let currency = crate::entry::service::company_currency(conn, company)?;
        let line = repo::find_line(conn, company, id)?.ok_or(AppError::NotFound("bank_line"))?;
        let mut v = Validator::new();
        v.check(
            !req.matches.is_empty() && req.matches.len() <= 100,
            "matches",
            "1 to 100 matches",
        );
        let mut targets = Vec::new();
        for (i, m) in req.matches.iter().enumerate() {
            targets.push(check_match(conn, company, &line, i, m, &currency, &mut v)?);
        }
        v.finish()?;
        let total: i64 = targets.iter().flatten().map(|(_, a)| a).sum();
        let left = line.amount.abs() - line.matched;
        if total > left || !repo::take_line(conn, line.id, line.amount.abs(), total)? {
            return Err(FinanceError::OverAllocation {
                what: format!("bank line {}", line.line_no),
                open: Money::from_scaled(left).to_string(),
                requested: Money::from_scaled(total).to_string(),
            }
            .into());
        }
        let sign = line.amount.signum();
        let mut made = Vec::new();
        for (i, (target, amount)) in targets.into_iter().flatten().enumerate() {
            let field = format!("matches[{i}].amount");
            let (payment_id, entry_id) = match target {
                Target::Payment(p) => {
                    take_payment(conn, &p, amount, &field)?;
                    (Some(p.id), None)
                }
                Target::Invoice(inv) => {
                    let kind = if sign > 0 {
                        PaymentKind::CustomerReceipt
                    } else {
                        PaymentKind::SupplierPayment
                    };
                    let reference = line
                        .remittance
                        .clone()
                        .or(line.bank_reference.clone())
                        .map(|r| r.chars().take(200).collect());
                    let paid = crate::payment::service::create_payment(
                        conn,
                        actor,
                        CreatePaymentRequest {
                            id: None,
                            kind,
                            partner_id: inv.partner_id,
                            branch_id: inv.branch_id,
                            payment_date: line.booking_date.max(inv.invoice_date),
                            account_id: line.account_id,
                            amount: Money::from_scaled(amount),
                            currency: None,
                            reference,
                            allocations: vec![AllocationInput {
                                invoice_id: inv.id,
                                amount: Money::from_scaled(amount),
                                discount: None,
                                write_off: None,
                            }],
                        },
                    )
                    .map_err(|e| e.under(&format!("matches[{i}]")))?;
                    let p = crate::payment::repo::find(conn, company, paid.id)?
                        .ok_or(AppError::NotFound("payment"))?;
                    take_payment(conn, &p, amount, &field)?;
                    (Some(p.id), None)
                }
                Target::Account(account) => {
                    let mut b = EntryBuilder::new();
                    b.add(line.account_id, Dimensions::default(), sign * amount);
                    b.add(account, Dimensions::default(), -sign * amount);
                    let description = req.matches[i]
                        .description
                        .clone()
                        .or(line.remittance.clone())
                        .unwrap_or_else(|| format!("Bank line {}", line.line_no));
                    let entry = b.post(
                        conn,
                        actor,
                        JournalKind::Bank,
                        line.booking_date,
                        description.chars().take(500).collect(),
                        ("fin_bank_line", line.id),
                    )?;
                    (None, Some(entry.id))
                }
            };
            let row = ReconciliationRow {
                id: ReconciliationId::new(),
                company_id: company,
                bank_line_id: line.id,
                payment_id,
                entry_id,
                amount,
                created_by: actor.user_id,
                created_at: now(),
            };
            repo::insert_reconciliation(conn, &row)?;
            made.push(row);
        }
        let line =
            repo::find_line(conn, company, line.id)?.ok_or(AppError::NotFound("bank_line"))?;
        let out = ReconcileResponse {
            line: line_response(&line)?,
            reconciliations: repo::reconciliations_of(conn, line.id)?
                .iter()
                .map(reconciliation_response)
                .collect::<Result<_, _>>()?,
        };
        erp_core::audit::record(
            conn,
            actor,
            "fin_bank_line",
            line.id,
            erp_core::audit::Change::Action("reconcile", Some(&out)),
        )?;
        Ok(out)
    })
}

pub(super) fn take_payment(
    conn: &mut DbConnection,
    p: &crate::payment::model::PaymentRow,
    amount: i64,
    field: &str,
) -> Result<(), AppError> {
    if repo::take_payment(conn, p.id, amount)? {
        return Ok(());
    }
    Err(AppError::Validation(vec![FieldError::new(
        field,
        format!(
            "more than bank lines have left to account for of payment {}",
            p.number.clone().unwrap_or_default()
        ),
    )]))
}

pub(super) fn reconciliation_response(
    r: &ReconciliationRow,
) -> Result<ReconciliationResponse, AppError> {
    Ok(ReconciliationResponse {
        id: r.id,
        bank_line_id: r.bank_line_id,
        payment_id: r.payment_id,
        entry_id: r.entry_id,
        amount: Money::from_scaled(r.amount),
        created_at: r.created_at.and_utc(),
    })
}

/// What is not reconciled on a bank account: statement lines and payments, with the book
/// balance against the last statement's closing balance.
pub fn unreconciled(
    conn: &mut DbConnection,
    actor: &Actor,
    q: UnreconciledQuery,
) -> Result<UnreconciledReport, AppError> {
    actor.require(READ)?;
    let company = actor.company_id;
    // An account that does not exist is 404, as on every report; one that is not an active
    // bank (asset) account is a bad choice of account (422).
    crate::account::service::load(conn, actor, q.account_id)?;
    let account = bank_account(conn, company, q.account_id)?;
    let receipt = enum_to_db(&PaymentKind::CustomerReceipt);
    let payments = repo::unreconciled_payments(conn, company, account.id)?
        .into_iter()
        .map(|(p, reconciled)| {
            let sign = if p.kind == receipt { 1 } else { -1 };
            Ok(UnreconciledPayment {
                payment_id: p.id,
                number: p.number.clone(),
                payment_date: p.payment_date,
                partner_id: p.partner_id,
                amount: Money::from_scaled(sign * p.amount),
                unreconciled: Money::from_scaled(sign * (p.amount - reconciled)),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(UnreconciledReport {
        account_id: q.account_id,
        currency: crate::entry::service::company_currency(conn, company)?,
        bank_lines: repo::open_lines(conn, account.id)?
            .iter()
            .map(line_response)
            .collect::<Result<_, _>>()?,
        payments,
        book_balance: Money::from_scaled(repo::book_balance(conn, account.id)?),
        statement_balance: repo::last_of_account(conn, account.id)?
            .and_then(|s| s.closing_balance)
            .map(Money::from_scaled),
    })
}
