use crate::ids::{EmployeeId, LeaveAdjustmentId, LeaveRequestId, LeaveTypeId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{hr_leave_adjustments, hr_leave_requests, hr_leave_types};
use erp_core::ids::{CompanyId, UserId};

use crate::leave::dto::LeaveStatus;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_leave_types, treat_none_as_null = true)]
pub struct LeaveTypeRow {
    pub id: LeaveTypeId,
    pub company_id: CompanyId,
    pub code: String,
    pub name: String,
    pub paid: bool,
    /// Days ×10⁶.
    pub days_per_year: i64,
    /// Days ×10⁶.
    pub carry_over_cap: i64,
    pub carry_over_expires_month: Option<i32>,
    pub allow_negative: bool,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_leave_requests, treat_none_as_null = true)]
pub struct LeaveRequestRow {
    pub id: LeaveRequestId,
    pub company_id: CompanyId,
    pub employee_id: EmployeeId,
    pub leave_type_id: LeaveTypeId,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub half_day_start: bool,
    pub half_day_end: bool,
    /// Working days ×10⁶.
    pub days: i64,
    pub status: LeaveStatus,
    pub reason: Option<String>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_note: Option<String>,
    pub version: i64,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_leave_adjustments)]
pub struct LeaveAdjustmentRow {
    pub id: LeaveAdjustmentId,
    pub company_id: CompanyId,
    pub employee_id: EmployeeId,
    pub leave_type_id: LeaveTypeId,
    pub effective_on: NaiveDate,
    /// Days ×10⁶, more or less than zero.
    pub days: i64,
    pub reason: String,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
}
