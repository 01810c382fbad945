use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::fin_periods;
use erp_core::ids::CompanyId;

use crate::ids::PeriodId;

use crate::period::dto::PeriodStatus;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_periods)]
pub struct PeriodRow {
    pub id: PeriodId,
    pub company_id: CompanyId,
    pub fiscal_year: i32,
    pub number: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: PeriodStatus,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

impl PeriodRow {
    /// `2026-03`: the fiscal year and the period's number.
    pub fn name(&self) -> String {
        format!("{}-{:02}", self.fiscal_year, self.number)
    }
}
