//! `/dashboard/`: one page, served by the binary and working offline like `/docs/`, that signs
//! in against the API and shows the charts the user's rights allow (the `*.svg` routes), for
//! a chosen period and branch.

use actix_web::{web, HttpResponse};

const PAGE: &str = include_str!("dashboard/index.html");
const SCRIPT: &str = include_str!("dashboard/app.js");
const STYLE: &str = include_str!("dashboard/style.css");

/// Only the page's own files; SVG charts are inlined from the API of the same origin.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

fn file(content_type: &str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Security-Policy", POLICY))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Cache-Control", "no-cache"))
        .body(body)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/dashboard",
        web::get().to(|| async {
            HttpResponse::Found()
                .insert_header(("Location", "/dashboard/"))
                .finish()
        }),
    )
    .route(
        "/dashboard/",
        web::get().to(|| async { file("text/html; charset=utf-8", PAGE) }),
    )
    .route(
        "/dashboard/app.js",
        web::get().to(|| async { file("text/javascript; charset=utf-8", SCRIPT) }),
    )
    .route(
        "/dashboard/style.css",
        web::get().to(|| async { file("text/css; charset=utf-8", STYLE) }),
    );
}
