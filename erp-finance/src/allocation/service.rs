//! The one function that settles an invoice or bill, [`allocate`], used by payments and by
//! credit and debit notes, inside their transaction.

use chrono::NaiveDate;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, now, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{BranchId, PartnerId};
use erp_core::money::{Money, Percent};
use rust_decimal::Decimal;

use super::dto::*;
use super::model::{AllocationRow, OpenDocument};
use super::repo;
use crate::currency::{fits_minor_unit, minor_unit, round_to_minor_unit, to_company};
use crate::entry::builder::{Dimensions, EntryBuilder};
use crate::error::FinanceError;
use crate::ids::{AccountId, AllocationId, EntryId, InvoiceId, PaymentId};
use crate::journal::dto::JournalKind;
use crate::rule::dto::PostingEvent;
use crate::states::{InvoiceKind, InvoiceStatus};

const ENTITY: &str = "fin_allocation";

/// What settles an invoice: a payment or a note, with what the allocation needs of it.
pub struct Source<'a> {
    pub kind: SourceKind,
    pub id: &'a str,
    pub partner_id: &'a str,
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
        id: AllocationId::from_db(&row.id)?,
        invoice_id: InvoiceId::from_db(&row.invoice_id)?,
        payment_id: row
            .payment_id
            .as_deref()
            .map(PaymentId::from_db)
            .transpose()?,
        credit_note_id: row
            .credit_note_id
            .as_deref()
            .map(InvoiceId::from_db)
            .transpose()?,
        allocated_on: row.allocated_on,
        amount: Money::from_scaled(row.amount),
        discount: Money::from_scaled(row.discount),
        write_off: Money::from_scaled(row.write_off),
        exchange_difference: Money::from_scaled(row.exchange_difference),
        entry_id: row.entry_id.as_deref().map(EntryId::from_db).transpose()?,
        undone_on: row.undone_on,
        created_at: row.created_at.and_utc(),
    })
}

fn label(row: &OpenDocument) -> String {
    format!(
        "{} {}",
        row.kind.replace('_', " "),
        row.number.as_deref().unwrap_or(&row.id)
    )
}

/// Checks one amount of an allocation: zero or more, in whole minor units.
fn amount(v: &mut Validator, field: String, value: Option<Money>, currency: &str) -> i64 {
    let Some(value) = value else { return 0 };
    if value.value() < Decimal::ZERO {
        v.add(field, "must not be negative");
        return 0;
    }
    if !fits_minor_unit(value, currency) {
        v.add(
            field,
            format!(
                "has more than {} decimal places, finer than {currency}'s minor unit",
                minor_unit(currency)
            ),
        );
        return 0;
    }
    value.to_scaled().unwrap_or(0)
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
    let company = actor.company_id.to_db();
    let own = crate::entry::service::company_currency(conn, &company)?;
    let f = |name: &str| format!("{field}.{name}");
    let invoice = repo::document(conn, &company, &input.invoice_id.to_db())?.ok_or_else(|| {
        AppError::field(f("invoice_id"), "no such invoice or bill in the company")
    })?;
    let kind: InvoiceKind = enum_from_db(&invoice.kind)?;
    let mut v = Validator::new();
    if kind.is_note() {
        v.add(
            f("invoice_id"),
            "is a credit or debit note; notes settle invoices, they are not settled",
        );
    } else if kind.is_customer() != source.customer {
        v.add(
            f("invoice_id"),
            if source.customer {
                "is a supplier bill; a customer's payment or note settles customer invoices"
            } else {
                "is a customer invoice; a supplier's payment or note settles supplier bills"
            },
        );
    }
    if invoice.partner_id != source.partner_id {
        v.add(
            f("invoice_id"),
            "belongs to another partner than the payment or note",
        );
    }
    if invoice.currency != source.currency {
        v.add(
            f("invoice_id"),
            format!(
                "is in {}; {} is in {}, and settles documents in its currency",
                invoice.currency, source.label, source.currency
            ),
        );
    }
    let currency = invoice.currency.clone();
    let money = amount(&mut v, f("amount"), Some(input.amount), &currency);
    let discount = amount(&mut v, f("discount"), input.discount, &currency);
    let write_off = amount(&mut v, f("write_off"), input.write_off, &currency);
    let settled = money.saturating_add(discount).saturating_add(write_off);
    v.check(
        settled > 0,
        &f("amount"),
        "the allocation must settle more than zero",
    );
    v.finish()?;
    match invoice.status {
        InvoiceStatus::Posted => {}
        InvoiceStatus::Cancelled => return Err(FinanceError::Cancelled(label(&invoice)).into()),
        InvoiceStatus::Draft => {
            return Err(AppError::InvalidState {
                entity: "invoice",
                action: "settle",
                current: invoice.status.to_string(),
            })
        }
    }
    if date < invoice.invoice_date {
        return Err(AppError::field(
            field.to_string(),
            format!(
                "settles {} before its date {}",
                label(&invoice),
                invoice.invoice_date
            ),
        ));
    }
    let mut v = Validator::new();
    if discount > 0 {
        let allowed = discount_left(conn, &invoice.id, invoice.discount_terms(), date, &currency)?;
        if discount > allowed {
            v.add(
                f("discount"),
                match invoice.discount_until {
                    Some(until) if date <= until => format!(
                        "the payment terms allow a discount of at most {} more",
                        Money::from_scaled(allowed.max(0))
                    ),
                    Some(until) => format!("the discount ran until {until}"),
                    None => "the invoice's payment terms grant no discount".to_string(),
                },
            );
        }
    }
    if write_off > 0 {
        let tolerance = crate::settings::service::of_company(conn, &company)?.write_off_tolerance;
        if to_company(write_off, invoice.exchange_rate, &own)? > tolerance {
            v.add(
                f("write_off"),
                format!(
                    "is more than the write-off tolerance of {}",
                    Money::from_scaled(tolerance)
                ),
            );
        } else if settled != invoice.open_amount {
            v.add(
                f("write_off"),
                "a write-off settles the rest of the invoice; the allocation must settle all that is open",
            );
        }
    }
    v.finish()?;
    let over = |what: String, open: i64| -> AppError {
        FinanceError::OverAllocation {
            what,
            open: Money::from_scaled(open).to_string(),
            requested: Money::from_scaled(settled).to_string(),
        }
        .into()
    };
    if !repo::settle(conn, &invoice.id, settled, 0)? {
        // Re-read for the message: a concurrent allocation may have taken what was open.
        let now_open = repo::document(conn, &company, &invoice.id)?.map_or(0, |r| r.open_amount);
        return Err(over(label(&invoice), now_open));
    }
    let taken = match source.kind {
        SourceKind::Payment => repo::take_unallocated(conn, source.id, money, 0)?,
        SourceKind::Note => money == 0 || repo::settle(conn, source.id, money, 0)?,
    };
    if !taken {
        let left = match source.kind {
            SourceKind::Payment => {
                repo::unallocated(conn, &company, source.id)?.map_or(0, |(left, _)| left)
            }
            SourceKind::Note => {
                repo::document(conn, &company, source.id)?.map_or(0, |n| n.open_amount)
            }
        };
        return Err(FinanceError::OverAllocation {
            what: source.label.clone(),
            open: Money::from_scaled(left).to_string(),
            requested: Money::from_scaled(money).to_string(),
        }
        .into());
    }
    let values = in_company_currency(
        conn, &company, &own, &invoice, source, money, settled, discount, write_off,
    )?;
    let id = AllocationId::new().to_db();
    let entry_id = if values.discount != 0 || values.write_off != 0 || values.exchange != 0 {
        // A document in another currency: its discount and write-off in that currency too.
        let in_currency = (invoice.currency != own).then_some((discount, write_off));
        Some(post_difference(
            conn,
            actor,
            &invoice,
            source,
            (&values, in_currency),
            date,
            &id,
        )?)
    } else {
        None
    };
    let row = AllocationRow {
        id,
        company_id: company,
        invoice_id: invoice.id.clone(),
        payment_id: (source.kind == SourceKind::Payment).then(|| source.id.to_string()),
        credit_note_id: (source.kind == SourceKind::Note).then(|| source.id.to_string()),
        allocated_on: date,
        amount: money,
        discount,
        write_off,
        entry_id,
        created_by: actor.user_id.to_db(),
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
        &row.id,
        Change::Created(&to_response(&row)?),
    )?;
    Ok(row)
}

/// An allocation in company currency (×10⁴).
struct CompanyValues {
    /// What it clears of the invoice's booked value.
    settled: i64,
    /// What it takes of the payment's or note's booked value.
    money: i64,
    discount: i64,
    write_off: i64,
    /// What is left: the realised exchange difference.
    exchange: i64,
}

/// Values an allocation in company currency, after the guarded updates took its amounts in
/// the documents' currency, and takes them off the documents' booked values. Each part is
/// converted at its own document's rate; the piece that settles the rest of a document takes
/// all of its booked value that is left, so a settled document leaves nothing behind in
/// company currency. In the company's own currency every part is its amount and nothing is
/// left over.
#[allow(clippy::too_many_arguments)]
fn in_company_currency(
    conn: &mut DbConnection,
    company: &str,
    own: &str,
    invoice: &OpenDocument,
    source: &Source,
    money: i64,
    settled: i64,
    discount: i64,
    write_off: i64,
) -> Result<CompanyValues, AppError> {
    // The rows are locked by this transaction's updates: what they hold now is final.
    let after = repo::document(conn, company, &invoice.id)?.ok_or(AppError::NotFound("invoice"))?;
    let settled_company = if after.open_amount == 0 {
        after.open_company
    } else {
        to_company(settled, invoice.exchange_rate, own)?
    };
    repo::settle(conn, &invoice.id, 0, settled_company)?;
    let money_company = match (source.kind, money) {
        (_, 0) => 0,
        (SourceKind::Payment, _) => {
            let (left, left_company) = repo::unallocated(conn, company, source.id)?
                .ok_or(AppError::NotFound("payment"))?;
            let value = if left == 0 {
                left_company
            } else {
                to_company(money, source.exchange_rate, own)?
            };
            repo::take_unallocated(conn, source.id, 0, value)?;
            value
        }
        (SourceKind::Note, _) => {
            let n =
                repo::document(conn, company, source.id)?.ok_or(AppError::NotFound("invoice"))?;
            let value = if n.open_amount == 0 {
                n.open_company
            } else {
                to_company(money, source.exchange_rate, own)?
            };
            repo::settle(conn, source.id, 0, value)?;
            value
        }
    };
    let discount_company = to_company(discount, invoice.exchange_rate, own)?;
    let write_off_company = to_company(write_off, invoice.exchange_rate, own)?;
    Ok(CompanyValues {
        settled: settled_company,
        money: money_company,
        discount: discount_company,
        write_off: write_off_company,
        exchange: settled_company - money_company - discount_company - write_off_company,
    })
}

/// The entry of a discount, write-off and exchange difference: they settle the receivable
/// (payable) without money, against the discount, write-off and exchange accounts of the
/// account rules.
fn post_difference(
    conn: &mut DbConnection,
    actor: &Actor,
    invoice: &OpenDocument,
    source: &Source,
    (values, in_currency): (&CompanyValues, Option<(i64, i64)>),
    date: NaiveDate,
    allocation_id: &str,
) -> Result<String, AppError> {
    let (discount, write_off, exchange) = (values.discount, values.write_off, values.exchange);
    let foreign = |amount: i64| in_currency.map(|_| (invoice.currency.as_str(), amount));
    let (discount_fx, write_off_fx) = in_currency.unwrap_or_default();
    let company = actor.company_id.to_db();
    let account = |conn: &mut DbConnection, event: PostingEvent| -> Result<AccountId, AppError> {
        crate::rule::service::required_account(conn, &company, event)
    };
    let (open_item, discount_event) = if source.customer {
        (
            PostingEvent::SalesReceivable,
            PostingEvent::PaymentDiscountGranted,
        )
    } else {
        (
            PostingEvent::PurchasePayable,
            PostingEvent::PaymentDiscountReceived,
        )
    };
    // Customer side: the receivable is credited, the discount and write-off debited;
    // supplier side the other way round.
    let sign = if source.customer { 1 } else { -1 };
    let branch = invoice
        .branch_id
        .as_deref()
        .map(BranchId::from_db)
        .transpose()?;
    let dims = Dimensions {
        branch_id: branch,
        ..Default::default()
    };
    let mut b = EntryBuilder::new();
    b.add_in(
        account(conn, open_item)?,
        Dimensions {
            partner_id: Some(PartnerId::from_db(&invoice.partner_id)?),
            ..dims.clone()
        },
        -sign * (discount + write_off + exchange),
        foreign(-sign * (discount_fx + write_off_fx)),
    );
    if discount > 0 {
        b.add_in(
            account(conn, discount_event)?,
            dims.clone(),
            sign * discount,
            foreign(sign * discount_fx),
        );
    }
    if write_off > 0 {
        b.add_in(
            account(conn, PostingEvent::PaymentWriteOff)?,
            dims.clone(),
            sign * write_off,
            foreign(sign * write_off_fx),
        );
    }
    if exchange != 0 {
        // A debit is a loss, a credit a gain, on either side.
        let event = if sign * exchange > 0 {
            PostingEvent::ExchangeLoss
        } else {
            PostingEvent::ExchangeGain
        };
        b.add(account(conn, event)?, dims, sign * exchange);
    }
    let what = match (discount + write_off != 0, exchange != 0) {
        (true, true) => "Discount, write-off and exchange difference",
        (false, true) => "Exchange difference",
        _ => "Discount and write-off",
    };
    let entry = b.post(
        conn,
        actor,
        JournalKind::General,
        date,
        format!("{what} of {}", label(invoice)),
        ("fin_allocation", allocation_id),
    )?;
    Ok(entry.id.to_db())
}

/// An invoice's early-payment discount: granted up to `until`, `rate` (Percent ×10⁴) of its
/// `total` (Money ×10⁴).
#[derive(Debug, Clone, Copy)]
pub struct DiscountTerms {
    pub until: Option<NaiveDate>,
    pub rate: i64,
    pub total: i64,
}

impl OpenDocument {
    fn discount_terms(&self) -> DiscountTerms {
        DiscountTerms {
            until: self.discount_until,
            rate: self.discount_rate,
            total: self.total,
        }
    }
}

/// The early-payment discount still to take on document `invoice_id` paid at `date` (Money
/// ×10⁴): the terms' rate of its total, rounded to the minor unit, less discounts already
/// taken; zero after the discount date.
pub fn discount_left(
    conn: &mut DbConnection,
    invoice_id: &str,
    terms: DiscountTerms,
    date: NaiveDate,
    currency: &str,
) -> Result<i64, AppError> {
    let full = terms
        .until
        .filter(|until| date <= *until)
        .map(|_| {
            let rate = Percent::from_scaled(terms.rate).value();
            let total = Money::from_scaled(terms.total).value();
            let full = round_to_minor_unit(total * rate / Decimal::ONE_HUNDRED, currency);
            Money::new(full).and_then(Money::to_scaled).unwrap_or(0)
        })
        .unwrap_or(0);
    if full == 0 {
        return Ok(0);
    }
    Ok((full - repo::discounts_of(conn, invoice_id)?).max(0))
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
    if !repo::reopen(conn, &a.invoice_id, a.settled(), a.settled_company)? {
        return Err(AppError::Contended);
    }
    if let Some(entry) = &a.entry_id {
        crate::entry::service::reverse(conn, actor, EntryId::from_db(entry)?, Some(date), None)?;
    }
    if !repo::undo(conn, &a.id, date)? {
        return Err(AppError::Contended);
    }
    Ok(())
}
