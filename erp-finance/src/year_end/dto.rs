use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use erp_core::money::Money;

use crate::ids::{AccountId, EntryId};
use crate::period::dto::PeriodResponse;

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
