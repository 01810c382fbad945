use chrono::{DateTime, Utc};
use erp_core::money::Money;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where the tax of a document is rounded to the currency's minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxRounding {
    /// Each line's tax is rounded; the document's is their sum.
    Line,
    /// Each rate's tax is rounded once over the document, and shared out to the lines.
    Document,
}

/// Replaces the settings; fields left out keep their value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateFinanceSettingsRequest {
    pub tax_rounding: Option<TaxRounding>,
    /// The largest difference an allocation may write off (in company currency, whole
    /// minor units; 0: none).
    pub write_off_tolerance: Option<Money>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FinanceSettingsResponse {
    pub tax_rounding: TaxRounding,
    pub write_off_tolerance: Money,
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}
