use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{BranchId, CompanyId, RoleId, UserId};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    /// Optional client-made id (UUID), for offline branch offices replaying their work.
    pub id: Option<UserId>,
    /// Login name: 3 to 64 of a-z, 0-9, `.`, `_`, `-`, `@`; stored lower-case, unique.
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// At least 8 characters.
    pub password: String,
    #[serde(default)]
    pub role_ids: Vec<RoleId>,
    /// The branches whose data the user may see, unless `all_branches`.
    #[serde(default)]
    pub branch_ids: Vec<BranchId>,
    #[serde(default)]
    pub all_branches: bool,
    /// Another company than the caller's (needs `org.company.create`).
    pub company_id: Option<CompanyId>,
}

/// Changes to a user; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    pub display_name: Option<String>,
    /// An empty string removes the e-mail address.
    pub email: Option<String>,
    pub role_ids: Option<Vec<RoleId>>,
    pub branch_ids: Option<Vec<BranchId>>,
    pub all_branches: Option<bool>,
    /// The version this change is based on (or send `If-Match`).
    pub version: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordRequest {
    pub new_password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserResponse {
    pub id: UserId,
    pub company_id: CompanyId,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub active: bool,
    pub all_branches: bool,
    pub branch_ids: Vec<BranchId>,
    pub role_ids: Vec<RoleId>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

crate::page_type!(UserPage, UserResponse);

/// What a user may do, as computed from their roles.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserPermissionsResponse {
    pub user_id: UserId,
    /// Grants as written in the roles (codes and patterns such as `iam.*`).
    pub grants: Vec<String>,
    /// Every catalog permission those grants allow.
    pub permissions: Vec<String>,
    pub all_branches: bool,
    pub branch_ids: Vec<BranchId>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    /// Part of the user name or display name.
    pub q: Option<String>,
    pub active: Option<bool>,
}
