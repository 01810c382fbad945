use chrono::NaiveDate;
use erp_core::ids::PartnerId;
use erp_core::money::Money;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::InvoiceId;

/// Receivables (customers) or payables (suppliers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Receivable,
    Payable,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgingQuery {
    pub side: Side,
    /// The date the aging is taken at (default: today).
    pub at: Option<NaiveDate>,
    pub partner_id: Option<PartnerId>,
}

/// Open amounts by days past due, for one partner or in total.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AgingBuckets {
    /// Not yet due.
    pub current: Money,
    pub days_1_30: Money,
    pub days_31_60: Money,
    pub days_61_90: Money,
    pub over_90: Money,
    /// All open invoices (bills).
    pub open_total: Money,
    /// Payments not yet allocated and open credit (debit) notes.
    pub unapplied_credit: Money,
    /// Open total less unapplied credit: what the partner owes (is owed), as the
    /// receivable (payable) account says.
    pub balance: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AgingLine {
    pub partner_id: PartnerId,
    pub partner_name: String,
    #[serde(flatten)]
    pub buckets: AgingBuckets,
    /// The open invoices (bills) behind the buckets, oldest due first.
    pub invoices: Vec<AgingInvoice>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AgingInvoice {
    pub invoice_id: InvoiceId,
    pub number: Option<String>,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    /// Negative while not yet due.
    pub days_overdue: i64,
    /// In company currency, as booked.
    pub total: Money,
    /// In company currency: the booked value of what is open.
    pub open_amount: Money,
    /// The document's currency, and what is open in it.
    pub currency: String,
    pub open_in_currency: Money,
    /// Under instalment terms, what is open of each instalment (in company currency), each in
    /// the bucket of its own due date; `due_date` and `days_overdue` are the earliest's.
    pub instalments: Vec<AgingInstalment>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AgingInstalment {
    pub due_date: NaiveDate,
    /// Negative while not yet due.
    pub days_overdue: i64,
    pub open_amount: Money,
}

/// A partner's position at a date: its aging buckets and open documents.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartnerPosition {
    pub at: NaiveDate,
    /// The company's currency, which the amounts are in.
    pub currency: String,
    #[serde(flatten)]
    pub buckets: AgingBuckets,
    /// Open invoices (bills), oldest due first.
    pub open_invoices: Vec<AgingInvoice>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AgingReport {
    pub side: Side,
    pub at: NaiveDate,
    pub currency: String,
    /// Partners with anything open, by name.
    pub partners: Vec<AgingLine>,
    pub totals: AgingBuckets,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnerStatementQuery {
    pub side: Side,
    /// First day of the statement.
    pub from: NaiveDate,
    /// Last day of the statement (default: today).
    pub to: Option<NaiveDate>,
}

/// What a statement line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartnerStatementItem {
    Invoice,
    CreditNote,
    Payment,
    Discount,
    WriteOff,
    /// The realised exchange difference of a document in another currency when it is settled.
    ExchangeDifference,
    Cancellation,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartnerStatementLine {
    pub date: NaiveDate,
    pub item: PartnerStatementItem,
    pub number: Option<String>,
    pub reference: Option<String>,
    /// What raises what the partner owes us (receivable) or we owe them (payable).
    pub charge: Money,
    /// What lowers it.
    pub credit: Money,
    pub balance: Money,
}

/// A partner's account: the opening balance, every document and payment of the range in
/// date order with the running balance, and the closing balance.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartnerStatement {
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub side: Side,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub currency: String,
    pub opening_balance: Money,
    pub lines: Vec<PartnerStatementLine>,
    pub closing_balance: Money,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DunningQuery {
    /// The date the list is taken at (default: today).
    pub at: Option<NaiveDate>,
    /// The days overdue from which each dunning level starts, ascending, comma-separated
    /// (default `1,15,30`: level 1 from the first day overdue, 2 from the 15th, 3 from the
    /// 30th).
    pub levels: Option<String>,
}

/// An overdue invoice and the dunning level it has reached.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DunningInvoice {
    pub invoice_id: InvoiceId,
    pub number: Option<String>,
    pub due_date: NaiveDate,
    pub days_overdue: i64,
    pub open_amount: Money,
    pub level: i32,
}

/// A customer to remind: what is overdue, less the credit it has with us.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DunningLine {
    pub partner_id: PartnerId,
    pub partner_name: String,
    /// The highest level of its invoices.
    pub level: i32,
    pub overdue: Money,
    /// Payments not yet allocated and open credit notes.
    pub unapplied_credit: Money,
    /// Overdue less the credit: more than zero, or the customer is not listed.
    pub to_collect: Money,
    /// Oldest due first.
    pub invoices: Vec<DunningInvoice>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DunningReport {
    pub at: NaiveDate,
    pub currency: String,
    /// The days overdue each level starts at.
    pub levels: Vec<i64>,
    /// Highest level first, then by name.
    pub partners: Vec<DunningLine>,
    pub total_to_collect: Money,
}
