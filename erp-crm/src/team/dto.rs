//! The teams' wire types.

use chrono::{DateTime, Utc};
use erp_core::ids::UserId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::TeamId;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamRequest {
    pub name: String,
    /// The team lead: reaches the members' customers, deals and tasks.
    pub lead_id: UserId,
    /// The managers in the team (a manager may be in several teams).
    pub member_ids: Vec<UserId>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TeamResponse {
    pub id: TeamId,
    pub name: String,
    pub lead_id: UserId,
    pub member_ids: Vec<UserId>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TeamList {
    pub items: Vec<TeamResponse>,
}
