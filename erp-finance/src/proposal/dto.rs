use chrono::NaiveDate;
use erp_core::ids::{BranchId, PartnerId};
use erp_core::money::Money;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{AccountId, InvoiceId};
use crate::payment::dto::PaymentResponse;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaymentProposalQuery {
    /// The day the payments go out (default: today); discounts are judged at it.
    pub pay_on: Option<NaiveDate>,
    /// Bills due on or before this date are proposed (default: `pay_on`).
    pub due_by: Option<NaiveDate>,
    /// Bills in this currency (default: the company's); a run pays in one currency.
    pub currency: Option<String>,
}

/// A bill to pay, with the discount still open on the payment date.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProposedBill {
    pub invoice_id: InvoiceId,
    pub number: Option<String>,
    /// The supplier's invoice number.
    pub reference: Option<String>,
    pub due_date: NaiveDate,
    pub discount_until: Option<NaiveDate>,
    pub open_amount: Money,
    pub discount: Money,
    /// Open amount less discount.
    pub pay: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProposedSupplier {
    pub partner_id: PartnerId,
    pub partner_name: String,
    /// Oldest due first.
    pub bills: Vec<ProposedBill>,
    pub total: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentProposal {
    pub pay_on: NaiveDate,
    pub due_by: NaiveDate,
    pub currency: String,
    /// By name.
    pub suppliers: Vec<ProposedSupplier>,
    pub total: Money,
    /// Discounts the run takes.
    pub discounts: Money,
}

/// Pays the proposal of a date: one supplier payment per supplier from the bank account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecuteProposalRequest {
    pub pay_on: NaiveDate,
    /// Default: `pay_on`.
    pub due_by: Option<NaiveDate>,
    /// The bank account the money leaves.
    pub account_id: AccountId,
    /// Only these suppliers (default: every supplier proposed).
    pub partner_ids: Option<Vec<PartnerId>>,
    /// The payments' branch; one you may post to.
    pub branch_id: Option<BranchId>,
    /// Bills in this currency (default: the company's), paid in it.
    pub currency: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentRun {
    pub pay_on: NaiveDate,
    /// One per supplier paid.
    pub payments: Vec<PaymentResponse>,
    pub total: Money,
}
