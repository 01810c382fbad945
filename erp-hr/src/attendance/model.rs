use crate::ids::{AttendanceId, EmployeeId, OvertimeRuleId};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{hr_attendance, hr_overtime_rules};
use erp_core::ids::{CompanyId, UserId};

use super::dto::OvertimePer;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_attendance, treat_none_as_null = true)]
pub struct AttendanceRow {
    pub id: AttendanceId,
    pub company_id: CompanyId,
    pub employee_id: EmployeeId,
    pub check_in: NaiveDateTime,
    pub check_out: Option<NaiveDateTime>,
    pub source: String,
    pub note: Option<String>,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_overtime_rules)]
pub struct OvertimeRuleRow {
    pub id: OvertimeRuleId,
    pub company_id: CompanyId,
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
