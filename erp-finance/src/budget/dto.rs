use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::BranchId;
use erp_core::money::Money;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{AccountId, BudgetId};

erp_core::text_enum! {
    pub enum BudgetStatus {
        Draft = "draft",
        Approved = "approved",
    }
}

/// A planned amount: an account, a period of the budget's year, optionally a branch; on the
/// account's normal side (revenue planned as `5000`, not `-5000`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetLineInput {
    pub account_id: AccountId,
    /// 1 to 12 within the fiscal year.
    #[schema(minimum = 1, maximum = 12)]
    pub period: i32,
    pub branch_id: Option<BranchId>,
    pub amount: Money,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBudgetRequest {
    pub id: Option<BudgetId>,
    /// Unique in the company, e.g. `2026 plan v2`.
    pub name: String,
    pub fiscal_year: i32,
    pub lines: Vec<BudgetLineInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BudgetResponse {
    pub id: BudgetId,
    pub name: String,
    pub fiscal_year: i32,
    pub status: BudgetStatus,
    pub lines: Vec<BudgetLineInput>,
    /// The sum of the lines.
    pub total: Money,
    /// The budget this version was derived from.
    pub derived_from_id: Option<BudgetId>,
    /// The approved version that replaced this one; an approved budget not replaced is the
    /// one in force for its year (budget control reads it).
    pub superseded_by_id: Option<BudgetId>,
    pub in_force: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(BudgetPage, BudgetResponse);

/// Derives a new draft version from a budget: its lines, each changed by `adjust_percent`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeriveBudgetRequest {
    pub id: Option<BudgetId>,
    /// Unique in the company, e.g. `2026 plan v2`.
    pub name: String,
    /// Percent each line changes by (-100 to 1000; default 0), rounded to the company
    /// currency's minor unit, half away from zero.
    #[schema(value_type = Option<String>, example = "5")]
    pub adjust_percent: Option<rust_decimal::Decimal>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BudgetReportQuery {
    pub budget_id: BudgetId,
    /// The first day of a period.
    pub from: NaiveDate,
    /// The last day of a period.
    pub to: NaiveDate,
    pub branch_id: Option<BranchId>,
}

/// Planned against posted for one account, on its normal side.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BudgetReportLine {
    pub account_id: AccountId,
    pub code: String,
    pub name: String,
    pub budget: Money,
    pub actual: Money,
    /// `actual - budget`.
    pub variance: Money,
    /// `actual / budget × 100`, two places; absent when nothing was planned.
    pub percent: Option<rust_decimal::Decimal>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BudgetReport {
    pub budget_id: BudgetId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<BudgetReportLine>,
}
