use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::hr_timesheets;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_timesheets)]
pub struct TimesheetRow {
    pub id: String,
    pub company_id: String,
    pub employee_id: String,
    pub work_date: NaiveDate,
    /// Hours ×10⁶.
    pub hours: i64,
    pub target: String,
    pub project: Option<String>,
    pub partner_id: Option<String>,
    pub reference_id: Option<String>,
    pub operation_seq: Option<i32>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}
