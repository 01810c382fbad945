//! Printable documents: a small PDF canvas with embedded Unicode fonts ([`canvas`]) and the one
//! layout every business document shares ([`sheet`]).

pub mod canvas;
pub mod sheet;

pub use sheet::{Column, Party, Sheet, Table, Total};

use actix_web::HttpResponse;

/// A state as a document prints it: `partially_delivered` as "partially delivered".
pub fn label<T: serde::Serialize>(state: &T) -> String {
    crate::db::enum_to_db(state).replace('_', " ")
}

/// A sheet as a PDF answer, shown in the browser and saved as its title and number
/// (`Sales_order_SO-2026-000001.pdf`).
pub fn response(sheet: &Sheet) -> HttpResponse {
    let file: String = format!("{} {}", sheet.title, sheet.number)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{file}.pdf\""),
        ))
        .body(sheet.render())
}
