use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{fin_revaluation_lines, fin_revaluations};
use erp_core::ids::UserId;
use erp_core::ids::{CompanyId, PartnerId};

use crate::ids::{EntryId, InvoiceId, PaymentId, RevaluationId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_revaluations)]
pub struct RevaluationRow {
    pub id: RevaluationId,
    pub company_id: CompanyId,
    pub revaluation_date: NaiveDate,
    pub reverse_on: NaiveDate,
    pub entry_id: EntryId,
    pub reversal_entry_id: EntryId,
    /// Money ×10⁴ in company currency, like `loss`.
    pub gain: i64,
    pub loss: i64,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_revaluation_lines, treat_none_as_default_value = false)]
pub struct RevaluationLineRow {
    pub revaluation_id: RevaluationId,
    pub line_no: i32,
    /// The document revalued, or
    pub invoice_id: Option<InvoiceId>,
    /// the payment whose unallocated money was.
    pub payment_id: Option<PaymentId>,
    pub partner_id: PartnerId,
    pub currency: String,
    /// Money ×10⁴ in `currency`.
    pub open_in_currency: i64,
    /// ×10⁹.
    pub exchange_rate: i64,
    /// Money ×10⁴ in company currency: as booked, and at the rate of the run.
    pub booked: i64,
    pub revalued: i64,
}

impl RevaluationLineRow {
    /// How much the item's value in company currency changed.
    pub fn difference(&self) -> i64 {
        self.revalued - self.booked
    }
}
