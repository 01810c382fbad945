use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::fin_account_rules;
use erp_core::ids::CompanyId;

use crate::ids::AccountId;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_account_rules)]
pub struct RuleRow {
    pub company_id: CompanyId,
    pub event: String,
    pub scope_type: String,
    pub scope_id: String,
    pub account_id: AccountId,
    pub updated_at: NaiveDateTime,
}
