use chrono::{DateTime, NaiveDate, Utc};
use erp_core::money::Money;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{AllocationId, EntryId, InvoiceId, PaymentId};

/// Settles part or all of an invoice or bill.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationInput {
    pub invoice_id: InvoiceId,
    /// Money applied to the invoice, zero or more, in whole minor units.
    pub amount: Money,
    /// Early-payment discount, within the payment terms' discount days and rate.
    pub discount: Option<Money>,
    /// A small difference written off, at most the company's write-off tolerance; only
    /// when the allocation settles the invoice in full.
    pub write_off: Option<Money>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AllocationResponse {
    pub id: AllocationId,
    /// The invoice or bill settled.
    pub invoice_id: InvoiceId,
    /// The payment that settles it, or
    pub payment_id: Option<PaymentId>,
    /// the credit or debit note that settles it.
    pub credit_note_id: Option<InvoiceId>,
    pub allocated_on: NaiveDate,
    /// In the documents' currency, like the discount and write-off.
    pub amount: Money,
    pub discount: Money,
    pub write_off: Money,
    /// In company currency: the realised exchange difference of a document in another
    /// currency, the booked value settled less the payment's (or note's) value, discount and
    /// write-off. On a customer invoice positive is a loss, negative a gain; on a supplier
    /// bill the other way round.
    pub exchange_difference: Money,
    /// The entry of the discount, write-off and exchange difference, when there is one.
    pub entry_id: Option<EntryId>,
    /// When the payment was cancelled: from that day on this settles nothing.
    pub undone_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}
