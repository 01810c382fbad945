//! Printable documents: a small PDF canvas with embedded Unicode fonts ([`canvas`]) and the one
//! layout every business document shares ([`sheet`]).

pub mod canvas;
pub mod sheet;

pub use sheet::{Column, Party, Sheet, Table, Total};

use actix_web::HttpResponse;

use crate::db::{Db, DbConnection};
use crate::error::AppError;

/// Reads a document's sheet with `read` (which checks the reader's rights) and answers it as
/// PDF: the whole of every PDF route. The drawing (milliseconds for a long document) runs on
/// the blocking pool, after the connection went back, not on the request's worker.
pub async fn printed<F>(db: &Db, read: F) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<Sheet, AppError> + Send + 'static,
{
    let sheet = db.run(read).await?;
    let name = file_name(&sheet);
    let pdf = actix_web::web::block(move || sheet.render())
        .await
        .map_err(|e| AppError::Internal(format!("drawing a PDF: {e}")))?;
    Ok(response(&name, pdf))
}

/// A state as a document prints it: `partially_delivered` as "partially delivered".
pub fn label<T: serde::Serialize>(state: &T) -> String {
    crate::db::enum_to_db(state).replace('_', " ")
}

/// What a sheet is saved as: its title and number (`Sales_order_SO-2026-000001.pdf`).
fn file_name(sheet: &Sheet) -> String {
    format!("{} {}", sheet.title, sheet.number)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A PDF answer, shown in the browser and saved as `<name>.pdf`.
fn response(name: &str, pdf: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}.pdf\""),
        ))
        .body(pdf)
}
