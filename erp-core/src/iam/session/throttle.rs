//! Password guessing, slowed down. Consecutive failed logins are counted on three keys, and
//! each key locks for a time that doubles with every failure past its allowance (1 minute,
//! 2, 4, ... at most 15 minutes), answering 429 with `Retry-After` until it ends:
//!
//! - the account from one address: 5 failures;
//! - one address, whatever the accounts (password spraying): 20 failures;
//! - the account, from any address (a guesser with many addresses): 20 failures. This lock
//!   does not apply at addresses the account has logged in from before, so nobody can lock an
//!   administrator out of their own desk by guessing from elsewhere.
//!
//! A lock is never extended by attempts made while it holds, the password is not even checked
//! then, and failures older than an hour are forgotten. A successful login clears the
//! account's counters; an administrator can clear them at once (`POST /iam/users/{id}/unlock`).
//! See `docs/security.md`.

use crate::ids::UserId;
use chrono::{Duration, NaiveDateTime};

use super::repo;
use crate::db::{now, DbConnection};
use crate::error::AppError;

const ACCOUNT_AT_ADDRESS_ALLOWANCE: i32 = 5;
const ADDRESS_ALLOWANCE: i32 = 20;
const ACCOUNT_ALLOWANCE: i32 = 20;
const FIRST_LOCK_SECS: i64 = 60;
const LONGEST_LOCK_SECS: i64 = 15 * 60;
const FORGET_AFTER_SECS: i64 = 60 * 60;

/// One counted key and its allowance.
struct Key {
    key: String,
    allowance: i32,
}

fn keys(
    conn: &mut DbConnection,
    user_id: Option<UserId>,
    address: &str,
) -> Result<Vec<Key>, AppError> {
    let mut out = vec![Key {
        key: format!("addr:{address}"),
        allowance: ADDRESS_ALLOWANCE,
    }];
    if let Some(user) = user_id {
        out.push(Key {
            key: format!("acct:{user}|{address}"),
            allowance: ACCOUNT_AT_ADDRESS_ALLOWANCE,
        });
        if !repo::is_known_address(conn, user, address)? {
            out.push(Key {
                key: format!("acct:{user}"),
                allowance: ACCOUNT_ALLOWANCE,
            });
        }
    }
    Ok(out)
}

/// The lock a key earns with `failures` consecutive failures.
fn lock_secs(failures: i32, allowance: i32) -> Option<i64> {
    let past = failures - allowance;
    (past >= 0).then(|| (FIRST_LOCK_SECS << past.min(10)).min(LONGEST_LOCK_SECS))
}

fn too_many(until: NaiveDateTime, at: NaiveDateTime) -> AppError {
    let secs = (until - at).num_seconds().max(1) as u64;
    AppError::TooManyRequests {
        code: "too_many_login_attempts",
        detail: format!("too many failed logins; try again in {secs} seconds"),
        retry_after: secs,
    }
}

/// Refuses (429) while any key of this attempt is locked; called before the password is
/// checked, so a locked attempt costs no hashing.
pub fn check(
    conn: &mut DbConnection,
    user_id: Option<UserId>,
    address: &str,
) -> Result<(), AppError> {
    let at = now();
    let names: Vec<String> = keys(conn, user_id, address)?
        .into_iter()
        .map(|k| k.key)
        .collect();
    match repo::latest_lock(conn, &names, at)? {
        Some(until) => Err(too_many(until, at)),
        None => Ok(()),
    }
}

/// Counts a failed login; returns the lock it started on the account, if any, for the audit.
pub fn record_failure(
    conn: &mut DbConnection,
    user_id: Option<UserId>,
    address: &str,
) -> Result<Option<i64>, AppError> {
    let at = now();
    let mut account_lock = None;
    for k in keys(conn, user_id, address)? {
        let failures = match repo::throttle_of(conn, &k.key)? {
            Some((n, last)) if at - last < Duration::seconds(FORGET_AFTER_SECS) => n + 1,
            _ => 1,
        };
        let locked_until = lock_secs(failures, k.allowance).map(|s| at + Duration::seconds(s));
        if locked_until.is_some() && k.key.starts_with("acct:") {
            account_lock = lock_secs(failures, k.allowance).max(account_lock);
        }
        repo::save_throttle(conn, &k.key, failures, locked_until, at)?;
    }
    Ok(account_lock)
}

/// A successful login: the account's failures are forgotten and the address is known. The
/// address's own count stays, so logging in to one's own account does not reset spraying.
pub fn record_success(
    conn: &mut DbConnection,
    user_id: UserId,
    address: &str,
) -> Result<(), AppError> {
    repo::clear_throttles(
        conn,
        &[
            format!("acct:{user_id}"),
            format!("acct:{user_id}|{address}"),
        ],
    )?;
    repo::remember_address(conn, user_id, address, now())?;
    Ok(())
}

/// Clears every lock and failure of the account, from every address.
pub fn unlock(conn: &mut DbConnection, user_id: UserId) -> Result<(), AppError> {
    Ok(repo::clear_account_throttles(conn, user_id)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_double_from_the_allowance_up_to_fifteen_minutes() {
        assert_eq!(lock_secs(4, 5), None);
        assert_eq!(lock_secs(5, 5), Some(60));
        assert_eq!(lock_secs(6, 5), Some(120));
        assert_eq!(lock_secs(8, 5), Some(480));
        assert_eq!(lock_secs(9, 5), Some(900));
        assert_eq!(lock_secs(80, 5), Some(900));
    }
}
