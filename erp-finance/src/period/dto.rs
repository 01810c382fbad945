use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use erp_core::money::Money;

use crate::ids::{AccountId, EntryId, PeriodId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodStatus {
    Open,
    Closed,
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

/// Closes a fiscal year: revenue and expenses to retained earnings by a generated entry dated
/// the year's last day, then every period of the year closed.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseYearRequest {
    /// An equity account; default: the chart's `3100` (retained earnings).
    pub retained_earnings_account_id: Option<AccountId>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct YearCloseResponse {
    pub fiscal_year: i32,
    /// Revenue less expenses of the year, moved to retained earnings.
    pub net_income: Money,
    /// The closing entry (none when the year had no revenue or expense).
    pub entry_id: Option<EntryId>,
    pub entry_number: Option<String>,
    /// The year's periods, all closed now.
    pub periods: Vec<PeriodResponse>,
}
