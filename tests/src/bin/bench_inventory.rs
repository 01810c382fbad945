//! Inventory benchmark: posting moves through the API with concurrent clients, and the
//! stock queries against a large ledger. Not a test; results go to docs/benchmarks.md.
//!
//! cargo run --release -p erp-tests --bin bench-inventory -- [moves_in_ledger] [api_moves]
//! (PostgreSQL: set ERP_TEST_DATABASE_URL as for the tests.)

use erp_tests::bench::{concurrently, peak_rss_mib, report, timed};
use std::sync::Arc;
use std::time::Instant;

use diesel::connection::SimpleConnection;
use erp_tests::builders::{item, receive, Stockroom};
use erp_tests::TestApp;
use serde_json::json;

const ITEMS: usize = 1000;
const CLIENTS: usize = 8;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let ledger_moves = args.first().copied().unwrap_or(1_000_000);
    let api_moves = args.get(1).copied().unwrap_or(4000);
    let app = Arc::new(TestApp::spawn());
    println!("backend: {}", erp_tests::bench::backend(&app));
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "BENCH");
    let items: Vec<String> = (0..ITEMS)
        .map(|i| item(&app, &admin, &format!("B-{i:05}"), json!({})))
        .collect();

    // 1. Posting through the API: CLIENTS clients, receipts and issues on their own items.
    for it in items.iter().take(CLIENTS) {
        receive(&app, &admin, it, &room.stock, "1000000", "1.25");
    }
    let per_client = api_moves / CLIENTS;
    let (samples, wall) = concurrently(CLIENTS, per_client, |c, i| {
        let (it, loc) = (&items[c], &room.stock);
        let body = if i % 2 == 0 {
            json!({"move_type": "issue", "item_id": it, "from_location_id": loc, "quantity": "3"})
        } else {
            json!({"move_type": "receipt", "item_id": it, "to_location_id": loc, "quantity": "2", "unit_cost": "1.5"})
        };
        app.post("/api/v1/inventory/stock-moves", &admin, body)
            .expect(201);
    });
    report(
        &format!("POST stock-moves ({CLIENTS} clients)"),
        samples,
        wall,
    );

    // 2. A large ledger, written straight into the tables (moves and the balances they imply).
    let db = app.db();
    let mut conn = db.get().unwrap();
    let company: String = app.get("/api/v1/auth/me", &admin).body["company_id"]
        .as_str()
        .unwrap()
        .to_string();
    let user: String = app.get("/api/v1/auth/me", &admin).body["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    let uom = app
        .get(&format!("/api/v1/inventory/items/{}", items[0]), &admin)
        .body["base_uom_id"]
        .as_str()
        .unwrap()
        .to_string();
    let seed = Instant::now();
    let mut on_hand = vec![0i64; ITEMS];
    let base = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let chunk = 1000;
    for start in (0..ledger_moves).step_by(chunk) {
        let mut sql = String::from(
            "INSERT INTO stock_moves (id, company_id, item_id, move_type, quantity, entered_quantity, entered_uom_id, \
             from_location_id, to_location_id, lot, unit_cost, total_cost, posted_at, user_id) VALUES ",
        );
        for n in start..(start + chunk).min(ledger_moves) {
            let i = CLIENTS + n % (ITEMS - CLIENTS);
            let receipt = n % 3 != 2;
            let at = base + chrono::Duration::seconds(n as i64 * 20);
            let (from, to, kind) = if receipt {
                ("NULL".to_string(), format!("'{}'", room.stock), "receipt")
            } else {
                (format!("'{}'", room.stock), "NULL".to_string(), "issue")
            };
            on_hand[i] += if receipt { 2_000_000 } else { -1_000_000 };
            let qty = if receipt { 2_000_000 } else { 1_000_000 };
            if n > start {
                sql.push(',');
            }
            sql.push_str(&format!(
                "('{}', '{company}', '{}', '{kind}', {qty}, {qty}, '{uom}', {from}, {to}, '', 1500000, {}, '{}', '{user}')",
                uuid::Uuid::now_v7(),
                items[i],
                qty / 100,
                at.format("%Y-%m-%d %H:%M:%S")
            ));
        }
        conn.batch_execute(&sql).unwrap();
    }
    for (i, q) in on_hand.iter().enumerate().skip(CLIENTS) {
        conn.batch_execute(&format!(
            "INSERT INTO stock_balances (item_id, location_id, lot, on_hand, reserved) VALUES ('{}', '{}', '', {q}, 0)",
            items[i], room.stock
        ))
        .unwrap();
    }
    if app.is_postgres() {
        conn.batch_execute("ANALYZE").unwrap();
    }
    println!(
        "seeded {ledger_moves} moves in {:.1} s",
        seed.elapsed().as_secs_f64()
    );

    // 3. Queries against it.
    let (s, w) = timed(500, |_| {
        let r = app
            .get("/api/v1/inventory/items?limit=50", &admin)
            .expect(200);
        assert_eq!(r.body["items"].as_array().unwrap().len(), 50);
    });
    report("GET items, a page of 50", s, w);
    let probe = &items[CLIENTS + 7];
    let (s, w) = timed(300, |_| {
        app.get(&format!("/api/v1/inventory/stock?item_id={probe}"), &admin)
            .expect(200);
    });
    report("GET stock, one item", s, w);
    let (s, w) = timed(50, |_| {
        let r = app
            .get(
                &format!("/api/v1/inventory/stock?warehouse_id={}", room.warehouse),
                &admin,
            )
            .expect(200);
        assert_eq!(r.body["items"].as_array().unwrap().len(), ITEMS);
    });
    report(&format!("GET stock, whole warehouse ({ITEMS} items)"), s, w);
    let last = base + chrono::Duration::seconds(ledger_moves as i64 * 20);
    let as_of = (last - chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M:%SZ");
    let (s, w) = timed(100, |_| {
        app.get(
            &format!("/api/v1/inventory/stock?item_id={probe}&as_of={as_of}"),
            &admin,
        )
        .expect(200);
    });
    report("GET stock, one item, as of a day earlier", s, w);
    let from = (last - chrono::Duration::days(30)).format("%Y-%m-%dT%H:%M:%SZ");
    let (s, w) = timed(100, |_| {
        app.get(
            &format!(
                "/api/v1/inventory/items/{probe}/stock-card?warehouse_id={}&from={from}",
                room.warehouse
            ),
            &admin,
        )
        .expect(200);
    });
    report("GET stock card, one item, last 30 days", s, w);
    println!(
        "peak RSS of the process (server and client): {:.0} MiB",
        peak_rss_mib()
    );
}
