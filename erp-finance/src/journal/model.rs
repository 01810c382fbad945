use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::fin_journals;
use erp_core::ids::CompanyId;

use crate::ids::JournalId;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_journals)]
pub struct JournalRow {
    pub id: JournalId,
    pub company_id: CompanyId,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
