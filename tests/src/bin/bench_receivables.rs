//! Receivables benchmark: taxed invoices posted and payments allocated through the API by 8
//! clients (a quarter of the documents in dollars), then the aging, the dunning list and a
//! partner statement over all of them. Not a test; results go to docs/benchmarks.md.
//!
//! cargo run --release -p erp-tests --bin bench-receivables -- [invoices]
//! (PostgreSQL: set ERP_TEST_DATABASE_URL as for the tests.)

use std::time::{Duration, Instant};

use erp_tests::bench::{report, timed};
use serde_json::json;

const CLIENTS: usize = 8;

/// A posted invoice, to pay: its id, total, currency and customer.
struct Posted {
    id: String,
    total: String,
    currency: &'static str,
    partner: String,
}
const CUSTOMERS_PER_CLIENT: usize = 5;

fn main() {
    let invoices: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(4000);
    let b = erp_tests::finance::books();
    let (app, admin) = (b.app.clone(), b.admin.clone());
    println!("backend: {}", erp_tests::bench::backend(&app));
    let vat = b.tax("VAT19", "vat", "19", false);
    for date in ["2026-11-01", "2026-12-01"] {
        app.post(
            "/api/v1/finance/exchange-rates",
            &admin,
            json!({"currency": "USD", "rate_date": date, "rate": "0.923456789"}),
        )
        .expect(201);
    }
    let bank = b.accounts["1100"].clone();
    let customers: Vec<Vec<String>> = (0..CLIENTS)
        .map(|c| {
            (0..CUSTOMERS_PER_CLIENT)
                .map(|k| b.partner(&format!("Customer {c}-{k}"), "customer"))
                .collect()
        })
        .collect();

    // 1. Invoices: three taxed lines each, posted at once; every fourth in dollars.
    let per_client = invoices / CLIENTS;
    let start = Instant::now();
    let handles: Vec<_> = customers
        .iter()
        .cloned()
        .map(|mine| {
            let (app, admin, vat) = (app.clone(), admin.clone(), vat.clone());
            std::thread::spawn(move || {
                (0..per_client)
                    .map(|i| {
                        let currency = if i % 4 == 0 { "USD" } else { "EUR" };
                        let body = json!({"kind": "customer_invoice", "partner_id": mine[i % mine.len()],
                            "invoice_date": format!("2026-11-{:02}", i % 28 + 1), "currency": currency, "post": true,
                            "lines": [
                                {"description": "a", "quantity": "3", "unit_price": "12.34", "tax_id": vat},
                                {"description": "b", "quantity": "1", "unit_price": "99.99", "tax_id": vat},
                                {"description": "c", "quantity": "7", "unit_price": "0.35"}]});
                        let t = Instant::now();
                        let r = app.post("/api/v1/finance/invoices", &admin, body).expect(201);
                        let posted = Posted {
                            id: r.id(),
                            total: r.body["total"].as_str().unwrap().to_string(),
                            currency,
                            partner: mine[i % mine.len()].clone(),
                        };
                        (t.elapsed(), posted)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let done: Vec<Vec<(Duration, Posted)>> =
        handles.into_iter().map(|h| h.join().unwrap()).collect();
    report(
        &format!("POST finance/invoices ({CLIENTS} clients)"),
        done.iter().flatten().map(|d| d.0).collect(),
        start.elapsed(),
    );

    // 2. Payments: each client pays every other invoice of its customers in full, allocated.
    let start = Instant::now();
    let handles: Vec<_> = done
        .into_iter()
        .map(|mine| {
            let (app, admin, bank) = (app.clone(), admin.clone(), bank.clone());
            std::thread::spawn(move || {
                mine.into_iter()
                    .step_by(2)
                    .map(|(_, Posted { id, total, currency, partner })| {
                        let body = json!({"kind": "customer_receipt", "partner_id": partner, "payment_date": "2026-12-01",
                            "currency": currency, "account_id": bank, "amount": total,
                            "allocations": [{"invoice_id": id, "amount": total}]});
                        let t = Instant::now();
                        app.post("/api/v1/finance/payments", &admin, body).expect(201);
                        t.elapsed()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let samples: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    report(
        &format!("POST finance/payments, allocated ({CLIENTS} clients)"),
        samples,
        start.elapsed(),
    );

    // 3. Reports over every document.
    let (s, w) = timed(20, |_| {
        app.get(
            "/api/v1/finance/reports/aging?side=receivable&at=2026-12-31",
            &admin,
        )
        .expect(200);
    });
    report(&format!("GET reports/aging ({invoices} invoices)"), s, w);
    let (s, w) = timed(20, |_| {
        app.get("/api/v1/finance/reports/dunning?at=2026-12-31", &admin)
            .expect(200);
    });
    report("GET reports/dunning", s, w);
    let partner = customers[0][0].clone();
    let (s, w) = timed(20, |_| {
        app.get(
            &format!("/api/v1/finance/partners/{partner}/statement?side=receivable&from=2026-11-01&to=2026-12-31"),
            &admin,
        )
        .expect(200);
    });
    report("GET partners/{id}/statement (one customer)", s, w);
}
