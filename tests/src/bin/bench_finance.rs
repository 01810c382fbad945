//! Finance benchmark: posting journal entries through the API with 8 and 32 clients, and
//! the trial balance and balance sheet over a ledger of many lines (read from the balance
//! caches). Not a test; results go to docs/benchmarks.md.
//!
//! cargo run --release -p erp-tests --bin bench-finance -- [lines_in_ledger] [api_entries]
//! (PostgreSQL: set ERP_TEST_DATABASE_URL as for the tests.)

use erp_tests::bench::{concurrently, report};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use erp_tests::TestApp;
use serde_json::{json, Value};

fn ids(v: &Value, key: &str) -> HashMap<String, String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x[key].as_str().unwrap().to_string(),
                x["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let ledger_lines = args.first().copied().unwrap_or(10_000_000);
    let api_entries = args.get(1).copied().unwrap_or(3200);
    let app = Arc::new(TestApp::spawn());
    println!("backend: {}", erp_tests::bench::backend(&app));
    let admin = app.admin_token();
    app.post(
        "/api/v1/finance/setup",
        &admin,
        json!({"fiscal_year": 2026}),
    )
    .expect(200);
    let accounts = ids(
        &app.get("/api/v1/finance/accounts?limit=500", &admin)
            .expect(200)
            .body,
        "code",
    );
    let journals = ids(
        &app.get("/api/v1/finance/journals", &admin).expect(200).body,
        "code",
    );
    let leaves: Vec<String> = accounts.keys().filter(|c| c.len() == 4).cloned().collect();

    // 1. Posting through the API: two-line entries, 8 and then 32 clients, each in its own
    // journal so the journals' number counters are not the only thing measured; then all in
    // one journal (the counter row serialises them).
    for (clients, shared) in [(8usize, false), (32, false), (8, true)] {
        let per_client = api_entries / clients;
        let journals: Vec<String> = (0..clients)
            .map(|c| {
                if shared {
                    journals["GJ"].clone()
                } else {
                    app.post(
                        "/api/v1/finance/journals",
                        &admin,
                        json!({"code": format!("B{clients}{c}"), "name": "bench", "kind": "general"}),
                    )
                    .expect(201)
                    .id()
                }
            })
            .collect();
        let (d, k) = (&accounts["1100"], &accounts["4000"]);
        let (samples, wall) = concurrently(clients, per_client, |c, i| {
            let body = json!({"journal_id": journals[c], "entry_date": format!("2026-{:02}-15", i % 12 + 1), "post": true,
                "lines": [{"account_id": d, "debit": "12.34"}, {"account_id": k, "credit": "12.34"}]});
            app.post("/api/v1/finance/entries", &admin, body)
                .expect(201);
        });
        let what = if shared {
            "one journal"
        } else {
            "a journal each"
        };
        report(
            &format!("POST finance/entries ({clients} clients, {what})"),
            samples,
            wall,
        );
    }

    // 2. A large ledger written straight into the tables, with the caches it implies.
    let db = app.db();
    let mut conn = db.get().unwrap();
    let me = app.get("/api/v1/auth/me", &admin).body;
    let (company, user) = (
        me["company_id"].as_str().unwrap().to_string(),
        me["user_id"].as_str().unwrap().to_string(),
    );
    let periods: Vec<(String, String)> = app
        .get("/api/v1/finance/periods?fiscal_year=2026", &admin)
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["starts_on"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let seed = Instant::now();
    let mut cache: HashMap<(usize, usize), (i64, i64)> = HashMap::new();
    let entries = ledger_lines / 2;
    let chunk = 2000;
    let mut n = 0usize;
    while n < entries {
        let end = (n + chunk).min(entries);
        let mut e_sql = String::from("INSERT INTO fin_entries (id, company_id, journal_id, number, entry_date, period_id, status, total, version, created_by, created_at, updated_at) VALUES ");
        let mut l_sql = String::from("INSERT INTO fin_entry_lines (id, entry_id, line_no, account_id, debit, credit) VALUES ");
        for i in n..end {
            let id = uuid::Uuid::now_v7();
            let p = i % periods.len();
            let (da, ca) = (i % leaves.len(), (i * 7 + 3) % leaves.len());
            let amount = (i as i64 % 100_000 + 1) * 100;
            let sep = if i > n { "," } else { "" };
            e_sql.push_str(&format!(
                "{sep}('{id}', '{company}', '{}', 'X-{i}', '{}', '{}', 'posted', {amount}, 1, '{user}', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                journals["GJ"], periods[p].1, periods[p].0
            ));
            l_sql.push_str(&format!(
                "{sep}('{}', '{id}', 1, '{}', {amount}, 0), ('{}', '{id}', 2, '{}', 0, {amount})",
                uuid::Uuid::now_v7(),
                accounts[&leaves[da]],
                uuid::Uuid::now_v7(),
                accounts[&leaves[ca]]
            ));
            cache.entry((da, p)).or_default().0 += amount;
            cache.entry((ca, p)).or_default().1 += amount;
        }
        conn.batch_execute(&format!("BEGIN; {e_sql}; {l_sql}; COMMIT;"))
            .unwrap();
        n = end;
    }
    for ((a, p), (d, c)) in &cache {
        let (acct, period) = (&accounts[&leaves[*a]], &periods[*p].0);
        conn.batch_execute(&format!(
            "UPDATE fin_balances SET debit = debit + {d}, credit = credit + {c} WHERE account_id = '{acct}' AND period_id = '{period}' AND branch_id = '';
             INSERT INTO fin_balances (account_id, period_id, branch_id, debit, credit)
             SELECT '{acct}', '{period}', '', {d}, {c} WHERE NOT EXISTS (SELECT 1 FROM fin_balances WHERE account_id = '{acct}' AND period_id = '{period}' AND branch_id = '');"
        ))
        .unwrap();
    }
    if app.is_postgres() {
        conn.batch_execute("ANALYZE").unwrap();
    }
    println!(
        "seeded {} lines in {:.1} s",
        entries * 2,
        seed.elapsed().as_secs_f64()
    );

    // 3. Statements over it, from the caches.
    let get_timed = |n: usize, path: &str| {
        let start = Instant::now();
        let samples: Vec<Duration> = (0..n)
            .map(|_| {
                let t = Instant::now();
                let r = app.get(path, &admin).expect(200);
                assert!(r.body.is_object());
                t.elapsed()
            })
            .collect();
        (samples, start.elapsed())
    };
    let (s, w) = get_timed(
        200,
        "/api/v1/finance/reports/trial-balance?from=2026-01-01&to=2026-12-31",
    );
    report("GET trial balance, year", s, w);
    let tb = app
        .get(
            "/api/v1/finance/reports/trial-balance?from=2026-01-01&to=2026-12-31",
            &admin,
        )
        .body;
    assert_eq!(tb["total_debit"], tb["total_credit"]);
    let (s, w) = get_timed(
        200,
        "/api/v1/finance/reports/balance-sheet?as_of=2026-12-31",
    );
    report("GET balance sheet, year end", s, w);
    let (s, w) = get_timed(200, "/api/v1/finance/reports/income-statement?from=2026-01-01&to=2026-06-30&compare_from=2026-07-01&compare_to=2026-12-31");
    report("GET income statement, two halves", s, w);
}
