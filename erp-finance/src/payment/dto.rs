use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::{BranchId, PartnerId};
use erp_core::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::allocation::dto::{AllocationInput, AllocationResponse};
use crate::ids::{AccountId, EntryId, PaymentId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKind {
    /// Money received from a customer: bank / receivable.
    CustomerReceipt,
    /// Money paid to a supplier: payable / bank.
    SupplierPayment,
}

impl PaymentKind {
    /// A receipt from a customer (against the receivable), not a payment to a supplier.
    pub fn is_customer(self) -> bool {
        self == PaymentKind::CustomerReceipt
    }
}

pub use crate::states::PaymentStatus;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePaymentRequest {
    pub id: Option<PaymentId>,
    pub kind: PaymentKind,
    /// A customer for receipts, a supplier for payments.
    pub partner_id: PartnerId,
    pub branch_id: Option<BranchId>,
    /// The value date; its period must be open.
    pub payment_date: NaiveDate,
    /// The bank or cash account (an active asset account).
    pub account_id: AccountId,
    /// More than zero, in whole minor units of the payment's currency.
    pub amount: Money,
    /// ISO 4217 code of the money paid (default: the bank account's currency if it is
    /// restricted to one, else the company's). Another currency than the company's needs an
    /// exchange rate on or before the payment date; it settles documents in its currency.
    pub currency: Option<String>,
    /// The bank's reference, the customer's remittance text.
    pub reference: Option<String>,
    /// Invoices (bills) this payment settles now; what is left stays unallocated, a credit
    /// of the partner to allocate later.
    #[serde(default)]
    pub allocations: Vec<AllocationInput>,
}

/// Allocates a payment's unallocated money to invoices (bills).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocatePaymentRequest {
    /// The allocations' date (default: the later of the payment's and each invoice's date);
    /// a discount is judged at this date.
    pub date: Option<NaiveDate>,
    pub allocations: Vec<AllocationInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentResponse {
    pub id: PaymentId,
    pub kind: PaymentKind,
    /// The number of its journal entry (`BJ-2026-000001`).
    pub number: Option<String>,
    pub status: PaymentStatus,
    pub partner_id: PartnerId,
    pub branch_id: Option<BranchId>,
    pub payment_date: NaiveDate,
    pub account_id: AccountId,
    /// The payment's currency, which `amount` and `unallocated` are in.
    pub currency: String,
    /// Company currency per unit of `currency` on the payment date (1 for the company's own).
    #[schema(value_type = String, example = "1.0825")]
    pub exchange_rate: Decimal,
    pub amount: Money,
    /// What is not yet allocated: the partner's credit.
    pub unallocated: Money,
    /// The company's currency.
    pub company_currency: String,
    /// The amount as the ledger holds it, in company currency at `exchange_rate`.
    pub amount_in_company_currency: Money,
    pub reference: Option<String>,
    pub entry_id: Option<EntryId>,
    pub cancelled_on: Option<NaiveDate>,
    pub cancel_entry_id: Option<EntryId>,
    pub allocations: Vec<AllocationResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(PaymentPage, PaymentResponse);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaymentListQuery {
    pub kind: Option<PaymentKind>,
    pub partner_id: Option<PartnerId>,
    /// Only payments with (true) or without (false) unallocated money.
    pub unallocated: Option<bool>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Cancels a payment: its entry is reversed and its allocations undone on `date`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelPaymentRequest {
    /// Default: the payment's date; not before it nor before any of its allocations.
    pub date: Option<NaiveDate>,
}
