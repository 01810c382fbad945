//! Both migration trees, embedded in the binary and applied by matching on the backend.

use diesel::connection::SimpleConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::DbConnection;

const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

/// Arbitrary key of the PostgreSQL advisory lock that serialises migrations when several
/// `erp` processes start at once against one database.
const MIGRATION_LOCK_KEY: i64 = 0x0045_5250_5f4d_4947;

/// Applies pending migrations and returns the names of those applied.
pub fn run_migrations(conn: &mut DbConnection) -> Result<Vec<String>, String> {
    let applied = match conn {
        DbConnection::Postgresql(pg) => {
            pg.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
                .map_err(|e| e.to_string())?;
            let result = pg
                .run_pending_migrations(POSTGRES)
                .map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<_>>())
                .map_err(|e| e.to_string());
            pg.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
                .map_err(|e| e.to_string())?;
            result?
        }
        DbConnection::Sqlite(sqlite) => sqlite
            .run_pending_migrations(SQLITE)
            .map(|v| v.iter().map(|m| m.to_string()).collect())
            .map_err(|e| e.to_string())?,
    };
    Ok(applied)
}
