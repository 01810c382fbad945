use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::refresh_tokens as rt;
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = rt)]
pub struct RefreshToken {
    pub id: String,
    pub user_id: String,
    pub token_hash: String,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// The login session: the first token's id, kept by every rotation.
    pub session_id: String,
}

pub fn insert(conn: &mut DbConnection, token: &RefreshToken) -> QueryResult<()> {
    diesel::insert_into(rt::table)
        .values(token)
        .execute(conn)
        .map(|_| ())
}

pub fn find_by_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<RefreshToken>> {
    rt::table
        .filter(rt::token_hash.eq(hash))
        .select(RefreshToken::as_select())
        .first(conn)
        .optional()
}

/// Revokes one token if it is still live; true when this call revoked it. Two concurrent
/// refreshes with the same token: exactly one wins.
pub fn revoke_if_live(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(rt::table.find(id).filter(rt::revoked_at.is_null()))
        .set(rt::revoked_at.eq(Some(at)))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn revoke_all_for_user(
    conn: &mut DbConnection,
    user_id: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        rt::table
            .filter(rt::user_id.eq(user_id))
            .filter(rt::revoked_at.is_null()),
    )
    .set(rt::revoked_at.eq(Some(at)))
    .execute(conn)
    .map(|_| ())
}

/// Until when the login session goes on: the latest expiry of its refresh tokens that are
/// not revoked, or `None` when it has ended. Access tokens of an ended session are refused.
pub fn session_live_until(
    conn: &mut DbConnection,
    session_id: &str,
    user_id: &str,
    at: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    rt::table
        .filter(rt::session_id.eq(session_id))
        .filter(rt::user_id.eq(user_id))
        .filter(rt::revoked_at.is_null())
        .filter(rt::expires_at.gt(at))
        .select(diesel::dsl::max(rt::expires_at))
        .first(conn)
}
