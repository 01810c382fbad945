//! Bulk writes, all or nothing: every record goes through the same rule as a single create,
//! inside one transaction; when any record is refused, nothing is kept and each refused record
//! is named by its index and field (`items[3].sku`).

use crate::db::{write_tx, DbConnection};
use crate::error::{AppError, FieldError};

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
    mut create: impl FnMut(&mut DbConnection, R) -> Result<T, AppError>,
) -> Result<Vec<T>, AppError> {
    if records.is_empty() || records.len() > MAX_RECORDS {
        return Err(AppError::field(
            field,
            format!("must hold 1 to {MAX_RECORDS} records"),
        ));
    }
    write_tx(conn, |conn| {
        let mut created = Vec::with_capacity(records.len());
        let mut refused: Vec<FieldError> = Vec::new();
        for (i, record) in records.into_iter().enumerate() {
            let at = format!("{field}[{i}]");
            // Each record in a savepoint, so a refused one leaves no trace and the next runs on.
            match write_tx(conn, |conn| create(conn, record)) {
                Ok(t) => created.push(t),
                Err(e) => refused.extend(record_errors(&at, e)?),
            }
        }
        if refused.is_empty() {
            Ok(created)
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
