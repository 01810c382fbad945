//! What a printed document costs: an invoice of 10, 100 and 1,000 lines read as JSON and as
//! PDF through the API, and the PDF's size. Not a test; results go to docs/benchmarks.md.
//!
//! cargo run --release -p erp-tests --bin bench-print -- [requests]
//! (PostgreSQL: set ERP_TEST_DATABASE_URL as for the tests.)

use erp_tests::bench::{report, timed};
use erp_tests::finance::books;
use serde_json::{json, Value};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let b = books();
    println!("backend: {}", erp_tests::bench::backend(&b.app));
    let customer = b.partner("Oʻzbekiston Savdo — Ўзбекистон", "customer");
    let vat = b.tax("VAT12", "vat", "12", false);
    for lines in [10, 100, 1000] {
        let body: Vec<Value> = (1..=lines)
            .map(|i| {
                json!({"description": format!("Montaj ishlari — монтаж, bosqich {i}"),
                       "quantity": format!("{}.5", i % 7 + 1), "unit_price": "120.00", "tax_id": vat})
            })
            .collect();
        let inv = b
            .app
            .post(
                "/api/v1/finance/invoices",
                &b.admin,
                json!({"kind": "customer_invoice", "partner_id": customer, "invoice_date": "2026-11-10",
                       "lines": body, "post": true}),
            )
            .expect(201)
            .body;
        let path = format!("/api/v1/finance/invoices/{}", inv["id"].as_str().unwrap());
        let (samples, wall) = timed(n, |_| {
            b.app.get(&path, &b.admin).expect(200);
        });
        report(&format!("GET invoice, {lines} lines, JSON"), samples, wall);
        let pdf = format!("{path}/pdf");
        let mut size = 0;
        let (samples, wall) = timed(n, |_| {
            let (status, _, bytes) = b.app.get_bytes(&pdf, &b.admin);
            assert_eq!(status, 200);
            size = bytes.len();
        });
        report(&format!("GET invoice, {lines} lines, PDF"), samples, wall);
        let pages = erp_tests::pdf::text_pieces(&b.app.get_bytes(&pdf, &b.admin).2)
            .iter()
            .filter(|p| p.contains(" · page "))
            .count();
        println!("  PDF of {lines} lines: {size} bytes, {pages} pages");
    }
}
