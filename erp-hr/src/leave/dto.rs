use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::UserId;
use erp_core::money::Qty;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{DepartmentId, EmployeeId, LeaveAdjustmentId, LeaveRequestId, LeaveTypeId};
use crate::wire::present;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLeaveTypeRequest {
    pub id: Option<LeaveTypeId>,
    /// Unique in the company: `ANNUAL`, `SICK`.
    pub code: String,
    pub name: String,
    /// Paid leave (unpaid days reduce pay).
    #[serde(default = "yes")]
    pub paid: bool,
    /// Days earned in a full year at full time, month by month; 0 for leave that is
    /// recorded but not budgeted (sick leave, with `allow_negative`).
    pub days_per_year: Qty,
    /// Days carried into the next year at most; 0 when nothing carries.
    pub carry_over_cap: Option<Qty>,
    /// Carried days not taken by the end of this month (1-12) of the next year lapse.
    pub carry_over_expires_month: Option<i32>,
    /// Requests may take the balance below zero.
    #[serde(default)]
    pub allow_negative: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLeaveTypeRequest {
    pub name: Option<String>,
    pub paid: Option<bool>,
    pub days_per_year: Option<Qty>,
    pub carry_over_cap: Option<Qty>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i32>, nullable)]
    pub carry_over_expires_month: Option<Option<i32>>,
    pub allow_negative: Option<bool>,
    pub active: Option<bool>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeaveTypeResponse {
    pub id: LeaveTypeId,
    pub code: String,
    pub name: String,
    pub paid: bool,
    pub days_per_year: Qty,
    pub carry_over_cap: Qty,
    pub carry_over_expires_month: Option<i32>,
    pub allow_negative: bool,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeaveTypeList {
    pub items: Vec<LeaveTypeResponse>,
}

erp_core::text_enum! {
    pub enum LeaveStatus {
        Requested = "requested",
        Approved = "approved",
        Refused = "refused",
        Cancelled = "cancelled",
    }
}

/// Asks for leave: for oneself (no `employee_id`, `hr.self`) or for an employee
/// (`hr.leave.write`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLeaveRequest {
    pub id: Option<LeaveRequestId>,
    pub employee_id: Option<EmployeeId>,
    pub leave_type_id: LeaveTypeId,
    pub starts_on: NaiveDate,
    /// In the same year as `starts_on`: leave across the new year is two requests.
    pub ends_on: NaiveDate,
    /// The first day from midday only.
    #[serde(default)]
    pub half_day_start: bool,
    /// The last day until midday only.
    #[serde(default)]
    pub half_day_end: bool,
    pub reason: Option<String>,
}

/// A note with a decision or a cancellation.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveDecision {
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeaveRequestResponse {
    pub id: LeaveRequestId,
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub employee_number: String,
    pub leave_type_id: LeaveTypeId,
    pub leave_type: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub half_day_start: bool,
    pub half_day_end: bool,
    /// Working days, by the employee's calendar and their branch's holidays.
    pub days: Qty,
    pub status: LeaveStatus,
    pub reason: Option<String>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(LeaveRequestPage, LeaveRequestResponse);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeaveListQuery {
    pub employee_id: Option<EmployeeId>,
    pub department_id: Option<DepartmentId>,
    pub status: Option<LeaveStatus>,
    /// Requests that share a day with `from`..`to` (both needed).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BalanceQuery {
    /// The day; today when absent.
    pub at: Option<NaiveDate>,
}

/// The balance of one leave type in the year of `at`, as of `at`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeaveBalance {
    pub leave_type_id: LeaveTypeId,
    pub leave_type: String,
    pub year: i32,
    /// Carried in from the year before (negative when it was overdrawn).
    pub carried: Qty,
    /// Of the carried days, lapsed untaken by `at`.
    pub expired: Qty,
    /// Earned this year through the end of `at`'s month.
    pub accrued: Qty,
    /// Added (or, below zero, taken off) by HR this year by `at`: an opening balance, a
    /// correction.
    pub adjusted: Qty,
    /// Approved and begun by `at`.
    pub taken: Qty,
    /// Approved and beginning after `at`.
    pub booked: Qty,
    /// Waiting for a decision.
    pub requested: Qty,
    /// carried - expired + accrued + adjusted - taken - booked - requested.
    pub available: Qty,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeaveBalances {
    pub employee_id: EmployeeId,
    pub at: NaiveDate,
    pub items: Vec<LeaveBalance>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeaveCalendarQuery {
    pub from: NaiveDate,
    /// At most 92 days after `from`.
    pub to: NaiveDate,
    pub department_id: Option<DepartmentId>,
}

/// Who is away when: leave approved or waiting for a decision.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeaveCalendarEntry {
    pub request_id: LeaveRequestId,
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub leave_type: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub half_day_start: bool,
    pub half_day_end: bool,
    pub status: LeaveStatus,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeaveCalendar {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// By first day, then by name.
    pub items: Vec<LeaveCalendarEntry>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Days HR adds to (more than zero) or takes off (less) an employee's balance of a leave
/// type, from a day on, with the reason: the opening balance brought from a former system, a
/// correction, days granted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLeaveAdjustmentRequest {
    pub id: Option<LeaveAdjustmentId>,
    pub employee_id: EmployeeId,
    pub leave_type_id: LeaveTypeId,
    /// The day from which it counts; in the year it counts in.
    pub effective_on: NaiveDate,
    /// Days, in hundredths at the finest; not zero, at most 366 either way.
    pub days: Qty,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeaveAdjustmentResponse {
    pub id: LeaveAdjustmentId,
    pub employee_id: EmployeeId,
    pub leave_type_id: LeaveTypeId,
    pub leave_type: String,
    pub effective_on: NaiveDate,
    pub days: Qty,
    pub reason: String,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeaveAdjustmentList {
    pub items: Vec<LeaveAdjustmentResponse>,
}
