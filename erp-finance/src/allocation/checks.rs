//! What an allocation must satisfy before it takes anything: the document and the payment
//! or note belong together, the amounts are whole minor units, the document is posted and
//! dated on or before the allocation, and a discount or write-off stays within what the
//! payment terms and the company's tolerance allow.

use chrono::NaiveDate;
use erp_core::db::{enum_from_db, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::money::{Money, Percent};
use rust_decimal::Decimal;

use super::dto::AllocationInput;
use super::model::OpenDocument;
use super::repo;
use super::service::Source;
use crate::currency::{fits_minor_unit, minor_unit, round_to_minor_unit, to_company};
use crate::error::FinanceError;
use crate::ids::InvoiceId;
use crate::states::{InvoiceKind, InvoiceStatus};

/// What one allocation settles, in the documents' currency (Money ×10⁴): the money taken
/// from the payment or note, and the discount and write-off granted on top of it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Asked {
    pub money: i64,
    pub discount: i64,
    pub write_off: i64,
}

impl Asked {
    /// How much of the invoice this settles.
    pub fn settled(&self) -> i64 {
        self.money
            .saturating_add(self.discount)
            .saturating_add(self.write_off)
    }
}

pub(super) fn label(row: &OpenDocument) -> String {
    format!(
        "{} {}",
        row.kind.replace('_', " "),
        row.number.clone().unwrap_or_else(|| row.id.to_string())
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

/// The amounts asked of `invoice` by `source`, after checking that the source may settle it
/// (an invoice or bill, not a note; the same side, partner and currency) and that the amounts
/// are sound. `f` names a field of the input in errors.
pub(super) fn asked(
    invoice: &OpenDocument,
    source: &Source,
    input: &AllocationInput,
    f: &dyn Fn(&str) -> String,
) -> Result<Asked, AppError> {
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
    let currency = &invoice.currency;
    let asked = Asked {
        money: amount(&mut v, f("amount"), Some(input.amount), currency),
        discount: amount(&mut v, f("discount"), input.discount, currency),
        write_off: amount(&mut v, f("write_off"), input.write_off, currency),
    };
    v.check(
        asked.settled() > 0,
        &f("amount"),
        "the allocation must settle more than zero",
    );
    v.finish()?;
    Ok(asked)
}

/// The document can be settled on `date`: it is posted, and dated on or before it.
pub(super) fn settleable(
    invoice: &OpenDocument,
    field: &str,
    date: NaiveDate,
) -> Result<(), AppError> {
    match invoice.status {
        InvoiceStatus::Posted => {}
        InvoiceStatus::Cancelled => return Err(FinanceError::Cancelled(label(invoice)).into()),
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
                label(invoice),
                invoice.invoice_date
            ),
        ));
    }
    Ok(())
}

/// A discount no larger than the payment terms still grant on `date`; a write-off within the
/// company's tolerance (in company currency) that settles all that is open.
pub(super) fn discount_and_write_off(
    conn: &mut DbConnection,
    (company, own): (CompanyId, &str),
    invoice: &OpenDocument,
    asked: &Asked,
    date: NaiveDate,
    f: &dyn Fn(&str) -> String,
) -> Result<(), AppError> {
    let mut v = Validator::new();
    if asked.discount > 0 {
        let allowed = discount_left(
            conn,
            invoice.id,
            invoice.discount_terms(),
            date,
            &invoice.currency,
        )?;
        if asked.discount > allowed {
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
    if asked.write_off > 0 {
        let tolerance = crate::settings::service::of_company(conn, company)?.write_off_tolerance;
        if to_company(asked.write_off, invoice.exchange_rate, own)? > tolerance {
            v.add(
                f("write_off"),
                format!(
                    "is more than the write-off tolerance of {}",
                    Money::from_scaled(tolerance)
                ),
            );
        } else if asked.settled() != invoice.open_amount {
            v.add(
                f("write_off"),
                "a write-off settles the rest of the invoice; the allocation must settle all that is open",
            );
        }
    }
    v.finish()
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
    invoice_id: InvoiceId,
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
