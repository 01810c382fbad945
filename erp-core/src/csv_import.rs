//! CSV imports, one shape for every module: a `text/csv` body read into rows keyed by
//! lower-case header, applied all or nothing in one transaction, and every rejected row
//! reported as `rows[N].column: reason` (N counts data rows from 1).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::DbConnection;
use crate::error::{AppError, FieldError};

/// Largest CSV file a request may send, in rows.
pub const MAX_ROWS: usize = 50_000;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ImportReport {
    /// Rows written (all of them: an import with a rejected row writes nothing).
    pub imported: usize,
}

/// A CSV record as a map from header to value (empty cells are absent).
pub type Row = HashMap<String, String>;

pub fn rows(body: &[u8]) -> Result<Vec<Row>, AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(body);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::BadRequest(format!("the CSV header cannot be read: {e}")))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            AppError::field(format!("rows[{}]", i + 1), format!("cannot be read: {e}"))
        })?;
        let row: Row = headers
            .iter()
            .zip(record.iter())
            .filter(|(_, v)| !v.is_empty())
            .map(|(h, v)| (h.clone(), v.to_string()))
            .collect();
        out.push(row);
        if out.len() > MAX_ROWS {
            return Err(AppError::field(
                "body",
                format!("at most {MAX_ROWS} rows per import"),
            ));
        }
    }
    if out.is_empty() {
        return Err(AppError::field("body", "the file has no rows"));
    }
    Ok(out)
}

pub fn required<'a>(row: &'a Row, col: &str) -> Result<&'a str, AppError> {
    row.get(col)
        .map(String::as_str)
        .ok_or_else(|| AppError::field(col, "is required"))
}

pub fn parsed<T: std::str::FromStr>(row: &Row, col: &str) -> Result<Option<T>, AppError>
where
    T::Err: std::fmt::Display,
{
    row.get(col)
        .map(|v| {
            v.parse::<T>()
                .map_err(|e| AppError::field(col, format!("'{v}' {e}")))
        })
        .transpose()
}

pub fn enum_cell<T: serde::de::DeserializeOwned>(
    row: &Row,
    col: &str,
) -> Result<Option<T>, AppError> {
    row.get(col)
        .map(|v| {
            serde_json::from_value(serde_json::Value::String(v.to_lowercase()))
                .map_err(|_| AppError::field(col, format!("'{v}' is not a valid value")))
        })
        .transpose()
}

/// Runs `apply` for every row in one transaction; any rejected row rolls everything back
/// and is reported as `rows[N].column: reason` (N counts data rows from 1).
pub fn import_all(
    conn: &mut DbConnection,
    body: &[u8],
    mut apply: impl FnMut(&mut DbConnection, &Row) -> Result<(), AppError>,
) -> Result<ImportReport, AppError> {
    let rows = rows(body)?;
    let done = crate::batch::each_or_none(
        conn,
        rows.iter(),
        |conn, row| apply(conn, row),
        |i, e| {
            let prefix = format!("rows[{}]", i + 1);
            Ok(match e.under(&prefix) {
                AppError::Validation(errors) => errors,
                e @ (AppError::Internal(_) | AppError::Unavailable(_)) => return Err(e),
                other => vec![FieldError::new(prefix, other.to_string())],
            })
        },
    )?;
    Ok(ImportReport {
        imported: done.len(),
    })
}

/// Refuses a file with a column the import does not know (a misspelt column would otherwise
/// be ignored silently), naming it.
pub fn check_columns(body: &[u8], known: &[&str]) -> Result<(), AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(body);
    let headers = reader
        .headers()
        .map_err(|e| AppError::BadRequest(format!("the CSV header cannot be read: {e}")))?;
    let unknown: Vec<FieldError> = headers
        .iter()
        .filter(|h| !known.contains(&h.to_ascii_lowercase().as_str()))
        .map(|h| {
            FieldError::new(
                format!("columns.{h}"),
                format!(
                    "is not a column of this import (known: {})",
                    known.join(", ")
                ),
            )
        })
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(unknown))
    }
}
