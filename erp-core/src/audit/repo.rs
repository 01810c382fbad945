use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::AuditEvent;
use crate::db::schema::audit_events::dsl as a;
use crate::db::DbConnection;
use crate::pagination::PageRequest;

pub fn insert(conn: &mut DbConnection, event: &AuditEvent) -> QueryResult<()> {
    diesel::insert_into(a::audit_events)
        .values(event)
        .execute(conn)
        .map(|_| ())
}

crate::insert_rows!(insert_many, a::audit_events, AuditEvent);

#[derive(Debug, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

/// The events of these records of one type, oldest first (the history of documents).
pub fn of_entities(
    conn: &mut DbConnection,
    entity_type: &str,
    ids: &[String],
) -> QueryResult<Vec<AuditEvent>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            a::audit_events
                .filter(a::entity_type.eq(entity_type))
                .filter(a::entity_id.eq_any(chunk))
                .select(AuditEvent::as_select())
                .load::<AuditEvent>(conn)?,
        );
    }
    out.sort_by(|x, y| (x.occurred_at, &x.id).cmp(&(y.occurred_at, &y.id)));
    Ok(out)
}

pub fn list(
    conn: &mut DbConnection,
    company_id: &str,
    filter: &AuditFilter,
    page: &PageRequest,
) -> QueryResult<Vec<AuditEvent>> {
    let mut q = a::audit_events
        .filter(a::company_id.eq(company_id))
        .into_boxed();
    if let Some(v) = &filter.entity_type {
        q = q.filter(a::entity_type.eq(v.clone()));
    }
    if let Some(v) = &filter.entity_id {
        q = q.filter(a::entity_id.eq(v.clone()));
    }
    if let Some(v) = &filter.actor_id {
        q = q.filter(a::actor_id.eq(v.clone()));
    }
    if let Some(v) = &filter.action {
        q = q.filter(a::action.eq(v.clone()));
    }
    if let Some(v) = filter.from.or(page.updated_since) {
        q = q.filter(a::occurred_at.ge(v));
    }
    if let Some(v) = filter.to {
        q = q.filter(a::occurred_at.lt(v));
    }
    if let Some(after) = &page.after {
        q = q.filter(a::id.gt(after.clone()));
    }
    q.order(a::id.asc())
        .limit(page.fetch_limit())
        .select(AuditEvent::as_select())
        .load(conn)
}
