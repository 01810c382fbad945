//! Database access: one connection type over PostgreSQL and SQLite, the pool, the one
//! transaction helper, migrations and start-up settings.

mod bulk;
pub mod entity_id;
pub mod idempotency;
mod migrate;
pub mod numbering;
mod pool;
pub mod request_tx;
pub mod schema;
pub mod settings;
mod text_enum;
mod tx;
mod upsert;

pub use bulk::by_chunks;
pub use migrate::run_migrations;
pub use pool::{Backend, Db, DbUrl, PoolOptions};
pub use tx::{write_tx, write_tx_retrying};
pub use upsert::{update_or_insert, Upserted};

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;

/// A live connection to either backend. Queries written once run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// The current time as both backends store it: UTC, truncated to microseconds
/// (PostgreSQL keeps microseconds, SQLite would keep nanoseconds).
/// Takes a data migration still to do (a row of `pending_data_migrations`, deleted here):
/// true when it was pending, so the caller does it in the same transaction.
pub fn take_pending(conn: &mut DbConnection, name: &str) -> diesel::QueryResult<bool> {
    use diesel::prelude::*;
    use schema::pending_data_migrations as p;
    diesel::delete(p::table.filter(p::name.eq(name)))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn now() -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// A fresh time-ordered id (UUIDv7) as stored in the database.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

diesel::define_sql_function! {
    /// SQL `lower()`, the same on both backends, for case-insensitive search.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// `text` as a `LIKE` pattern (with `ESCAPE` backslash) that matches it literally: its `%`,
/// `_` and backslashes are no wildcards.
pub fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A round trip to the database, for readiness checks.
pub fn ping(conn: &mut DbConnection) -> Result<(), crate::error::AppError> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("SELECT 1").map_err(Into::into)
}

/// The TEXT a snake_case wire enum is stored as (`ItemType::Stocked` -> `stocked`).
pub fn enum_to_db<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The enum a stored TEXT names; anything else is corrupt data.
pub fn enum_from_db<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, crate::error::AppError> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|_| crate::error::AppError::Internal(format!("unexpected stored value '{text}'")))
}

/// A UUID kept as TEXT; anything else is corrupt data.
pub fn uuid_from_db(text: &str) -> Result<uuid::Uuid, crate::error::AppError> {
    uuid::Uuid::parse_str(text)
        .map_err(|_| crate::error::AppError::Internal(format!("malformed id '{text}'")))
}
