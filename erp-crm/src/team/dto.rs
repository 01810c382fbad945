//! The teams' wire types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamRequest {
    pub name: String,
    /// The team lead: reaches the members' customers, deals and tasks.
    pub lead_id: Uuid,
    /// The managers in the team (a manager may be in several teams).
    pub member_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TeamResponse {
    pub id: Uuid,
    pub name: String,
    pub lead_id: Uuid,
    pub member_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TeamList {
    pub items: Vec<TeamResponse>,
}
