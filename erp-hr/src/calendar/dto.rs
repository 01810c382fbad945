use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::BranchId;
use erp_core::money::Qty;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{CalendarId, HolidayId};

/// Hours worked on each weekday; 0 is a day off.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeekHours {
    pub mon: Qty,
    pub tue: Qty,
    pub wed: Qty,
    pub thu: Qty,
    pub fri: Qty,
    pub sat: Qty,
    pub sun: Qty,
}

pub use erp_core::weekday::Weekday;

/// A shift: on which weekdays people start it, from when to when in their branch's local
/// time, and its unpaid break. A shift ending at or before its start ends the next day and
/// belongs to the day it starts on (Monday's night shift 22:00 to 06:00 is Monday's hours).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    #[schema(example = "Night")]
    pub name: String,
    pub days: Vec<Weekday>,
    /// `HH:MM`, 24-hour.
    #[schema(example = "22:00")]
    pub starts_at: String,
    /// `HH:MM`; at or before `starts_at`, the next day.
    #[schema(example = "06:00")]
    pub ends_at: String,
    /// Unpaid minutes within the shift.
    #[serde(default)]
    pub break_minutes: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCalendarRequest {
    pub id: Option<CalendarId>,
    pub code: String,
    pub name: String,
    /// Each 0 to 24 hours. Exactly one of `hours` and `shifts`.
    pub hours: Option<WeekHours>,
    /// The shifts of the week, none overlapping; the hours of each weekday follow from them
    /// (a shift's length less its break, to the hundredth of an hour).
    pub shifts: Option<Vec<Shift>>,
    /// The calendar of employees hired without one; at most one calendar is the default.
    #[serde(default)]
    pub is_default: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCalendarRequest {
    pub name: Option<String>,
    /// Hours alone: the calendar no longer has shift times.
    pub hours: Option<WeekHours>,
    /// New shifts in place of the hours or the shifts before.
    pub shifts: Option<Vec<Shift>>,
    /// Only `true`: another calendar is made the default by setting it there.
    pub is_default: Option<bool>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CalendarResponse {
    pub id: CalendarId,
    pub code: String,
    pub name: String,
    pub hours: WeekHours,
    /// Empty for a calendar of hours per weekday alone.
    pub shifts: Vec<Shift>,
    /// The hours of a full-time week: part-time contracts accrue leave in proportion.
    pub hours_per_week: Qty,
    pub is_default: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(CalendarPage, CalendarResponse);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateHolidayRequest {
    pub branch_id: BranchId,
    pub day: NaiveDate,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HolidayResponse {
    pub id: HolidayId,
    pub branch_id: BranchId,
    pub day: NaiveDate,
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HolidayList {
    pub items: Vec<HolidayResponse>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HolidayQuery {
    pub branch_id: Option<BranchId>,
    /// From this day; the start of this year when absent.
    pub from: Option<NaiveDate>,
    /// To this day; the end of `from`'s year when absent. At most 3 years after `from`.
    pub to: Option<NaiveDate>,
}
