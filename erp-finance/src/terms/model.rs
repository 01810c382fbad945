use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::fin_payment_terms;
use erp_core::ids::CompanyId;

use crate::ids::PaymentTermsId;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_payment_terms)]
pub struct PaymentTermsRow {
    pub id: PaymentTermsId,
    pub company_id: CompanyId,
    pub code: String,
    pub name: String,
    pub net_days: i32,
    pub discount_days: i32,
    /// Percent ×10⁴.
    pub discount_rate: i64,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The shares of instalment terms as JSON (see `instalment::Share`); None: one due date.
    pub instalments: Option<String>,
}
