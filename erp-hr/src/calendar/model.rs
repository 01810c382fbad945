use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{hr_calendars, hr_holidays};
use erp_core::ids::{BranchId, CompanyId};

use crate::ids::{CalendarId, HolidayId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hr_calendars)]
pub struct CalendarRow {
    pub id: CalendarId,
    pub company_id: CompanyId,
    pub code: String,
    pub name: String,
    /// Hours ×10⁶ per weekday, Monday first.
    pub mon: i64,
    pub tue: i64,
    pub wed: i64,
    pub thu: i64,
    pub fri: i64,
    pub sat: i64,
    pub sun: i64,
    pub is_default: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The shifts as JSON, `[]` for none.
    pub shifts: String,
}

impl CalendarRow {
    pub fn scaled_hours(&self) -> [i64; 7] {
        [
            self.mon, self.tue, self.wed, self.thu, self.fri, self.sat, self.sun,
        ]
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr_holidays)]
pub struct HolidayRow {
    pub id: HolidayId,
    pub company_id: CompanyId,
    pub branch_id: BranchId,
    pub day: NaiveDate,
    pub name: String,
    pub created_at: NaiveDateTime,
}
