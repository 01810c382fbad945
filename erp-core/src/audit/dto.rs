use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::model::AuditEvent;
use crate::ids::UserId;

#[derive(Debug, serde::Serialize, Deserialize, ToSchema)]
pub struct AuditEventResponse {
    pub id: String,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    /// `user`, `role`, `partner`, `branch`, ...
    pub entity_type: String,
    pub entity_id: String,
    /// `create`, `update`, `delete` or a named action such as `disable`.
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
}

impl From<AuditEvent> for AuditEventResponse {
    fn from(e: AuditEvent) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditEventResponse {
            id: e.id,
            occurred_at: e.occurred_at.and_utc(),
            actor_id: e.actor_id,
            actor_name: e.actor_name,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            action: e.action,
            before: parse(e.before_data),
            after: parse(e.after_data),
            request_id: e.request_id,
        }
    }
}

crate::page_type!(AuditEventPage, AuditEventResponse);

/// Filters of the audit trail.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditListQuery {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// Only events caused by this user.
    pub actor_id: Option<UserId>,
    pub action: Option<String>,
    /// Events at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Events before this instant.
    pub to: Option<DateTime<Utc>>,
}
