//! One database transaction around a whole request, for writes that must happen exactly once.
//!
//! The gateway opens it for a `POST` with `Idempotency-Key`: the key's record, every write the
//! handler makes through [`Db::run`](super::Db::run) and the stored response commit together
//! or not at all. A server killed before the commit leaves nothing behind (the retry runs for
//! the first time); after the commit the retry finds the stored response (and replays it).
//!
//! Inside the scope every `Db::run` of the request uses the one connection, so the services'
//! own `write_tx` calls become savepoints of the request's transaction. Work that must only
//! start once the request's writes are visible to others (a background job reading the row
//! the request inserted) goes through [`Db::spawn_after_commit`](super::Db::spawn_after_commit).

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::result::Error as DieselError;

use super::pool::ConnectionManager;
use super::DbConnection;
use crate::error::AppError;

pub(super) type Pooled = r2d2::PooledConnection<ConnectionManager>;

/// The connection of a request whose transaction is open.
pub struct RequestTx {
    conn: Mutex<Option<Pooled>>,
}

type Job = Pin<Box<dyn Future<Output = ()>>>;

/// What the task serving a request sees while a request transaction is open.
pub struct RequestScope {
    pub(super) tx: Arc<RequestTx>,
    after_commit: RefCell<Vec<Job>>,
}

tokio::task_local! {
    static CURRENT: Rc<RequestScope>;
}

/// Begins a write transaction on `conn`: `IMMEDIATE` on SQLite, so concurrent writers queue
/// instead of failing on lock upgrade, as in [`write_tx`](super::write_tx).
pub(super) fn begin(conn: &mut DbConnection) -> Result<(), DieselError> {
    match conn {
        DbConnection::Sqlite(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")
        }
        DbConnection::Postgresql(inner) => AnsiTransactionManager::begin_transaction(inner),
    }
}

fn commit(conn: &mut DbConnection) -> Result<(), DieselError> {
    let result = match conn {
        DbConnection::Sqlite(inner) => AnsiTransactionManager::commit_transaction(inner),
        DbConnection::Postgresql(inner) => AnsiTransactionManager::commit_transaction(inner),
    };
    if result.is_err() {
        // A failed COMMIT may leave the transaction open; close it before reporting.
        let _ = rollback(conn);
    }
    result
}

fn rollback(conn: &mut DbConnection) -> Result<(), DieselError> {
    match conn {
        DbConnection::Sqlite(inner) => AnsiTransactionManager::rollback_transaction(inner),
        DbConnection::Postgresql(inner) => AnsiTransactionManager::rollback_transaction(inner),
    }
}

/// True while `conn` has a transaction open (or its state is unknown after an error): such a
/// connection must not go back to the pool.
pub(super) fn in_transaction(conn: &mut DbConnection) -> bool {
    let status = match conn {
        DbConnection::Sqlite(inner) => {
            AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()
        }
        DbConnection::Postgresql(inner) => {
            AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()
        }
    };
    !matches!(status, Ok(None))
}

impl RequestTx {
    pub(super) fn open(mut conn: Pooled) -> Result<RequestTx, AppError> {
        begin(&mut conn)?;
        Ok(RequestTx {
            conn: Mutex::new(Some(conn)),
        })
    }

    /// Runs `work` on the request's connection, inside its transaction.
    pub(super) fn with<T>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut guard = self
            .conn
            .lock()
            .map_err(|_| AppError::Internal("request transaction lock poisoned".into()))?;
        let conn = guard
            .as_mut()
            .ok_or_else(|| AppError::Internal("the request transaction has ended".into()))?;
        work(conn)
    }

    /// Commits (or rolls back) and gives the connection back to the pool.
    pub(super) fn finish(&self, keep: bool) -> Result<(), AppError> {
        let mut guard = self
            .conn
            .lock()
            .map_err(|_| AppError::Internal("request transaction lock poisoned".into()))?;
        let Some(mut conn) = guard.take() else {
            return Ok(());
        };
        if keep {
            commit(&mut conn).map_err(AppError::from)
        } else {
            rollback(&mut conn).map_err(AppError::from)
        }
    }
}

impl Drop for RequestTx {
    /// A request abandoned half-way (its client went away, its handler panicked) rolls back.
    fn drop(&mut self) {
        if let Ok(mut guard) = self.conn.lock() {
            if let Some(mut conn) = guard.take() {
                let _ = rollback(&mut conn);
            }
        }
    }
}

impl RequestScope {
    pub(super) fn new(tx: RequestTx) -> RequestScope {
        RequestScope {
            tx: Arc::new(tx),
            after_commit: RefCell::new(Vec::new()),
        }
    }
}

/// The transaction of the request this task serves, if one is open.
pub(super) fn current() -> Option<Arc<RequestTx>> {
    CURRENT.try_with(|s| s.tx.clone()).ok()
}

/// Queues `job` until the request's transaction commits; false outside a request transaction.
pub(super) fn defer(job: Job) -> Result<(), Job> {
    let mut job = Some(job);
    let queued = CURRENT
        .try_with(|s| {
            if let Some(j) = job.take() {
                s.after_commit.borrow_mut().push(j);
            }
        })
        .is_ok();
    match job {
        Some(j) if !queued => Err(j),
        _ => Ok(()),
    }
}

/// Runs `fut` (the rest of the request) inside `scope`; the caller keeps its own handle on
/// the scope to commit or roll back afterwards.
pub async fn within<F: Future>(scope: Rc<RequestScope>, fut: F) -> F::Output {
    CURRENT.scope(scope, fut).await
}

impl RequestScope {
    /// The jobs waiting for the commit, taken out of the scope.
    pub(super) fn take_jobs(&self) -> Vec<Job> {
        std::mem::take(&mut *self.after_commit.borrow_mut())
    }
}
