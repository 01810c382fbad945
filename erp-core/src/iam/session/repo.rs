use crate::ids::UserId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{
    login_known_addresses as known, login_throttle as lt, refresh_tokens as rt,
};
use crate::db::{update_or_insert, DbConnection};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = rt)]
pub struct RefreshToken {
    pub id: String,
    pub user_id: UserId,
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
    user_id: UserId,
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
    user_id: UserId,
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

/// Whether the user has logged in from this address before.
pub fn is_known_address(
    conn: &mut DbConnection,
    user_id: UserId,
    address: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(known::table.find((user_id, address)))).get_result(conn)
}

/// The latest end of a lock still holding at `at` among these throttle keys.
pub fn latest_lock(
    conn: &mut DbConnection,
    keys: &[String],
    at: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    lt::table
        .filter(lt::throttle_key.eq_any(keys))
        .filter(lt::locked_until.gt(at))
        .select(diesel::dsl::max(lt::locked_until))
        .first(conn)
}

/// A throttle key's failures and when it last changed.
pub fn throttle_of(
    conn: &mut DbConnection,
    key: &str,
) -> QueryResult<Option<(i32, NaiveDateTime)>> {
    lt::table
        .find(key)
        .select((lt::failures, lt::updated_at))
        .first(conn)
        .optional()
}

/// Stores a throttle key's failures and lock.
pub fn save_throttle(
    conn: &mut DbConnection,
    key: &str,
    failures: i32,
    locked_until: Option<NaiveDateTime>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    update_or_insert(
        conn,
        |c| {
            diesel::update(lt::table.find(key))
                .set((
                    lt::failures.eq(failures),
                    lt::locked_until.eq(locked_until),
                    lt::updated_at.eq(at),
                ))
                .execute(c)
        },
        |c| {
            diesel::insert_into(lt::table)
                .values((
                    lt::throttle_key.eq(key),
                    lt::failures.eq(failures),
                    lt::locked_until.eq(locked_until),
                    lt::updated_at.eq(at),
                ))
                .execute(c)
        },
    )
    .map(|_| ())
}

pub fn clear_throttles(conn: &mut DbConnection, keys: &[String]) -> QueryResult<()> {
    diesel::delete(lt::table.filter(lt::throttle_key.eq_any(keys)))
        .execute(conn)
        .map(|_| ())
}

/// Forgets the account's failures, from every address.
pub fn clear_account_throttles(conn: &mut DbConnection, user_id: UserId) -> QueryResult<()> {
    diesel::delete(
        lt::table.filter(
            lt::throttle_key
                .eq(format!("acct:{user_id}"))
                .or(lt::throttle_key.like(format!("acct:{user_id}|%"))),
        ),
    )
    .execute(conn)
    .map(|_| ())
}

/// Notes a successful login from an address.
pub fn remember_address(
    conn: &mut DbConnection,
    user_id: UserId,
    address: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    update_or_insert(
        conn,
        |c| {
            diesel::update(known::table.find((user_id, address)))
                .set(known::last_success_at.eq(at))
                .execute(c)
        },
        |c| {
            diesel::insert_into(known::table)
                .values((
                    known::user_id.eq(user_id),
                    known::address.eq(address),
                    known::last_success_at.eq(at),
                ))
                .execute(c)
        },
    )
    .map(|_| ())
}
