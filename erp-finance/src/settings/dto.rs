use chrono::{DateTime, Utc};
use erp_core::money::{Money, Percent};
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

/// What confirming a purchase order that commits more than is left of the budget in force
/// does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BudgetControl {
    /// Nothing.
    Off,
    /// Confirms it and names each account over budget in `budget_warnings`.
    Warn,
    /// Refuses it: 422 `over_budget`, naming each account.
    Refuse,
}

/// Replaces the settings; fields left out keep their value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateFinanceSettingsRequest {
    pub tax_rounding: Option<TaxRounding>,
    /// The largest difference an allocation may write off (in company currency, whole
    /// minor units; 0: none).
    pub write_off_tolerance: Option<Money>,
    /// How far (percent, 0 to 100) a supplier bill's price may differ from the purchase
    /// order's before the bill is held (0: not at all).
    pub match_price_tolerance: Option<Percent>,
    /// How much more (percent of the received quantity, 0 to 100) a bill may bill than was
    /// received before it is held (0: nothing more).
    pub match_quantity_tolerance: Option<Percent>,
    pub budget_control: Option<BudgetControl>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FinanceSettingsResponse {
    pub tax_rounding: TaxRounding,
    pub write_off_tolerance: Money,
    pub match_price_tolerance: Percent,
    pub match_quantity_tolerance: Percent,
    pub budget_control: BudgetControl,
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}
