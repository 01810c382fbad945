use crate::ids::{ApiKeyId, CompanyId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::api_keys;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_keys)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub company_id: CompanyId,
    pub user_id: UserId,
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    /// Space-separated grants; empty means all of the owner's permissions.
    pub scopes: String,
    pub expires_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn scopes_of(key: &ApiKey) -> Vec<String> {
    key.scopes.split_whitespace().map(str::to_string).collect()
}
