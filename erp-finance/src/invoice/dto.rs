use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::{BranchId, PartnerId, UserId};
use erp_core::money::{Money, Percent, Price, Qty};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::allocation::dto::AllocationResponse;
use crate::ids::{AccountId, EntryId, InvoiceId, PaymentTermsId, TaxGroupId, TaxId};
use crate::settings::dto::TaxRounding;

pub use crate::states::{InvoiceKind, InvoiceStatus};

/// How much of a posted document is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Nothing settled yet (also drafts and cancelled documents).
    Open,
    Partial,
    Paid,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceLineInput {
    pub description: String,
    /// Revenue or expense account; default: the account rule `sales.revenue` for customers,
    /// `purchase.expense` (goods received not invoiced) for suppliers.
    pub account_id: Option<AccountId>,
    /// More than zero.
    pub quantity: Qty,
    /// Zero or more; gross when the line's tax is price-included. Quantity × price is rounded
    /// to the currency's minor unit, half away from zero.
    pub unit_price: Price,
    /// 0 to 100 (default 0): the line's amount is quantity × price less this percentage,
    /// rounded once.
    pub discount_percent: Option<Percent>,
    /// The line's tax; or name a group in `tax_group_id` instead.
    pub tax_id: Option<TaxId>,
    /// Several taxes at once (each computed, posted and reported on its own); not with
    /// `tax_id`.
    pub tax_group_id: Option<TaxGroupId>,
    pub cost_center: Option<String>,
    pub project: Option<String>,
    /// Supplier documents only: the value of goods received the line clears from its account
    /// (goods received not invoiced, at the price they were received), in company currency
    /// whatever the document's; the rest of the line's net (in company currency) posts to
    /// the account rule `purchase.price_difference`.
    pub clears: Option<Money>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInvoiceRequest {
    pub id: Option<InvoiceId>,
    pub kind: InvoiceKind,
    /// A customer for customer documents, a supplier for supplier documents.
    pub partner_id: PartnerId,
    /// The branch the document belongs to; one you may post to.
    pub branch_id: Option<BranchId>,
    /// The business date; its period must be open when the document is posted.
    pub invoice_date: NaiveDate,
    /// Default: from the payment terms, else the invoice date.
    pub due_date: Option<NaiveDate>,
    pub payment_terms_id: Option<PaymentTermsId>,
    /// ISO 4217 code of the document's currency (default: the company's). Another currency
    /// needs an exchange rate on or before the invoice date; the document is booked at it.
    pub currency: Option<String>,
    /// The customer's order number, or the supplier's own invoice number.
    pub reference: Option<String>,
    pub notes: Option<String>,
    /// For a credit or debit note: the posted invoice or bill it corrects. Posting the note
    /// settles that document by as much as it can.
    pub corrects_id: Option<InvoiceId>,
    /// Keeps the document from being posted, with the reason, until someone with
    /// `finance.invoice.approve` releases it (`post` then leaves it a draft).
    pub hold_reason: Option<String>,
    /// At least one line.
    pub lines: Vec<InvoiceLineInput>,
    /// Post at once (default: keep as a draft).
    #[serde(default)]
    pub post: bool,
}

/// Cancels a posted document that nothing settles yet, by reversing its entry.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInvoiceRequest {
    /// The reversal's date (default: the document's date); its period must be open.
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvoiceLineResponse {
    pub line_no: i32,
    pub description: String,
    pub account_id: AccountId,
    pub quantity: Qty,
    pub unit_price: Price,
    pub discount_percent: Percent,
    pub tax_id: Option<TaxId>,
    pub tax_group_id: Option<TaxGroupId>,
    /// Net amount of the line, in the currency's minor unit.
    pub net: Money,
    /// Tax of the line, all its taxes together (withholding negative); with document
    /// rounding, the line's share.
    pub tax: Money,
    /// Each tax of the line with the base it was computed on, in order.
    pub taxes: Vec<InvoiceLineTaxResponse>,
    pub cost_center: Option<String>,
    pub project: Option<String>,
    pub clears: Option<Money>,
}

/// One instalment of a document: what is due on a date, and what of it is open (payments
/// settle the earliest instalments first).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InstalmentResponse {
    pub due_date: NaiveDate,
    pub amount: Money,
    pub open_amount: Money,
}

/// One tax of one line.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvoiceLineTaxResponse {
    pub tax_id: TaxId,
    /// The net, or for a compound tax the net plus the line's other taxes.
    pub base: Money,
    pub tax: Money,
}

/// Base and tax of one rate on the document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvoiceTaxResponse {
    pub tax_id: TaxId,
    pub code: String,
    pub rate: Percent,
    pub base: Money,
    pub tax: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvoiceResponse {
    pub id: InvoiceId,
    pub kind: InvoiceKind,
    /// The number of its journal entry (`SJ-2026-000001`), given at posting.
    pub number: Option<String>,
    pub status: InvoiceStatus,
    pub payment_state: PaymentState,
    pub partner_id: PartnerId,
    pub branch_id: Option<BranchId>,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    pub payment_terms_id: Option<PaymentTermsId>,
    /// The last day the early-payment discount applies.
    pub discount_until: Option<NaiveDate>,
    pub discount_rate: Percent,
    pub reference: Option<String>,
    pub notes: Option<String>,
    pub corrects_id: Option<InvoiceId>,
    pub tax_rounding: TaxRounding,
    /// The document's currency, which its amounts and lines are in.
    pub currency: String,
    /// Company currency per unit of `currency` on the invoice date (1 for the company's own).
    #[schema(value_type = String, example = "1.0825")]
    pub exchange_rate: Decimal,
    pub net: Money,
    pub tax: Money,
    pub total: Money,
    /// What is still to be settled.
    pub open_amount: Money,
    /// The company's currency.
    pub company_currency: String,
    /// The total as the ledger holds it, in company currency at `exchange_rate`.
    pub total_in_company_currency: Money,
    /// The open amount as the ledger holds it, in company currency: the booked value of
    /// what is still open (exchange differences are realised as it is settled).
    pub open_in_company_currency: Money,
    pub entry_id: Option<EntryId>,
    pub cancel_entry_id: Option<EntryId>,
    pub cancelled_on: Option<NaiveDate>,
    /// Why the document may not be posted until released.
    pub hold_reason: Option<String>,
    pub released_by: Option<UserId>,
    pub released_at: Option<DateTime<Utc>>,
    /// The schedule under instalment terms, earliest first (empty: all due on `due_date`).
    pub instalments: Vec<InstalmentResponse>,
    pub lines: Vec<InvoiceLineResponse>,
    pub taxes: Vec<InvoiceTaxResponse>,
    /// Payments and notes that settle this document, or that this note settles.
    pub allocations: Vec<AllocationResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(InvoicePage, InvoiceResponse);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceListQuery {
    pub kind: Option<InvoiceKind>,
    pub status: Option<InvoiceStatus>,
    pub partner_id: Option<PartnerId>,
    /// Only posted documents with something left to settle.
    pub open: Option<bool>,
    /// Documents dated on or after.
    pub from: Option<NaiveDate>,
    /// Documents dated on or before.
    pub to: Option<NaiveDate>,
    /// Only documents due on or before (with `open`, what is due for payment).
    pub due_before: Option<NaiveDate>,
}

/// A document another module's record refers to (an order's invoices, a purchase order's
/// bills), as it stands now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvoiceRef {
    pub id: InvoiceId,
    /// Given when it is posted.
    pub number: Option<String>,
    pub status: InvoiceStatus,
}
