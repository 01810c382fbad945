//! Stored responses for `Idempotency-Key`: a repeated POST with the same key and body gets the
//! first response; the same key with another body gets 422. The gateway middleware uses this,
//! with the key's record, the request's effect and its response in one transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::idempotency_records as ir;
use crate::db::{now, DbConnection};

/// How long a key is remembered.
pub const RETENTION_HOURS: i64 = 24;

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
    /// The key is ours: run the request in the same transaction, then [`complete`].
    Claimed,
    /// The same request was answered before: replay this.
    Replay(IdempotencyRecord),
    /// The key was used with another request.
    Mismatch,
}

/// Claims `key` for a request whose method, path and body hash to `request_hash`, inside the
/// request's transaction (see [`crate::db::request_tx`]). The record only becomes visible to
/// others when that transaction commits, together with the request's effect and response; a
/// concurrent request with the same key waits for that commit (PostgreSQL: on the key's
/// unique index; SQLite: on the write lock) and then replays what was stored.
pub fn claim(
    conn: &mut DbConnection,
    principal: &str,
    key: &str,
    request_hash: &str,
) -> QueryResult<Claim> {
    let at = now();
    let expired = at - chrono::Duration::hours(RETENTION_HOURS);
    let find = |conn: &mut DbConnection| {
        ir::table
            .find((principal, key))
            .select(IdempotencyRecord::as_select())
            .first(conn)
            .optional()
    };
    let existing = match find(conn)? {
        Some(r) => Some(r),
        None => {
            let record = IdempotencyRecord {
                principal: principal.to_string(),
                idem_key: key.to_string(),
                request_hash: request_hash.to_string(),
                status_code: None,
                content_type: None,
                location: None,
                etag: None,
                response_body: None,
                created_at: at,
            };
            // A savepoint: losing the race for the key leaves the transaction usable.
            let inserted = conn.transaction(|c| {
                diesel::insert_into(ir::table)
                    .values(&record)
                    .execute(c)
                    .map(|_| ())
            });
            match inserted {
                Ok(()) => return Ok(Claim::Claimed),
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => find(conn)?,
                Err(e) => return Err(e),
            }
        }
    };
    match existing {
        // Expired, or left unanswered by an older server that stored claims on their own:
        // the key is free again.
        Some(r) if r.created_at < expired || r.status_code.is_none() => {
            diesel::update(ir::table.find((principal, key)))
                .set((
                    ir::request_hash.eq(request_hash),
                    ir::status_code.eq(None::<i32>),
                    ir::created_at.eq(at),
                ))
                .execute(conn)?;
            Ok(Claim::Claimed)
        }
        Some(r) if r.request_hash != request_hash => Ok(Claim::Mismatch),
        Some(r) => Ok(Claim::Replay(r)),
        None => Ok(Claim::Claimed),
    }
}

/// Forgets keys older than the retention time; run now and then, outside any request.
pub fn purge_expired(conn: &mut DbConnection) -> QueryResult<usize> {
    let cutoff = now() - chrono::Duration::hours(RETENTION_HOURS);
    diesel::delete(ir::table.filter(ir::created_at.lt(cutoff))).execute(conn)
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
