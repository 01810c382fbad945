use chrono::{DateTime, NaiveDate, Utc};
use erp_core::money::{Factor, Qty};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{AttendanceId, DepartmentId, EmployeeId, OvertimeRuleId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceSource {
    /// The employee, for themself.
    #[serde(rename = "self")]
    Myself,
    /// A time terminal calling with its API key.
    Terminal,
    /// HR, recording or correcting.
    Hr,
}

/// A check-in or check-out: one's own now (`hr.self`), or an employee's from a time terminal
/// (`hr.attendance.terminal`) or HR (`hr.attendance.write`), who may give the time.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockRequest {
    pub employee_id: Option<EmployeeId>,
    /// The moment; now when absent. Only a terminal (up to 7 days back) or HR sets it.
    pub at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// A whole stretch recorded or corrected by HR.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordAttendanceRequest {
    pub employee_id: EmployeeId,
    pub check_in: DateTime<Utc>,
    pub check_out: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AttendanceResponse {
    pub id: AttendanceId,
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub check_in: DateTime<Utc>,
    pub check_out: Option<DateTime<Utc>>,
    /// Hours between check-in and check-out; `null` while checked in.
    pub hours: Option<Qty>,
    pub source: AttendanceSource,
    pub note: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

erp_core::page_type!(AttendancePage, AttendanceResponse);

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttendanceListQuery {
    pub employee_id: Option<EmployeeId>,
    /// Stretches touching the days `from` to `to` (at most 92 days): the employee's branch's
    /// days with `employee_id`, else the company's, in its time zone.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DailyQuery {
    /// At most 62 days; each employee's days are their branch's, in its time zone.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub employee_id: Option<EmployeeId>,
    pub department_id: Option<DepartmentId>,
}

/// One day of one employee.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AttendanceDay {
    pub day: NaiveDate,
    /// By the calendar, less holidays and approved leave.
    pub expected_hours: Qty,
    pub worked_hours: Qty,
    /// Days of approved leave (0, 0.5 or 1).
    pub leave_days: Qty,
    /// Over the daily overtime rules.
    pub overtime_hours: Qty,
    /// Checked in on this day (before today) and never out.
    pub missing_check_out: bool,
    /// Hours expected, none worked, no leave: absent without leave.
    pub absent: bool,
    /// With shift times: minutes the first check-in came after the day's first shift began.
    pub late_minutes: i64,
    /// With shift times: minutes the last check-out came before the day's last shift ended.
    pub left_early_minutes: i64,
}

/// Overtime of the period by rule, daily and weekly.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OvertimeLine {
    pub rule: String,
    pub rate: Factor,
    pub hours: Qty,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EmployeeAttendance {
    pub employee_id: EmployeeId,
    pub name: String,
    pub expected_hours: Qty,
    pub worked_hours: Qty,
    pub absent_days: i64,
    pub missing_check_outs: i64,
    /// Days with a late check-in.
    pub late_days: i64,
    pub overtime: Vec<OvertimeLine>,
    pub days: Vec<AttendanceDay>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AttendanceReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub items: Vec<EmployeeAttendance>,
}

erp_core::text_enum! {
    pub enum OvertimePer {
        Day = "day",
        Week = "week",
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOvertimeRuleRequest {
    pub code: String,
    pub name: String,
    /// Hours over `threshold` in a day, or in a week beyond what the daily rules counted.
    pub per: OvertimePer,
    pub threshold: Qty,
    /// Pay for an overtime hour as a multiple of the hourly rate: 1.25.
    pub rate: Factor,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OvertimeRuleResponse {
    pub id: OvertimeRuleId,
    pub code: String,
    pub name: String,
    pub per: OvertimePer,
    pub threshold: Qty,
    pub rate: Factor,
    pub active: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OvertimeRuleList {
    pub items: Vec<OvertimeRuleResponse>,
}
