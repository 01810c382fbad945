use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{fin_allocations, fin_invoices};
use erp_core::ids::UserId;
use erp_core::ids::{BranchId, CompanyId, PartnerId};

use crate::ids::{AllocationId, EntryId, InvoiceId, PaymentId};
use crate::states::InvoiceStatus;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_allocations)]
pub struct AllocationRow {
    pub id: AllocationId,
    pub company_id: CompanyId,
    pub invoice_id: InvoiceId,
    pub payment_id: Option<PaymentId>,
    pub credit_note_id: Option<InvoiceId>,
    pub allocated_on: NaiveDate,
    /// Money ×10⁴, like the two below.
    pub amount: i64,
    pub discount: i64,
    pub write_off: i64,
    pub entry_id: Option<EntryId>,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    /// When the payment that made it was cancelled: from then on it settles nothing.
    pub undone_on: Option<NaiveDate>,
    /// What it cleared of the invoice and took of the payment or note, in company currency
    /// (×10⁴), each at its own document's rate.
    pub settled_company: i64,
    pub amount_company: i64,
    /// The realised exchange difference in company currency: positive a loss on a customer
    /// invoice (less came in than was booked), negative a gain; mirrored on supplier bills.
    pub exchange_difference: i64,
}

impl AllocationRow {
    /// How much of the invoice this settles.
    pub fn settled(&self) -> i64 {
        self.amount + self.discount + self.write_off
    }
}

/// An invoice, bill or note as an allocation reads it: what decides whether it may be
/// settled, by how much, and how the difference is booked. The invoice module keeps the
/// document; an allocation changes only its open amounts.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = fin_invoices)]
pub struct OpenDocument {
    pub id: InvoiceId,
    pub kind: String,
    pub number: Option<String>,
    pub partner_id: PartnerId,
    pub branch_id: Option<BranchId>,
    pub invoice_date: NaiveDate,
    pub discount_until: Option<NaiveDate>,
    /// Percent ×10⁴.
    pub discount_rate: i64,
    pub status: InvoiceStatus,
    /// Money ×10⁴, in `currency`.
    pub total: i64,
    pub open_amount: i64,
    pub currency: String,
    /// Company currency per unit of `currency`, ×10⁹.
    pub exchange_rate: i64,
    /// The open amount in company currency (×10⁴).
    pub open_company: i64,
}
