use chrono::{DateTime, NaiveDate, Utc};
use erp_core::money::{Price, Qty};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::WorkCenterId;

pub use erp_core::weekday::Weekday;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWorkCenterRequest {
    pub id: Option<WorkCenterId>,
    /// Unique in the company, e.g. `ASSY-1`.
    pub code: String,
    pub name: String,
    /// Hours one machine or person works on a working day (more than 0, at most 24).
    pub hours_per_day: Qty,
    /// Machines or people working in parallel (default 1).
    pub units: Option<i32>,
    /// Output per hour worked against the standard: 1 = 100% (default 1, at most 2).
    pub efficiency: Option<Qty>,
    /// Share of the hours actually available for production: 0.85 = 85% (default 1).
    pub utilization: Option<Qty>,
    /// Default Monday to Friday.
    pub working_days: Option<Vec<Weekday>>,
    /// Cost of one hour of the work center, for costing production (default 0).
    pub cost_per_hour: Option<Price>,
    /// Holidays and other days without work.
    pub days_off: Option<Vec<NaiveDate>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWorkCenterRequest {
    pub name: Option<String>,
    pub hours_per_day: Option<Qty>,
    pub units: Option<i32>,
    pub efficiency: Option<Qty>,
    pub utilization: Option<Qty>,
    pub working_days: Option<Vec<Weekday>>,
    pub cost_per_hour: Option<Price>,
    /// Replaces all days off.
    pub days_off: Option<Vec<NaiveDate>>,
    pub active: Option<bool>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WorkCenterResponse {
    pub id: WorkCenterId,
    pub code: String,
    pub name: String,
    pub hours_per_day: Qty,
    pub units: i32,
    pub efficiency: Qty,
    pub utilization: Qty,
    pub working_days: Vec<Weekday>,
    pub cost_per_hour: Price,
    pub days_off: Vec<NaiveDate>,
    /// Hours of output per working day: hours × units × efficiency × utilization.
    pub daily_capacity_hours: Qty,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WorkCenterList {
    pub items: Vec<WorkCenterResponse>,
}

/// The employees who staff a work center; the list replaces the last one (empty: none, the
/// capacity is the work center's own again).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetStaffRequest {
    pub employee_ids: Vec<erp_hr::ids::EmployeeId>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StaffMember {
    pub employee_id: erp_hr::ids::EmployeeId,
    pub number: String,
    pub name: String,
}

/// Who staffs the work center. With staff, its capacity on a working day is the hours they
/// can work that day (their calendars, less holidays and approved leave) times the work
/// center's efficiency and utilization, instead of hours per day times units.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WorkCenterStaff {
    pub work_center_id: WorkCenterId,
    pub items: Vec<StaffMember>,
}
