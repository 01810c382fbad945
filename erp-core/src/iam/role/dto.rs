use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::RoleId;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRoleRequest {
    pub id: Option<RoleId>,
    /// Unique in the company.
    pub name: String,
    pub description: Option<String>,
    /// Permission codes (`partner.read`) or patterns (`partner.*`, `*`).
    #[serde(default)]
    pub permissions: Vec<String>,
}

/// Changes to a role; absent fields stay as they are. `permissions` replaces the set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRoleRequest {
    pub name: Option<String>,
    pub description: Option<String>,
    pub permissions: Option<Vec<String>>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RoleResponse {
    pub id: RoleId,
    pub name: String,
    pub description: Option<String>,
    pub permissions: Vec<String>,
    /// Made by the system (the Administrator): cannot be deleted, its permissions are fixed.
    pub builtin: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

crate::page_type!(RolePage, RoleResponse);
