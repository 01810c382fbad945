use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::fin_taxes;
use erp_core::ids::CompanyId;

use crate::ids::{AccountId, TaxId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_taxes)]
pub struct TaxRow {
    pub id: TaxId,
    pub company_id: CompanyId,
    pub code: String,
    pub name: String,
    pub kind: String,
    /// Percent ×10⁴.
    pub rate: i64,
    pub price_included: bool,
    pub sales_account_id: AccountId,
    pub purchase_account_id: AccountId,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
