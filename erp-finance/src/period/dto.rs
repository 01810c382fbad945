use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::PeriodId;

erp_core::text_enum! {
    pub enum PeriodStatus {
        Open = "open",
        Closed = "closed",
    }
}

/// Opens a fiscal year of twelve monthly periods.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenFiscalYearRequest {
    /// The fiscal year, named by the calendar year it starts in.
    #[schema(minimum = 1900, maximum = 9999)]
    pub year: i32,
    /// The month it starts with (1 to 12; default 1, January).
    #[schema(minimum = 1, maximum = 12)]
    pub first_month: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PeriodResponse {
    pub id: PeriodId,
    pub fiscal_year: i32,
    /// 1 to 12 within the fiscal year.
    pub number: i32,
    /// `2026-03`.
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: PeriodStatus,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(PeriodPage, PeriodResponse);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodListQuery {
    pub fiscal_year: Option<i32>,
    pub status: Option<PeriodStatus>,
}
