use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::fin_accounts;
use erp_core::ids::CompanyId;

use crate::ids::AccountId;

use super::dto::AccountType;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_accounts)]
pub struct AccountRow {
    pub id: AccountId,
    pub company_id: CompanyId,
    pub code: String,
    pub name: String,
    pub account_type: AccountType,
    pub parent_id: Option<AccountId>,
    pub reconcilable: bool,
    pub currency: Option<String>,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
