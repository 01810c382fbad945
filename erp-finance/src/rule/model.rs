use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::fin_account_rules;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_account_rules)]
pub struct RuleRow {
    pub company_id: String,
    pub event: String,
    pub scope_type: String,
    pub scope_id: String,
    pub account_id: String,
    pub updated_at: NaiveDateTime,
}
