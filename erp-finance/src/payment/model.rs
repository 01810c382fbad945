use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::fin_payments;
use erp_core::ids::UserId;
use erp_core::ids::{BranchId, CompanyId, PartnerId};

use crate::ids::{AccountId, EntryId, PaymentId};
use crate::payment::dto::PaymentStatus;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_payments, treat_none_as_default_value = false)]
pub struct PaymentRow {
    pub id: PaymentId,
    pub company_id: CompanyId,
    pub kind: String,
    pub number: Option<String>,
    pub partner_id: PartnerId,
    pub branch_id: Option<BranchId>,
    pub payment_date: NaiveDate,
    pub account_id: AccountId,
    /// Money ×10⁴, like `unallocated`.
    pub amount: i64,
    pub unallocated: i64,
    pub reference: Option<String>,
    pub status: PaymentStatus,
    pub entry_id: Option<EntryId>,
    pub version: i64,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub cancelled_on: Option<NaiveDate>,
    pub cancel_entry_id: Option<EntryId>,
    /// The payment's currency, which `amount` and `unallocated` are in.
    pub currency: String,
    /// Company currency per unit of `currency` on the payment date, ×10⁹.
    pub exchange_rate: i64,
    /// What the ledger holds, in company currency (×10⁴).
    pub amount_company: i64,
    pub unallocated_company: i64,
}
