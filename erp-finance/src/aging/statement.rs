//! A partner's statement between two dates: the documents and settlements that moved their
//! balance, with the opening and closing balance.

use std::collections::HashMap;

use chrono::NaiveDate;
use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::ids::PartnerId;
use erp_core::money::Money;
use erp_core::partner;

use super::dto::*;
use super::service::*;
use crate::allocation::model::AllocationRow;
use crate::currency::{to_company, UNIT_RATE};
use crate::ids::InvoiceId;
use crate::invoice::model::InvoiceRow;
use crate::report::service::READ;

/// One movement of a partner's account, before the running balance.
#[derive(Clone)]
pub(super) struct Move {
    date: NaiveDate,
    item: PartnerStatementItem,
    number: Option<String>,
    reference: Option<String>,
    /// Money ×10⁴, like `credit`.
    charge: i64,
    credit: i64,
}

/// An invoice charges the partner's account; a note credits it.
pub(super) fn document_move(inv: &InvoiceRow) -> Move {
    let (item, charge, credit) = if is_note(inv) {
        (PartnerStatementItem::CreditNote, 0, inv.total_company)
    } else {
        (PartnerStatementItem::Invoice, inv.total_company, 0)
    };
    Move {
        date: inv.invoice_date,
        item,
        number: inv.number.clone(),
        reference: inv.reference.clone(),
        charge,
        credit,
    }
}

/// What an allocation settles without money, in company currency: its discount and write-off
/// at the invoice's `rate`, and its realised exchange difference (which lowers what the
/// partner's account holds when positive, on either side).
pub(super) fn settlement_moves(
    a: &AllocationRow,
    rate: i64,
    own: &str,
) -> Result<Vec<Move>, AppError> {
    let mut out = Vec::new();
    for (item, amount) in [
        (
            PartnerStatementItem::Discount,
            to_company(a.discount, rate, own)?,
        ),
        (
            PartnerStatementItem::WriteOff,
            to_company(a.write_off, rate, own)?,
        ),
        (
            PartnerStatementItem::ExchangeDifference,
            a.exchange_difference,
        ),
    ] {
        if amount != 0 {
            out.push(Move {
                date: a.allocated_on,
                item,
                number: None,
                reference: None,
                charge: (-amount).max(0),
                credit: amount.max(0),
            });
        }
    }
    Ok(out)
}

/// A partner's statement between two dates.
pub fn statement(
    conn: &mut DbConnection,
    actor: &Actor,
    partner_id: PartnerId,
    q: PartnerStatementQuery,
) -> Result<PartnerStatement, AppError> {
    actor.require(READ)?;
    partner_statement(conn, actor.company_id, Viewer::Person(actor), partner_id, q)
}

/// A partner's statement as a viewer sees it: a person (their branches; `statement` checks
/// the right) or the partner itself on the portal (all of its documents).
pub fn partner_statement(
    conn: &mut DbConnection,
    company: CompanyId,
    viewer: Viewer,
    partner_id: PartnerId,
    q: PartnerStatementQuery,
) -> Result<PartnerStatement, AppError> {
    let to = q.to.unwrap_or_else(|| chrono::Utc::now().date_naive());
    if to < q.from {
        return Err(AppError::field("to", "must not be before from"));
    }
    let partner =
        partner::repo::find(conn, partner_id, company)?.ok_or(AppError::NotFound("partner"))?;
    let book = read_book(conn, company, viewer, q.side, to, Some(partner_id))?;
    let account = Account {
        company,
        viewer,
        side: q.side,
        to,
        partner_id,
    };
    let mut moves = account.document_moves(conn, &book)?;
    moves.extend(account.payment_moves(conn, &book)?);
    moves.extend(account.settlements(conn, &book)?);
    // Stable: on one day, documents before payments before their discounts.
    moves.sort_by_key(|m| m.date);
    let (opening, lines, closing) = running_balance(moves, q.from);
    Ok(PartnerStatement {
        partner_id,
        partner_name: partner.name,
        side: q.side,
        from: q.from,
        to,
        currency: crate::entry::service::company_currency(conn, company)?,
        opening_balance: Money::from_scaled(opening),
        lines,
        closing_balance: Money::from_scaled(closing),
    })
}

/// A partner's account on one side of the books, as a viewer sees it on the day `to`.
struct Account<'a> {
    company: CompanyId,
    viewer: Viewer<'a>,
    side: Side,
    to: NaiveDate,
    partner_id: PartnerId,
}

impl Account<'_> {
    /// The documents of the book, and those cancelled by `to` (which the book leaves out)
    /// with their cancellation.
    fn document_moves(&self, conn: &mut DbConnection, book: &Book) -> Result<Vec<Move>, AppError> {
        let mut moves: Vec<Move> = book.invoices.iter().map(document_move).collect();
        let (doc_kinds, _) = kinds(self.side);
        let cancelled = cancelled_until(
            conn,
            self.company,
            self.viewer,
            &doc_kinds,
            self.to,
            self.partner_id,
        )?;
        for inv in cancelled {
            let doc = document_move(&inv);
            moves.push(doc.clone());
            if let Some(on) = inv.cancelled_on {
                moves.push(Move {
                    date: on,
                    item: PartnerStatementItem::Cancellation,
                    reference: None,
                    charge: doc.credit,
                    credit: doc.charge,
                    ..doc
                });
            }
        }
        Ok(moves)
    }

    /// The payments of the book, and those cancelled by `to` with their cancellation.
    fn payment_moves(&self, conn: &mut DbConnection, book: &Book) -> Result<Vec<Move>, AppError> {
        let paid = |p: &crate::payment::model::PaymentRow| Move {
            date: p.payment_date,
            item: PartnerStatementItem::Payment,
            number: p.number.clone(),
            reference: p.reference.clone(),
            charge: 0,
            credit: p.amount_company,
        };
        let mut moves: Vec<Move> = book.payments.iter().map(paid).collect();
        let (_, pay_kind) = kinds(self.side);
        let cancelled = crate::payment::repo::cancelled_until(
            conn,
            self.company,
            &pay_kind,
            self.to,
            self.partner_id,
        )?;
        for p in cancelled.iter().filter(|p| self.viewer.sees(p.branch_id)) {
            let paid = paid(p);
            moves.push(Move {
                date: p.cancelled_on.unwrap_or(self.to),
                item: PartnerStatementItem::Cancellation,
                charge: p.amount_company,
                credit: 0,
                ..paid.clone()
            });
            moves.push(paid);
        }
        Ok(moves)
    }

    /// What the allocations of the book's documents settled without money, and those undone
    /// by `to`: granted, then taken back.
    fn settlements(&self, conn: &mut DbConnection, book: &Book) -> Result<Vec<Move>, AppError> {
        let own = crate::entry::service::company_currency(conn, self.company)?;
        let ids: Vec<InvoiceId> = book.invoices.iter().map(|i| i.id).collect();
        let rates: HashMap<InvoiceId, i64> = book
            .invoices
            .iter()
            .map(|i| (i.id, i.exchange_rate))
            .collect();
        let rate = |id: &InvoiceId| rates.get(id).copied().unwrap_or(UNIT_RATE);
        let mut moves = Vec::new();
        for a in crate::allocation::repo::undone_until(conn, &ids, self.to)? {
            for granted in settlement_moves(&a, rate(&a.invoice_id), &own)? {
                moves.push(Move {
                    date: a.undone_on.unwrap_or(self.to),
                    item: PartnerStatementItem::Cancellation,
                    charge: granted.credit,
                    credit: granted.charge,
                    ..granted.clone()
                });
                moves.push(granted);
            }
        }
        for a in book
            .allocations
            .iter()
            .filter(|a| ids.contains(&a.invoice_id))
        {
            moves.extend(settlement_moves(a, rate(&a.invoice_id), &own)?);
        }
        Ok(moves)
    }
}

/// The statement's lines from `from` on, each with the balance after it, from the moves in
/// date order: (opening balance, lines, closing balance), money ×10⁴.
fn running_balance(moves: Vec<Move>, from: NaiveDate) -> (i64, Vec<PartnerStatementLine>, i64) {
    let mut balance = 0i64;
    let mut opening = 0i64;
    let mut lines = Vec::new();
    for Move {
        date,
        item,
        number,
        reference,
        charge,
        credit,
    } in moves
    {
        balance += charge - credit;
        if date < from {
            opening = balance;
            continue;
        }
        lines.push(PartnerStatementLine {
            date,
            item,
            number,
            reference,
            charge: Money::from_scaled(charge),
            credit: Money::from_scaled(credit),
            balance: Money::from_scaled(balance),
        });
    }
    (opening, lines, balance)
}

/// Documents of a partner cancelled on or before `to`, which the book leaves out.
pub(super) fn cancelled_until(
    conn: &mut DbConnection,
    company: CompanyId,
    viewer: Viewer,
    kinds: &[String],
    to: NaiveDate,
    partner_id: PartnerId,
) -> Result<Vec<InvoiceRow>, AppError> {
    let mut rows = crate::invoice::repo::cancelled_until(conn, company, kinds, to, partner_id)?;
    rows.retain(|r| viewer.sees(r.branch_id));
    Ok(rows)
}
