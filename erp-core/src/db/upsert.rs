//! The portable upsert: UPDATE; if no row changed, INSERT inside a savepoint; if a
//! concurrent transaction inserted the same key first, UPDATE again. The savepoint matters on
//! PostgreSQL, where a failed statement would otherwise abort the whole transaction.

use diesel::result::{DatabaseErrorKind, Error as DieselError, QueryResult};
use diesel::Connection;

use super::DbConnection;

/// Which path [`update_or_insert`] took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Updated,
    Inserted,
}

/// Runs `update` (which returns the number of rows changed); when it changed none, runs
/// `insert`, falling back to `update` if the row appeared meanwhile.
pub fn update_or_insert(
    conn: &mut DbConnection,
    mut update: impl FnMut(&mut DbConnection) -> QueryResult<usize>,
    insert: impl FnOnce(&mut DbConnection) -> QueryResult<usize>,
) -> QueryResult<Upserted> {
    if update(conn)? > 0 {
        return Ok(Upserted::Updated);
    }
    match conn.transaction(insert) {
        Ok(_) => Ok(Upserted::Inserted),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            update(conn)?;
            Ok(Upserted::Updated)
        }
        Err(e) => Err(e),
    }
}
