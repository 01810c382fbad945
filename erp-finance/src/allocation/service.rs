//! The one function that settles an invoice or bill, [`allocate`], used by payments and by
//! credit and debit notes, inside their transaction.

use chrono::NaiveDate;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::ids::PartnerId;
use erp_core::money::Money;

use super::checks::{self, label, Asked};
use super::difference;
use super::dto::*;
use super::model::{AllocationRow, OpenDocument};
use super::repo;
use crate::error::FinanceError;
use crate::ids::{AllocationId, InvoiceId, PaymentId};

const ENTITY: &str = "fin_allocation";

/// What settles an invoice: a payment or a note, with what the allocation needs of it.
pub struct Source<'a> {
    pub kind: SourceKind,
    /// The payment's or the credit note's id.
    pub id: uuid::Uuid,
    pub partner_id: PartnerId,
    /// Customer side (receipts, credit notes) or supplier side (payments, debit notes).
    pub customer: bool,
    /// The source's own number, for messages.
    pub label: String,
    /// The source's currency, which must be the settled document's, and its rate (×10⁹).
    pub currency: &'a str,
    pub exchange_rate: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Payment,
    Note,
}

pub fn to_response(row: &AllocationRow) -> Result<AllocationResponse, AppError> {
    Ok(AllocationResponse {
        id: row.id,
        invoice_id: row.invoice_id,
        payment_id: row.payment_id,
        credit_note_id: row.credit_note_id,
        allocated_on: row.allocated_on,
        amount: Money::from_scaled(row.amount),
        discount: Money::from_scaled(row.discount),
        write_off: Money::from_scaled(row.write_off),
        exchange_difference: Money::from_scaled(row.exchange_difference),
        entry_id: row.entry_id,
        undone_on: row.undone_on,
        created_at: row.created_at.and_utc(),
    })
}

/// Settles `input` of an invoice or bill from `source` on `date`, in the caller's
/// transaction; `field` names the input in errors (`allocations[2]`). The invoice's open
/// amount and the source's unallocated amount are reduced by guarded updates: when either
/// has less left than asked (a concurrent allocation took it), 409 `over_allocation`.
pub fn allocate(
    conn: &mut DbConnection,
    actor: &Actor,
    source: &Source,
    input: &AllocationInput,
    field: &str,
    date: NaiveDate,
) -> Result<AllocationRow, AppError> {
    let company = actor.company_id;
    let own = crate::entry::service::company_currency(conn, company)?;
    let f = |name: &str| format!("{field}.{name}");
    let invoice = repo::document(conn, company, input.invoice_id)?.ok_or_else(|| {
        AppError::field(f("invoice_id"), "no such invoice or bill in the company")
    })?;
    let asked = checks::asked(&invoice, source, input, &f)?;
    checks::settleable(&invoice, field, date)?;
    checks::discount_and_write_off(conn, (company, &own), &invoice, &asked, date, &f)?;
    take(conn, company, &invoice, source, &asked)?;
    let values = difference::in_company_currency(conn, company, &own, &invoice, source, &asked)?;
    let id = AllocationId::new();
    let entry_id = if values.discount != 0 || values.write_off != 0 || values.exchange != 0 {
        // A document in another currency: its discount and write-off in that currency too.
        let in_currency = (invoice.currency != own).then_some((asked.discount, asked.write_off));
        Some(difference::post_difference(
            conn,
            actor,
            &invoice,
            source,
            (&values, in_currency),
            date,
            id,
        )?)
    } else {
        None
    };
    let row = AllocationRow {
        id,
        company_id: company,
        invoice_id: invoice.id,
        payment_id: (source.kind == SourceKind::Payment).then(|| PaymentId::from(source.id)),
        credit_note_id: (source.kind == SourceKind::Note).then(|| InvoiceId::from(source.id)),
        allocated_on: date,
        amount: asked.money,
        discount: asked.discount,
        write_off: asked.write_off,
        entry_id,
        created_by: actor.user_id,
        created_at: now(),
        undone_on: None,
        settled_company: values.settled,
        amount_company: values.money,
        exchange_difference: values.exchange,
    };
    repo::insert(conn, &row)?;
    audit::record(
        conn,
        actor,
        ENTITY,
        row.id,
        Change::Created(&to_response(&row)?),
    )?;
    Ok(row)
}

/// Takes what is asked off the invoice's open amount and the payment's unallocated amount
/// (or the note's open amount), each by a guarded update: 409 `over_allocation` with what
/// is left when a concurrent allocation took it first.
fn take(
    conn: &mut DbConnection,
    company: CompanyId,
    invoice: &OpenDocument,
    source: &Source,
    asked: &Asked,
) -> Result<(), AppError> {
    let over = |what: String, open: i64, requested: i64| -> AppError {
        FinanceError::OverAllocation {
            what,
            open: Money::from_scaled(open).to_string(),
            requested: Money::from_scaled(requested).to_string(),
        }
        .into()
    };
    if !repo::settle(conn, invoice.id, asked.settled(), 0)? {
        // Re-read for the message: a concurrent allocation may have taken what was open.
        let now_open = repo::document(conn, company, invoice.id)?.map_or(0, |r| r.open_amount);
        return Err(over(label(invoice), now_open, asked.settled()));
    }
    let money = asked.money;
    let taken = match source.kind {
        SourceKind::Payment => repo::take_unallocated(conn, PaymentId::from(source.id), money, 0)?,
        SourceKind::Note => money == 0 || repo::settle(conn, InvoiceId::from(source.id), money, 0)?,
    };
    if !taken {
        let left = match source.kind {
            SourceKind::Payment => repo::unallocated(conn, company, PaymentId::from(source.id))?
                .map_or(0, |(left, _)| left),
            SourceKind::Note => repo::document(conn, company, InvoiceId::from(source.id))?
                .map_or(0, |n| n.open_amount),
        };
        return Err(over(source.label.clone(), left, money));
    }
    Ok(())
}

/// Undoes an allocation on `date`, its payment cancelled: gives the invoice back what it
/// settled, reverses its entry of a discount, write-off or exchange difference, and marks it
/// undone. 409 `contended` when a concurrent change got there first.
pub fn undo(
    conn: &mut DbConnection,
    actor: &Actor,
    allocation: &AllocationRow,
    date: NaiveDate,
) -> Result<(), AppError> {
    let a = allocation;
    if !repo::reopen(conn, a.invoice_id, a.settled(), a.settled_company)? {
        return Err(AppError::Contended);
    }
    if let Some(entry) = a.entry_id {
        crate::entry::service::reverse(conn, actor, entry, Some(date), None)?;
    }
    if !repo::undo(conn, a.id, date)? {
        return Err(AppError::Contended);
    }
    Ok(())
}
