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

/// Runs `apply` once per record of a file where one record spans several rows (a BOM and its
/// lines, a routing and its operations): rows with the same `key` form one record, in the order
/// each record first appears. `apply` gets the record's rows with their numbers (from 1) and
/// reports its invalid fields already placed on rows ([`on_rows`], [`each_row`]); any other
/// refusal of a record (a conflict, a missing reference) is reported on its first row. All or
/// nothing, as [`import_all`]; the report counts rows.
pub fn import_groups(
    conn: &mut DbConnection,
    body: &[u8],
    key: impl Fn(&Row) -> String,
    mut apply: impl FnMut(&mut DbConnection, &[(usize, &Row)]) -> Result<(), AppError>,
) -> Result<ImportReport, AppError> {
    let rows = rows(body)?;
    let mut groups: Vec<Vec<(usize, &Row)>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let at = *index.entry(key(row)).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push((i + 1, row));
    }
    crate::batch::each_or_none(
        conn,
        groups.iter(),
        |conn, group| apply(conn, group),
        |i, e| {
            let first = format!("rows[{}]", groups[i][0].0);
            Ok(match e {
                AppError::Validation(errors) => errors,
                e @ (AppError::Internal(_) | AppError::Unavailable(_)) => return Err(e),
                AppError::Conflict { detail, .. } | AppError::Unprocessable { detail, .. } => {
                    vec![FieldError::new(first, detail)]
                }
                other => vec![FieldError::new(first, other.to_string())],
            })
        },
    )?;
    Ok(ImportReport {
        imported: rows.len(),
    })
}

/// Places a record's invalid fields on the CSV rows and columns they came from: a field of
/// the record's list `list` (`lines[2].quantity`) on that entry's row, any other field on the
/// record's first row; `columns` renames request fields to the file's columns
/// (`component_id` to `component_sku`). Other errors pass through.
pub fn on_rows(
    e: AppError,
    list: &str,
    rows: &[(usize, &Row)],
    columns: &[(&str, &str)],
) -> AppError {
    let column = |f: &str| -> String {
        let (head, rest) = f.split_once('.').unwrap_or((f, ""));
        let head = columns
            .iter()
            .find(|(from, _)| *from == head)
            .map_or(head, |(_, to)| to);
        if rest.is_empty() {
            head.to_string()
        } else {
            format!("{head}.{rest}")
        }
    };
    let AppError::Validation(errors) = e else {
        return e;
    };
    AppError::Validation(
        errors
            .into_iter()
            .map(|f| {
                let entry = f
                    .field
                    .strip_prefix(list)
                    .and_then(|s| s.strip_prefix('['))
                    .and_then(|s| s.split_once(']'))
                    .and_then(|(n, rest)| Some((n.parse::<usize>().ok()?, rest)));
                let field = match entry {
                    Some((n, rest)) if n < rows.len() => format!(
                        "rows[{}].{}",
                        rows[n].0,
                        column(rest.trim_start_matches('.'))
                    ),
                    _ => format!("rows[{}].{}", rows[0].0, column(&f.field)),
                };
                FieldError::new(field, f.message)
            })
            .collect(),
    )
}

/// Reads every row of a record with `read`, collecting each row's own errors (a cell that
/// does not parse, a code that names nothing) placed on its row; the values when all were good.
pub fn each_row<T>(
    rows: &[(usize, &Row)],
    mut read: impl FnMut(&Row) -> Result<T, AppError>,
) -> Result<Vec<T>, AppError> {
    let mut v = crate::error::Validator::new();
    let mut out = Vec::with_capacity(rows.len());
    for (n, row) in rows {
        out.extend(v.keep(read(row).map_err(|e| e.under(&format!("rows[{n}]"))))?);
    }
    v.finish()?;
    Ok(out)
}

/// The cells of a record that belong to the record, not to one of its rows (a BOM's
/// `output_quantity`): each may be given on any of the record's rows, and where it is given
/// more than once it must be the same; as a row, for [`parsed`] and the like.
pub fn record_cells(rows: &[(usize, &Row)], columns: &[&str]) -> Result<Row, AppError> {
    let mut v = crate::error::Validator::new();
    let mut out = Row::new();
    let mut from: HashMap<&str, usize> = HashMap::new();
    for (n, row) in rows {
        for col in columns {
            let Some(value) = row.get(*col) else { continue };
            match out.get(*col) {
                None => {
                    out.insert(col.to_string(), value.clone());
                    from.insert(col, *n);
                }
                Some(first) if first != value => v.add(
                    format!("rows[{n}].{col}"),
                    format!("'{value}' differs from '{first}' on row {}", from[col]),
                ),
                Some(_) => {}
            }
        }
    }
    v.finish()?;
    Ok(out)
}

/// A CSV file of `columns` and `rows`: what an export writes, in the columns its import reads.
pub fn write_table(
    columns: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>, AppError> {
    let fail = |e: csv::Error| AppError::Internal(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns).map_err(fail)?;
    for r in rows {
        w.write_record(&r).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))
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
