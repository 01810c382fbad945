//! The pipeline stages' wire types.

use erp_core::money::Qty;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::StageId;

pub use crate::states::StageKind;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StageResponse {
    pub id: StageId,
    pub code: String,
    pub name: String,
    pub position: i32,
    /// Percent chance a deal in this stage is won.
    pub probability: Qty,
    pub kind: StageKind,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StageList {
    /// In pipeline order.
    pub items: Vec<StageResponse>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageRequest {
    /// Lowercase letters, digits and underscores; an existing code changes that stage.
    pub code: String,
    pub name: String,
    pub position: i32,
    /// 0 to 100.
    pub probability: Qty,
    /// Default open.
    pub kind: Option<StageKind>,
}
