use crate::ids::{EmployeeId, TimesheetId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::hr_timesheets;
use erp_core::ids::{CompanyId, PartnerId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_timesheets)]
pub struct TimesheetRow {
    pub id: TimesheetId,
    pub company_id: CompanyId,
    pub employee_id: EmployeeId,
    pub work_date: NaiveDate,
    /// Hours ×10⁶.
    pub hours: i64,
    pub target: String,
    pub project: Option<String>,
    pub partner_id: Option<PartnerId>,
    pub reference_id: Option<String>,
    pub operation_seq: Option<i32>,
    pub note: Option<String>,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
}
