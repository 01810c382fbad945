use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::{PartnerId, UserId};
use erp_core::money::Money;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{DealId, StageId};

pub use crate::states::DealStatus;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDealRequest {
    pub customer_id: PartnerId,
    pub title: String,
    pub value: Money,
    /// Default: the company's currency.
    pub currency: Option<String>,
    pub expected_close: Option<NaiveDate>,
    /// Default: the first open stage.
    pub stage_id: Option<StageId>,
    /// Default: the customer's owner.
    pub owner_id: Option<UserId>,
}

/// Changes an open deal: the fields given change, each change on the deal's history.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDealRequest {
    pub version: Option<i64>,
    pub title: Option<String>,
    pub value: Option<Money>,
    pub currency: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "erp_core::http::present")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub expected_close: Option<Option<NaiveDate>>,
    /// Reassigns the deal to a user you reach (yourself or your team, everyone with
    /// `crm.all`).
    pub owner_id: Option<UserId>,
}

/// One field of a deal changed (its stage changes are in `history`).
/// A deal field whose changes the deal's history keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DealField {
    Title,
    Value,
    Currency,
    ExpectedClose,
    OwnerId,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DealChange {
    pub field: DealField,
    pub from: Option<String>,
    pub to: Option<String>,
    pub changed_at: DateTime<Utc>,
    pub user_id: UserId,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveDealRequest {
    /// An open stage; won and lost stages are reached with `/win` and `/lose`.
    pub stage_id: StageId,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoseDealRequest {
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StageChange {
    pub from_stage_id: Option<StageId>,
    pub to_stage_id: StageId,
    pub changed_at: DateTime<Utc>,
    pub user_id: UserId,
    /// Time spent in the stage it left, in seconds (absent for the first entry).
    pub seconds_in_previous: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DealResponse {
    pub id: DealId,
    pub customer_id: PartnerId,
    pub title: String,
    pub value: Money,
    pub currency: String,
    pub expected_close: Option<NaiveDate>,
    pub owner_id: UserId,
    pub stage_id: StageId,
    pub stage_code: String,
    /// The value weighted by the stage's probability.
    pub weighted_value: Money,
    pub status: DealStatus,
    pub lost_reason: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub history: Vec<StageChange>,
    /// Every change of its title, value, currency, expected close and owner, oldest first.
    pub changes: Vec<DealChange>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DealListQuery {
    pub customer_id: Option<PartnerId>,
    pub owner_id: Option<UserId>,
    pub status: Option<DealStatus>,
    pub stage_id: Option<StageId>,
}

erp_core::page_type!(DealPage, DealResponse);

/// The deal a lead qualifies into.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QualifyRequest {
    pub title: String,
    pub value: Money,
    pub currency: Option<String>,
    pub expected_close: Option<NaiveDate>,
    pub stage_id: Option<StageId>,
}
