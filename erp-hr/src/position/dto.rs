use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{DepartmentId, PositionId};
use crate::wire::present;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePositionRequest {
    pub id: Option<PositionId>,
    /// Unique in the company: `SALES-REP`.
    pub code: String,
    pub title: String,
    pub department_id: DepartmentId,
    pub grade: Option<String>,
    /// How many people the position is planned for, 0 to 10000.
    pub headcount: i32,
}

/// Changes to a position; absent fields stay; `null` clears the grade.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePositionRequest {
    pub title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable)]
    pub grade: Option<Option<String>>,
    pub headcount: Option<i32>,
    pub active: Option<bool>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PositionResponse {
    pub id: PositionId,
    pub code: String,
    pub title: String,
    pub department_id: DepartmentId,
    pub grade: Option<String>,
    /// Planned head count.
    pub headcount: i32,
    /// Current employees holding the position today.
    pub filled: i64,
    /// Planned less filled; negative when more people hold it than planned.
    pub vacancies: i64,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(PositionPage, PositionResponse);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PositionListQuery {
    pub department_id: Option<DepartmentId>,
    pub active: Option<bool>,
}
