//! Bulk writes, all or nothing: every record goes through the same rule as a single create,
//! inside one transaction; when any record is refused, nothing is kept and each refused record
//! is named by its index and field (`items[3].sku`).

use serde::Deserialize;
use utoipa::IntoParams;

use crate::db::{write_tx, DbConnection};
use crate::error::{AppError, FieldError};

/// The query of every bulk write and CSV import.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DryRun {
    /// Check every record and answer as the real request would (200 instead of 201), then
    /// keep nothing: a dry run. Ids in the answer are not stored.
    #[serde(default)]
    pub dry_run: bool,
}

/// Runs `work`; in a dry run, inside a transaction that is rolled back whatever `work`
/// answers, so nothing it wrote is kept (audit entries and webhook events included).
pub fn maybe_dry<T>(
    conn: &mut DbConnection,
    dry: DryRun,
    work: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    if !dry.dry_run {
        return work(conn);
    }
    let mut answer = None;
    let rolled = write_tx(conn, |conn| {
        answer = Some(work(conn));
        Err::<(), _>(AppError::conflict("dry_run", "rolled back"))
    });
    match (answer, rolled) {
        (
            Some(answer),
            Err(AppError::Conflict {
                code: "dry_run", ..
            }),
        ) => answer,
        (_, Err(e)) => Err(e),
        (_, Ok(())) => unreachable!("a dry run always rolls back"),
    }
}

/// The most records one bulk request takes.
pub const MAX_RECORDS: usize = 1000;

/// Runs `create` for each of `records` (the request field `field`) in one transaction. A
/// record's own errors (invalid fields, conflicts, missing references) are collected for every
/// record and returned together as one 422; anything else (a missing permission, the database)
/// ends the batch at once.
pub fn all_or_nothing<R, T>(
    conn: &mut DbConnection,
    field: &str,
    records: Vec<R>,
    create: impl FnMut(&mut DbConnection, R) -> Result<T, AppError>,
) -> Result<Vec<T>, AppError> {
    if records.is_empty() || records.len() > MAX_RECORDS {
        return Err(AppError::field(
            field,
            format!("must hold 1 to {MAX_RECORDS} records"),
        ));
    }
    each_or_none(conn, records, create, |i, e| {
        record_errors(&format!("{field}[{i}]"), e)
    })
}

/// The loop under every bulk write and import: `apply` for each record in its own savepoint
/// inside one transaction, so a refused record leaves no trace and the next runs on. `refusal`
/// turns record `i`'s error into the fields to report, or gives it back to end at once. When
/// any record was refused, the transaction rolls back and the fields of all come as one 422.
pub fn each_or_none<R, T>(
    conn: &mut DbConnection,
    records: impl IntoIterator<Item = R>,
    mut apply: impl FnMut(&mut DbConnection, R) -> Result<T, AppError>,
    mut refusal: impl FnMut(usize, AppError) -> Result<Vec<FieldError>, AppError>,
) -> Result<Vec<T>, AppError> {
    write_tx(conn, |conn| {
        let mut done = Vec::new();
        let mut refused: Vec<FieldError> = Vec::new();
        for (i, record) in records.into_iter().enumerate() {
            match write_tx(conn, |conn| apply(conn, record)) {
                Ok(t) => done.push(t),
                Err(e) => refused.extend(refusal(i, e)?),
            }
        }
        if refused.is_empty() {
            Ok(done)
        } else {
            Err(AppError::Validation(refused))
        }
    })
}

/// A refused record's errors under its index, or the error itself when it is not the
/// record's fault.
fn record_errors(at: &str, e: AppError) -> Result<Vec<FieldError>, AppError> {
    Ok(match e.under(at) {
        AppError::Validation(errors) => errors,
        AppError::Conflict { detail, .. } | AppError::Unprocessable { detail, .. } => {
            vec![FieldError::new(at, detail)]
        }
        AppError::NotFound(what) => vec![FieldError::new(at, format!("{what} not found"))],
        other => return Err(other),
    })
}
