//! What every request costs: an authenticated point read (bearer token and API key), from one
//! client and from eight, and a page of items. Not a test; results go to docs/benchmarks.md.
//!
//! cargo run --release -p erp-tests --bin bench-requests -- [requests]
//! (PostgreSQL: set ERP_TEST_DATABASE_URL as for the tests.)

use diesel::connection::SimpleConnection;
use erp_tests::bench::{concurrently, report, timed};
use erp_tests::builders::item;
use erp_tests::TestApp;
use serde_json::json;

const ITEMS: usize = 1000;
const CLIENTS: usize = 8;
const SEARCH_ITEMS: usize = 100_000;
const ACTIVE_BOMS: usize = 7_500;
const BOMS: usize = 200;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(4000);
    let app = TestApp::spawn();
    println!("backend: {}", erp_tests::bench::backend(&app));
    let admin = app.admin_token();
    let items: Vec<String> = (0..ITEMS)
        .map(|i| item(&app, &admin, &format!("R-{i:05}"), json!({})))
        .collect();
    let key = app
        .post(
            "/api/v1/iam/api-keys",
            &admin,
            json!({"name": "bench", "scopes": ["inventory.item.read"]}),
        )
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();

    let read = |credential: &str, i: usize| {
        app.get(
            &format!("/api/v1/inventory/items/{}", items[i % ITEMS]),
            credential,
        )
        .expect(200);
    };
    // Warm the connections and whatever the server keeps.
    timed(200, |i| read(&admin, i));
    let (s, w) = timed(n, |i| read(&admin, i));
    report("GET item by id, token, 1 client", s, w);
    let (s, w) = timed(n, |i| read(&key, i));
    report("GET item by id, API key, 1 client", s, w);

    let (samples, wall) = concurrently(CLIENTS, n / CLIENTS, |c, i| {
        read(&admin, c * 97 + i);
    });
    report(
        &format!("GET item by id, token, {CLIENTS} clients"),
        samples,
        wall,
    );

    let (s, w) = timed(n / 8, |_| {
        let r = app
            .get("/api/v1/inventory/items?limit=50", &admin)
            .expect(200);
        assert_eq!(r.body["items"].as_array().unwrap().len(), 50);
    });
    report("GET items, a page of 50", s, w);

    // Search among many items: written straight into the table, as an import would leave them.
    let company = app.get("/api/v1/auth/me", &admin).body["company_id"]
        .as_str()
        .unwrap()
        .to_string();
    let db = app.db();
    let mut conn = db.get().unwrap();
    const WORDS: [&str; 8] = [
        "bolt", "washer", "bracket", "gasket", "spring", "hinge", "valve", "rotor",
    ];
    let searchable: Vec<uuid::Uuid> = (0..SEARCH_ITEMS).map(|_| uuid::Uuid::now_v7()).collect();
    for chunk in (0..SEARCH_ITEMS).collect::<Vec<_>>().chunks(1000) {
        let values: Vec<String> = chunk
            .iter()
            .map(|&n| {
                format!(
                    "('{}', 'S-{n:06}', '{} {n:06} {}')",
                    searchable[n],
                    WORDS[n % WORDS.len()],
                    if n % 7 == 0 { "steel" } else { "brass" }
                )
            })
            .collect();
        conn.batch_execute(&format!(
            "INSERT INTO items (id, company_id, sku, name, item_type, procurement, tracking, valuation, \
             base_uom_id, standard_cost, active, version, created_at, updated_at, by_lot) \
             SELECT v.column1, i.company_id, v.column2, v.column3, i.item_type, i.procurement, i.tracking, \
             i.valuation, i.base_uom_id, i.standard_cost, i.active, 1, i.created_at, i.updated_at, i.by_lot \
             FROM items i, (VALUES {}) v WHERE i.id = '{}'",
            values.join(", "),
            items[0]
        ))
        .unwrap();
    }
    if app.is_postgres() {
        conn.batch_execute("ANALYZE").unwrap();
    }
    let search = |q: &str, expected: usize| {
        let (s, w) = timed(n / 20, |_| {
            let r = app
                .get(&format!("/api/v1/inventory/items?limit=50&q={q}"), &admin)
                .expect(200);
            assert_eq!(r.body["items"].as_array().unwrap().len(), expected, "q={q}");
        });
        report(
            &format!("GET items?q={q} ({SEARCH_ITEMS} more items)"),
            s,
            w,
        );
    };
    search("S-054321", 1);
    search("bracket", 50);
    search("gasket%20054323", 1);
    search("nothing-like-it", 0);

    // Creating and activating a BOM among many active ones: the cycle check should walk only
    // what the new lines reach.
    let uom = app
        .get(&format!("/api/v1/inventory/items/{}", items[0]), &admin)
        .body["base_uom_id"]
        .as_str()
        .unwrap()
        .to_string();
    let now = "'2026-01-01 00:00:00'";
    for chunk in (0..ACTIVE_BOMS).collect::<Vec<_>>().chunks(1000) {
        let mut heads = Vec::new();
        let mut lines = Vec::new();
        for &p in chunk {
            let bom = uuid::Uuid::now_v7();
            heads.push(format!(
                "('{bom}', '{company}', '{}', '1', 'active', 1000000, {v}, {now}, {now})",
                searchable[p],
                v = 1
            ));
            for k in 0..3 {
                lines.push(format!(
                    "('{}', '{bom}', {}, '{}', 1000000, 1000000, '{uom}', 0)",
                    uuid::Uuid::now_v7(),
                    k + 1,
                    searchable[ACTIVE_BOMS + (3 * p + k) % (SEARCH_ITEMS - ACTIVE_BOMS)]
                ));
            }
        }
        conn.batch_execute(&format!(
            "INSERT INTO boms (id, company_id, item_id, revision, status, output_quantity, version, \
             created_at, updated_at) VALUES {}; \
             INSERT INTO bom_lines (id, bom_id, line_no, component_id, quantity, entered_quantity, \
             entered_uom_id, scrap) VALUES {}",
            heads.join(", "),
            lines.join(", ")
        ))
        .unwrap();
    }
    if app.is_postgres() {
        conn.batch_execute("ANALYZE").unwrap();
    }
    let (s, w) = timed(BOMS, |j| {
        app.post(
            "/api/v1/mrp/boms",
            &admin,
            json!({"item_id": items[j], "activate": true, "lines": [
                {"component_id": items[BOMS + j], "quantity": "2"},
                {"component_id": searchable[j], "quantity": "1"},
            ]}),
        )
        .expect(201);
    });
    report(
        &format!("POST mrp/boms, activated ({ACTIVE_BOMS} active BOMs)"),
        s,
        w,
    );
}
