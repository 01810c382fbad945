//! The one transaction helper for writes.

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::result::Error as DieselError;
use diesel::Connection;

use super::DbConnection;
use crate::error::AppError;

/// Runs `work` in a write transaction and commits it when `work` returns `Ok`.
///
/// On SQLite the transaction begins `IMMEDIATE`, so concurrent writers queue on the busy
/// timeout instead of failing when a reader upgrades to a writer. PostgreSQL runs at READ
/// COMMITTED: races on balances are settled by guarded updates (`... WHERE qty >= $1`), which
/// never raise serialization failures. Called inside another transaction it is a savepoint.
pub fn write_tx<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<DieselError>,
{
    let sqlite_outermost = match conn {
        DbConnection::Sqlite(inner) => !in_transaction(inner),
        DbConnection::Postgresql(_) => false,
    };
    if !sqlite_outermost {
        return conn.transaction(work);
    }
    if let DbConnection::Sqlite(inner) = conn {
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    }
    let result = work(conn);
    if let DbConnection::Sqlite(inner) = conn {
        match &result {
            Ok(_) => {
                if let Err(e) = AnsiTransactionManager::commit_transaction(inner) {
                    // A failed COMMIT leaves the transaction open; close it before reporting.
                    let _ = AnsiTransactionManager::rollback_transaction(inner);
                    return Err(e.into());
                }
            }
            Err(_) => AnsiTransactionManager::rollback_transaction(inner)?,
        }
    }
    result
}

fn in_transaction(conn: &mut diesel::sqlite::SqliteConnection) -> bool {
    AnsiTransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map(|d| d.is_some())
        .unwrap_or(true)
}

/// Runs `work` in a write transaction like [`write_tx`], and runs it again, in a fresh
/// transaction, when it lost a race: it returned [`AppError::Contended`] because a row it
/// claimed was changed by a transaction that committed meanwhile. The retry reads the
/// committed state, so the loser of a race gets the answer that state calls for (a 409 with
/// the current state, or a success on what is left) instead of a spurious conflict.
pub fn write_tx_retrying<T>(
    conn: &mut DbConnection,
    mut work: impl FnMut(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    const ATTEMPTS: usize = 8;
    for _ in 1..ATTEMPTS {
        match write_tx(conn, &mut work) {
            Err(AppError::Contended) => continue,
            other => return other,
        }
    }
    write_tx(conn, work)
}
