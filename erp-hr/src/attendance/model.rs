use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{hr_attendance, hr_overtime_rules};

use super::dto::OvertimePer;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_attendance, treat_none_as_null = true)]
pub struct AttendanceRow {
    pub id: String,
    pub company_id: String,
    pub employee_id: String,
    pub check_in: NaiveDateTime,
    pub check_out: Option<NaiveDateTime>,
    pub source: String,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_overtime_rules)]
pub struct OvertimeRuleRow {
    pub id: String,
    pub company_id: String,
    pub code: String,
    pub name: String,
    pub per: OvertimePer,
    /// Hours ×10⁶.
    pub threshold: i64,
    /// Multiple of the hourly rate ×10⁴.
    pub rate: i64,
    pub active: bool,
    pub created_at: NaiveDateTime,
}
