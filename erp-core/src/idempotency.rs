//! Stored responses for `Idempotency-Key`: a repeated POST with the same key and body gets the
//! first response; the same key with another body gets 422. The gateway middleware uses this.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::idempotency_records as ir;
use crate::db::{now, DbConnection};

/// How long a key is remembered.
pub const RETENTION_HOURS: i64 = 24;
/// A claimed key whose request never finished (the process died) may be claimed again after this.
pub const ABANDON_AFTER_SECS: i64 = 120;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ir)]
pub struct IdempotencyRecord {
    pub principal: String,
    pub idem_key: String,
    pub request_hash: String,
    pub status_code: Option<i32>,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub etag: Option<String>,
    pub response_body: Option<Vec<u8>>,
    pub created_at: NaiveDateTime,
}

pub enum Claim {
    /// The key is ours: run the request, then [`complete`] or [`release`].
    Claimed,
    /// The same request was answered before: replay this.
    Replay(IdempotencyRecord),
    /// The key was used with another request.
    Mismatch,
    /// The same request is being served right now.
    InProgress,
}

/// Claims `key` for a request whose method, path and body hash to `request_hash`.
pub fn claim(
    conn: &mut DbConnection,
    principal: &str,
    key: &str,
    request_hash: &str,
) -> QueryResult<Claim> {
    let at = now();
    crate::db::write_tx(conn, |conn| {
        diesel::delete(
            ir::table.filter(ir::created_at.lt(at - chrono::Duration::hours(RETENTION_HOURS))),
        )
        .execute(conn)?;
        let existing = ir::table
            .find((principal, key))
            .select(IdempotencyRecord::as_select())
            .first(conn)
            .optional()?;
        match existing {
            Some(r) if r.request_hash != request_hash => Ok(Claim::Mismatch),
            Some(r) if r.status_code.is_some() => Ok(Claim::Replay(r)),
            Some(r) if r.created_at > at - chrono::Duration::seconds(ABANDON_AFTER_SECS) => {
                Ok(Claim::InProgress)
            }
            Some(_) => {
                diesel::update(ir::table.find((principal, key)))
                    .set(ir::created_at.eq(at))
                    .execute(conn)?;
                Ok(Claim::Claimed)
            }
            None => {
                diesel::insert_into(ir::table)
                    .values(IdempotencyRecord {
                        principal: principal.to_string(),
                        idem_key: key.to_string(),
                        request_hash: request_hash.to_string(),
                        status_code: None,
                        content_type: None,
                        location: None,
                        etag: None,
                        response_body: None,
                        created_at: at,
                    })
                    .execute(conn)?;
                Ok(Claim::Claimed)
            }
        }
    })
}

pub struct StoredResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub etag: Option<String>,
    pub body: Vec<u8>,
}

pub fn complete(
    conn: &mut DbConnection,
    principal: &str,
    key: &str,
    r: StoredResponse,
) -> QueryResult<()> {
    diesel::update(ir::table.find((principal, key)))
        .set((
            ir::status_code.eq(Some(i32::from(r.status))),
            ir::content_type.eq(r.content_type),
            ir::location.eq(r.location),
            ir::etag.eq(r.etag),
            ir::response_body.eq(Some(r.body)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Forgets a claim whose request failed on the server's side, so it may be retried.
pub fn release(conn: &mut DbConnection, principal: &str, key: &str) -> QueryResult<()> {
    diesel::delete(ir::table.find((principal, key)))
        .execute(conn)
        .map(|_| ())
}
