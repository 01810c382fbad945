//! The r2d2 pool and its connection manager, which picks the backend from the URL scheme.

use std::future::Future;
use std::rc::Rc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;

use super::request_tx::{self, RequestScope, RequestTx};
use super::DbConnection;
use crate::error::AppError;

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// A parsed database URL: `postgres://...` or `postgresql://...` for PostgreSQL;
/// `sqlite://path`, `sqlite:path` or a plain file path for SQLite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Postgres(String),
    Sqlite(String),
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<DbUrl, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err("the database URL is empty".into());
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbUrl::Postgres(url.to_string()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() || path == ":memory:" {
            return Err(
                "an in-memory SQLite database cannot be shared by the pool; give a file path"
                    .into(),
            );
        }
        if path.contains("://") {
            return Err(format!(
                "unsupported database URL scheme in '{url}': use postgres://... or sqlite://path"
            ));
        }
        Ok(DbUrl::Sqlite(path.to_string()))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbUrl::Postgres(_) => Backend::Postgres,
            DbUrl::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Per-connection SQLite settings. WAL itself is persistent and set once in [`Db::connect`].
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 30000;
PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;";

#[derive(Debug)]
pub struct ConnectionManager {
    url: DbUrl,
}

#[derive(Debug, thiserror::Error)]
pub enum ManagerError {
    #[error(transparent)]
    Connection(#[from] diesel::ConnectionError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// A connection that was in use this recently is handed out again without a test query;
/// one idle for longer is tested first (the database may have restarted meanwhile). Testing
/// every checkout would add a round trip to every request.
const TRUST_RECENT_USE: Duration = Duration::from_secs(2);

/// A pooled connection and when it was last given back.
pub struct PoolConnection {
    conn: DbConnection,
    returned_at: Instant,
}

impl std::ops::Deref for PoolConnection {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for PoolConnection {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

/// A connection taken from the pool, given back when dropped.
pub struct Checkout(r2d2::PooledConnection<ConnectionManager>);

impl std::ops::Deref for Checkout {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.0.conn
    }
}

impl std::ops::DerefMut for Checkout {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.0.conn
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = PoolConnection;
    type Error = ManagerError;

    fn connect(&self) -> Result<PoolConnection, ManagerError> {
        let conn = match &self.url {
            DbUrl::Postgres(url) => DbConnection::Postgresql(PgConnection::establish(url)?),
            DbUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path)?;
                conn.batch_execute(SQLITE_PRAGMAS)?;
                DbConnection::Sqlite(conn)
            }
        };
        Ok(PoolConnection {
            conn,
            returned_at: Instant::now(),
        })
    }

    fn is_valid(&self, conn: &mut PoolConnection) -> Result<(), ManagerError> {
        if conn.returned_at.elapsed() > TRUST_RECENT_USE {
            conn.conn.batch_execute("SELECT 1")?;
        }
        Ok(())
    }

    /// Called when a connection is given back. One given back with a transaction still open
    /// (a request abandoned half-way) is closed rather than handed to the next request.
    fn has_broken(&self, conn: &mut PoolConnection) -> bool {
        conn.returned_at = Instant::now();
        super::request_tx::in_transaction(&mut conn.conn)
    }
}

/// Pool sizing. SQLite serialises writers anyway, so a handful of connections serve many
/// readers; PostgreSQL wants a few connections per core.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    pub connect_timeout: Duration,
}

impl PoolOptions {
    pub fn for_backend(backend: Backend) -> PoolOptions {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
        let max_size = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => (cores * 4).clamp(4, 32),
        };
        PoolOptions {
            max_size,
            connect_timeout: Duration::from_secs(30),
        }
    }
}

/// The shared handle to the database: clone it freely.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<ConnectionManager>,
}

impl Db {
    /// Opens the pool. For SQLite, creates the parent folder and switches the file to WAL.
    pub fn connect(url: &DbUrl, options: &PoolOptions) -> Result<Db, String> {
        if let DbUrl::Sqlite(path) = url {
            if let Some(parent) = std::path::Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        format!("cannot create the data folder {}: {e}", parent.display())
                    })?;
                }
            }
            let mut conn = SqliteConnection::establish(path)
                .map_err(|e| format!("cannot open the SQLite database {path}: {e}"))?;
            conn.batch_execute("PRAGMA journal_mode = WAL;")
                .map_err(|e| format!("cannot switch {path} to WAL: {e}"))?;
        }
        let manager = ConnectionManager { url: url.clone() };
        let pool = r2d2::Pool::builder()
            .max_size(options.max_size)
            .connection_timeout(options.connect_timeout)
            .build(manager)
            .map_err(|e| format!("cannot connect to the database: {e}"))?;
        Ok(Db { pool })
    }

    /// A pooled connection for synchronous code (start-up, CLI, tests).
    pub fn get(&self) -> Result<Checkout, AppError> {
        self.pool
            .get()
            .map(Checkout)
            .map_err(|e| AppError::Unavailable(e.to_string()))
    }

    /// Runs blocking database work on actix's blocking thread pool, never on the event loop.
    /// Inside a request transaction (see [`super::request_tx`]) the work runs on that
    /// transaction's connection.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let tx = request_tx::current();
        actix_web::web::block(move || match tx {
            Some(tx) => tx.with(work),
            None => {
                let mut conn = pool
                    .get()
                    .map_err(|e| AppError::Unavailable(e.to_string()))?;
                work(&mut conn)
            }
        })
        .await
        .map_err(|e| AppError::Internal(format!("blocking task failed: {e}")))?
    }

    /// Opens a transaction for the rest of the request and runs `first` in it. The request
    /// runs inside it with [`request_tx::within`]; [`Db::end_request`] ends it.
    pub async fn begin_request<T, F>(&self, first: F) -> Result<(Rc<RequestScope>, T), AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let (tx, out) = actix_web::web::block(move || {
            let conn = pool
                .get()
                .map_err(|e| AppError::Unavailable(e.to_string()))?;
            let tx = RequestTx::open(conn)?;
            // On an error the transaction is dropped, which rolls it back.
            let out = tx.with(first)?;
            Ok::<_, AppError>((tx, out))
        })
        .await
        .map_err(|e| AppError::Internal(format!("blocking task failed: {e}")))??;
        Ok((Rc::new(RequestScope::new(tx)), out))
    }

    /// Ends a request transaction: with `keep`, runs `last` in it and commits, then starts the
    /// jobs that waited for the commit; otherwise rolls everything back and drops the jobs.
    pub async fn end_request<F>(
        &self,
        scope: Rc<RequestScope>,
        keep: bool,
        last: F,
    ) -> Result<(), AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<(), AppError> + Send + 'static,
    {
        let tx = scope.tx.clone();
        let jobs = scope.take_jobs();
        drop(scope);
        actix_web::web::block(move || {
            if !keep {
                return tx.finish(false);
            }
            match tx.with(last) {
                Ok(()) => tx.finish(true),
                Err(e) => {
                    let _ = tx.finish(false);
                    Err(e)
                }
            }
        })
        .await
        .map_err(|e| AppError::Internal(format!("blocking task failed: {e}")))??;
        if keep {
            for job in jobs {
                actix_web::rt::spawn(job);
            }
        }
        Ok(())
    }

    /// Starts `job` once the writes of the current request are committed: at once outside a
    /// request transaction, after its commit inside one, never if it rolls back.
    pub fn spawn_after_commit(&self, job: impl Future<Output = ()> + 'static) {
        if let Err(job) = request_tx::defer(Box::pin(job)) {
            actix_web::rt::spawn(job);
        }
    }

    /// Connections in use and idle, for /metrics.
    pub fn state(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections - s.idle_connections, s.idle_connections)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_scheme_picks_the_backend() {
        assert_eq!(
            DbUrl::parse("postgres://u@h/db").unwrap().backend(),
            Backend::Postgres
        );
        assert_eq!(
            DbUrl::parse("sqlite://data/erp.db").unwrap(),
            DbUrl::Sqlite("data/erp.db".into())
        );
        assert_eq!(
            DbUrl::parse("./erp.db").unwrap(),
            DbUrl::Sqlite("./erp.db".into())
        );
        assert!(DbUrl::parse("mysql://x").is_err());
        assert!(DbUrl::parse(":memory:").is_err());
        assert!(DbUrl::parse("").is_err());
    }
}
