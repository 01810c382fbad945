use serde::Serialize;

use super::dto::{AuditEventPage, AuditEventResponse, AuditListQuery};
use super::model::AuditEvent;
use super::repo::{self, AuditFilter};
use crate::auth::Actor;
use crate::db::{new_id, now, DbConnection};
use crate::error::{AppError, Validator};
use crate::pagination::ListParams;

/// What happened to an entity.
pub enum Change<'a, T: Serialize> {
    Created(&'a T),
    Updated {
        before: &'a T,
        after: &'a T,
    },
    Deleted(&'a T),
    /// A named action (`disable`, `password_reset`, `login`) with the state after it.
    Action(&'static str, Option<&'a T>),
}

impl<'a, T: Serialize> Change<'a, T> {
    /// A save that replaced `before` if there was one, else created the entity.
    pub fn saved(before: Option<&'a T>, after: &'a T) -> Self {
        match before {
            Some(before) => Change::Updated { before, after },
            None => Change::Created(after),
        }
    }
}

/// Records an update: the entity as it was and as it is now.
pub fn updated<T: Serialize>(
    conn: &mut DbConnection,
    actor: &Actor,
    entity_type: &str,
    entity_id: impl std::fmt::Display,
    before: &T,
    after: &T,
) -> Result<(), AppError> {
    record(
        conn,
        actor,
        entity_type,
        entity_id,
        Change::Updated { before, after },
    )
}

/// Writes one audit event. Call it inside the transaction of the change it records;
/// pass wire DTOs (never rows), so secrets such as password hashes stay out of the trail.
pub fn record<T: Serialize>(
    conn: &mut DbConnection,
    actor: &Actor,
    entity_type: &str,
    entity_id: impl std::fmt::Display,
    change: Change<'_, T>,
) -> Result<(), AppError> {
    let json = |v: &T| serde_json::to_string(v).map_err(|e| AppError::Internal(e.to_string()));
    let (action, before, after) = match change {
        Change::Created(v) => ("create", None, Some(json(v)?)),
        Change::Updated { before, after } => ("update", Some(json(before)?), Some(json(after)?)),
        Change::Deleted(v) => ("delete", Some(json(v)?), None),
        Change::Action(name, v) => (name, None, v.map(json).transpose()?),
    };
    repo::insert(
        conn,
        &AuditEvent {
            id: new_id(),
            company_id: Some(actor.company_id.to_db()),
            occurred_at: now(),
            actor_id: Some(actor.user_id.to_db()),
            actor_name: Some(actor.username.clone()),
            entity_type: entity_type.to_string(),
            entity_id: entity_id.to_string(),
            action: action.to_string(),
            before_data: before,
            after_data: after,
            request_id: actor.request_id.clone(),
        },
    )?;
    Ok(())
}

/// Records the creation of many records of one kind in one statement (a batch of payments).
pub fn record_created<I: std::fmt::Display, T: Serialize>(
    conn: &mut DbConnection,
    actor: &Actor,
    entity_type: &str,
    created: &[(I, T)],
) -> Result<(), AppError> {
    let at = now();
    let events = created
        .iter()
        .map(|(id, v)| {
            Ok(AuditEvent {
                id: new_id(),
                company_id: Some(actor.company_id.to_db()),
                occurred_at: at,
                actor_id: Some(actor.user_id.to_db()),
                actor_name: Some(actor.username.clone()),
                entity_type: entity_type.to_string(),
                entity_id: id.to_string(),
                action: "create".to_string(),
                before_data: None,
                after_data: Some(
                    serde_json::to_string(v).map_err(|e| AppError::Internal(e.to_string()))?,
                ),
                request_id: actor.request_id.clone(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    repo::insert_many(conn, &events)?;
    Ok(())
}

pub fn list_events(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    query: AuditListQuery,
) -> Result<AuditEventPage, AppError> {
    actor.require("audit.event.read")?;
    let page = params.validate()?;
    let mut v = Validator::new();
    if let (Some(from), Some(to)) = (query.from, query.to) {
        v.check(from < to, "to", "must be after `from`");
    }
    v.finish()?;
    let filter = AuditFilter {
        entity_type: query.entity_type,
        entity_id: query.entity_id,
        actor_id: query.actor_id.map(|u| u.to_db()),
        action: query.action,
        from: query.from.map(|t| t.naive_utc()),
        to: query.to.map(|t| t.naive_utc()),
    };
    let rows = repo::list(conn, &actor.company_id.to_db(), &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |r| &r.id);
    Ok(AuditEventPage {
        items: rows.into_iter().map(AuditEventResponse::from).collect(),
        next_cursor,
    })
}
