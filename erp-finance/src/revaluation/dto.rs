use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::PartnerId;
use erp_core::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{EntryId, InvoiceId, PaymentId, RevaluationId};

/// Revalues every document and payment in another currency still open at `date`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRevaluationRequest {
    /// The valuation date (a period's last day, usually); its period must be open.
    pub date: NaiveDate,
    /// When the entry is reversed (default: the first day of the next period); after `date`,
    /// and its period must be open too.
    pub reverse_on: Option<NaiveDate>,
}

/// One open item revalued.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RevaluationLine {
    /// The invoice, bill or note revalued, or
    pub invoice_id: Option<InvoiceId>,
    /// the payment whose unallocated money was.
    pub payment_id: Option<PaymentId>,
    pub partner_id: PartnerId,
    pub currency: String,
    /// What was open at the date, in `currency`.
    pub open_in_currency: Money,
    /// The rate in force at the date.
    #[schema(value_type = String, example = "1.0825")]
    pub exchange_rate: Decimal,
    /// In company currency: as booked, at the date's rate, and the difference.
    pub booked: Money,
    pub revalued: Money,
    pub difference: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RevaluationResponse {
    pub id: RevaluationId,
    pub date: NaiveDate,
    pub reverse_on: NaiveDate,
    /// The company's currency, which gains, losses and values are in.
    pub currency: String,
    /// Unrealised gains and losses posted (both zero or more).
    pub gain: Money,
    pub loss: Money,
    pub entry_id: EntryId,
    pub reversal_entry_id: EntryId,
    pub lines: Vec<RevaluationLine>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RevaluationList {
    /// Latest date first.
    pub items: Vec<RevaluationResponse>,
}
