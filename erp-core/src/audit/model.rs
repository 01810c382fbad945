use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::audit_events;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
pub struct AuditEvent {
    pub id: String,
    pub company_id: Option<String>,
    pub occurred_at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    pub before_data: Option<String>,
    pub after_data: Option<String>,
    pub request_id: Option<String>,
}
