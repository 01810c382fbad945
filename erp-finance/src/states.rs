//! The kinds and states of invoices and payments. They sit below every module: the invoice
//! and payment modules keep the documents, allocation settles them, reports and the bank
//! read them. `invoice::dto` and `payment::dto` re-export their own.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    /// The customer owes the total: receivable / revenue and output tax.
    CustomerInvoice,
    /// The customer is owed the total back: the mirror of an invoice.
    CustomerCreditNote,
    /// The company owes the supplier: expense (or goods received) and input tax / payable.
    SupplierBill,
    /// The supplier owes the total back: the mirror of a bill.
    SupplierDebitNote,
}

impl InvoiceKind {
    /// Invoices and bills are settled; credit and debit notes settle them.
    pub fn is_note(self) -> bool {
        matches!(
            self,
            InvoiceKind::CustomerCreditNote | InvoiceKind::SupplierDebitNote
        )
    }

    pub fn is_customer(self) -> bool {
        matches!(
            self,
            InvoiceKind::CustomerInvoice | InvoiceKind::CustomerCreditNote
        )
    }

    /// The kind a note of this kind corrects, or that corrects this kind.
    pub fn counterpart(self) -> InvoiceKind {
        match self {
            InvoiceKind::CustomerInvoice => InvoiceKind::CustomerCreditNote,
            InvoiceKind::CustomerCreditNote => InvoiceKind::CustomerInvoice,
            InvoiceKind::SupplierBill => InvoiceKind::SupplierDebitNote,
            InvoiceKind::SupplierDebitNote => InvoiceKind::SupplierBill,
        }
    }
}

erp_core::text_enum! {
    pub enum InvoiceStatus {
        Draft = "draft",
        Posted = "posted",
        Cancelled = "cancelled",
    }
}

erp_core::text_enum! {
    pub enum PaymentStatus {
        Posted = "posted",
        /// Reversed; its allocations are undone.
        Cancelled = "cancelled",
    }
}
