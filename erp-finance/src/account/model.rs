use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::fin_accounts;

use super::dto::AccountType;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_accounts)]
pub struct AccountRow {
    pub id: String,
    pub company_id: String,
    pub code: String,
    pub name: String,
    pub account_type: AccountType,
    pub parent_id: Option<String>,
    pub reconcilable: bool,
    pub currency: Option<String>,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
