//! Backdating benchmark: one receipt dated before N later issues of the same item and
//! warehouse re-costs them all in one request; the same backdated receipt on an item with no
//! later moves costs what an ordinary posting costs. Not a test; results go to
//! docs/benchmarks.md.
//!
//! cargo run --release -p erp-tests --bin bench-backdating -- [later_moves]
//! (PostgreSQL: set ERP_TEST_DATABASE_URL as for the tests.)

use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, SecondsFormat, Utc};
use erp_tests::bench::{peak_rss_mib, report, timed};
use erp_tests::builders::{item, Stockroom};
use erp_tests::TestApp;
use serde_json::json;

const CLIENTS: usize = 4;

fn at(days_back: f64) -> String {
    (Utc::now() - Duration::milliseconds((days_back * 86_400_000.0) as i64))
        .to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn main() {
    let later: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let app = Arc::new(TestApp::spawn());
    println!("backend: {}", erp_tests::bench::backend(&app));
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "BENCH");
    for method in ["moving_average", "fifo"] {
        let busy = item(
            &app,
            &admin,
            &format!("BUSY-{method}"),
            json!({"valuation": method}),
        );
        let quiet = item(
            &app,
            &admin,
            &format!("QUIET-{method}"),
            json!({"valuation": method}),
        );
        for id in [&busy, &quiet] {
            app.post(
                "/api/v1/inventory/stock-moves",
                &admin,
                json!({"move_type": "receipt", "item_id": id, "to_location_id": room.stock,
                       "quantity": "1000000", "unit_cost": "1.00", "effective_at": at(20.0)}),
            )
            .expect(201);
        }
        // The later moves: issues of one unit, dated over the last 19 days.
        let start = Instant::now();
        let per = later / CLIENTS;
        let handles: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (app, admin, id, loc) =
                    (app.clone(), admin.clone(), busy.clone(), room.stock.clone());
                std::thread::spawn(move || {
                    for i in 0..per {
                        let n = i * CLIENTS + c;
                        let days = 19.0 - 19.0 * n as f64 / later as f64;
                        app.post(
                            "/api/v1/inventory/stock-moves",
                            &admin,
                            json!({"move_type": "issue", "item_id": id, "from_location_id": loc,
                                   "quantity": "1", "effective_at": at(days)}),
                        )
                        .expect(201);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        println!(
            "{method}: {} later issues posted in {:.1} s",
            per * CLIENTS,
            start.elapsed().as_secs_f64()
        );
        // One receipt dated before all of them (and before the first receipt), at another
        // price: every issue is re-costed under both methods.
        let t = Instant::now();
        let r = app
            .post(
                "/api/v1/inventory/stock-moves",
                &admin,
                json!({"move_type": "receipt", "item_id": busy, "to_location_id": room.stock,
                       "quantity": "1000000", "unit_cost": "3.00", "effective_at": at(20.5)}),
            )
            .expect(201);
        let backdated = t.elapsed();
        assert_eq!(r.body["total_cost"], "3000000.00");
        println!(
            "{method}: backdated receipt before {} later moves: {:.1} ms",
            per * CLIENTS,
            backdated.as_secs_f64() * 1000.0
        );
        // The same on an item with nothing after it, and an ordinary posting, for comparison.
        let (samples, wall) = timed(200, |i| {
            app.post(
                "/api/v1/inventory/stock-moves",
                &admin,
                json!({"move_type": "receipt", "item_id": quiet, "to_location_id": room.stock,
                       "quantity": "1", "unit_cost": "2.00", "effective_at": at(19.0 - i as f64 * 0.01)}),
            )
            .expect(201);
        });
        report(
            &format!("{method}: backdated receipt, nothing after it"),
            samples,
            wall,
        );
        let (samples, wall) = timed(200, |_| {
            app.post(
                "/api/v1/inventory/stock-moves",
                &admin,
                json!({"move_type": "issue", "item_id": quiet, "from_location_id": room.stock, "quantity": "1"}),
            )
            .expect(201);
        });
        report(
            &format!("{method}: ordinary issue, posted now"),
            samples,
            wall,
        );
    }
    println!("peak RSS: {:.0} MiB", peak_rss_mib());
}
