use chrono::{DateTime, NaiveDate, Utc};
use erp_core::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Sets the rate of a currency from a date on (replacing that date's rate, if any).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRateRequest {
    /// ISO 4217, not the company's own.
    pub currency: String,
    pub rate_date: NaiveDate,
    /// Company currency per one unit of `currency`, more than zero, at most 9 decimal places.
    #[schema(value_type = String, example = "1.0825")]
    pub rate: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RateResponse {
    pub currency: String,
    pub rate_date: NaiveDate,
    #[schema(value_type = String, example = "1.0825")]
    pub rate: Decimal,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RateList {
    /// By currency, then date.
    pub items: Vec<RateResponse>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RateListQuery {
    pub currency: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Items per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1, max_length = 200)]
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConvertQuery {
    pub currency: String,
    pub date: NaiveDate,
    /// In `currency`.
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Conversion {
    pub currency: String,
    pub amount: Money,
    pub date: NaiveDate,
    /// The rate used and the day it was set for (the latest on or before `date`).
    #[schema(value_type = String, example = "1.0825")]
    pub rate: Decimal,
    pub rate_date: NaiveDate,
    pub company_currency: String,
    /// `amount` × `rate`, rounded to the company currency's minor unit.
    pub converted: Money,
}
