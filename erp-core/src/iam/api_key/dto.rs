use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{ApiKeyId, UserId};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for, e.g. "web shop sync".
    pub name: String,
    /// The user the key acts as; the caller when absent.
    pub user_id: Option<UserId>,
    /// Grants the key is narrowed to; empty means all of the owner's permissions.
    #[serde(default)]
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiKeyResponse {
    pub id: ApiKeyId,
    pub name: String,
    pub user_id: UserId,
    /// The public part of the key, to recognise it in lists.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A new key. `key` is shown this once; only its hash is stored.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedApiKeyResponse {
    #[serde(flatten)]
    pub api_key: ApiKeyResponse,
    /// Send as `X-API-Key: <key>` or `Authorization: Bearer <key>`.
    pub key: String,
}

crate::page_type!(ApiKeyPage, ApiKeyResponse);
