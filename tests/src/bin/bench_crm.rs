//! CRM benchmark: the customer timeline and the analytics reports on a large database,
//! written straight into the tables (customers with phones, interactions, deals with their
//! stage history, tasks), then read through the API. Not a test; results go to
//! docs/benchmarks.md.
//!
//! cargo run --release -p erp-tests --bin bench-crm -- [customers] [interactions]
//! (PostgreSQL: set ERP_TEST_DATABASE_URL as for the tests.)

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use erp_tests::builders::crm_manager;
use erp_tests::TestApp;
use rand::{Rng, SeedableRng};

const MANAGERS: usize = 20;
const TS: &str = "2026-01-01 00:00:00";

fn insert(conn: &mut erp_core::db::DbConnection, head: &str, rows: &mut Vec<String>) {
    if !rows.is_empty() {
        conn.batch_execute(&format!("{head} VALUES {}", rows.join(",")))
            .expect(head);
        rows.clear();
    }
}

fn time(n: usize, mut f: impl FnMut(usize)) -> (f64, f64) {
    let mut samples: Vec<Duration> = (0..n)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(samples[n / 2]), ms(samples[(n * 95 / 100).min(n - 1)]))
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let customers = args.first().copied().unwrap_or(100_000);
    let interactions = args.get(1).copied().unwrap_or(2_000_000);
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let me = app.get("/api/v1/auth/me", &admin).body;
    let company = me["company_id"].as_str().unwrap().to_string();
    let managers: Vec<_> = (0..MANAGERS)
        .map(|i| crm_manager(&app, &admin, &format!("m{i:02}")))
        .collect();
    let lead = erp_tests::builders::UserBuilder::new("lead")
        .permissions(&["crm.customer.read", "crm.all", "crm.personal_data.read"])
        .create(&app, &admin);
    // The pipeline's stages, seeded by the first read.
    let stages: Vec<String> = app.get("/api/v1/crm/stages", &admin).expect(200).body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    let db = app.db();
    let mut conn = db.get().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let seed = Instant::now();
    let ids: Vec<String> = (0..customers)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let (mut partners, mut cards, mut phones) = (Vec::new(), Vec::new(), Vec::new());
    for (i, id) in ids.iter().enumerate() {
        let owner = &managers[i % MANAGERS].id;
        partners.push(format!("('{id}','{company}','organisation','Customer {i}',NULL,NULL,NULL,NULL,NULL,NULL,NULL,TRUE,FALSE,FALSE,TRUE,1,'{TS}','{TS}')"));
        let status = ["lead", "prospect", "customer", "customer", "inactive"][i % 5];
        cards.push(format!("('{id}','{company}','{status}','fair','{owner}',NULL,'r{}','[\"t{}\"]','{{}}',NULL,1,'{TS}','{TS}')", i % 7, i % 13));
        phones.push(format!(
            "('{}','{id}',1,'phone',NULL,'+49 30 {i:07}','+4930{i:07}',TRUE)",
            uuid::Uuid::now_v7()
        ));
        if partners.len() == 500 {
            insert(&mut conn, "INSERT INTO partners (id, company_id, kind, name, legal_name, first_name, last_name, tax_id, registration_number, website, notes, is_customer, is_supplier, is_employee_contact, active, version, created_at, updated_at)", &mut partners);
            insert(&mut conn, "INSERT INTO crm_customers (partner_id, company_id, status, source, owner_id, segment, region, tags, attributes, last_contact_at, version, created_at, updated_at)", &mut cards);
            insert(&mut conn, "INSERT INTO partner_contacts (id, partner_id, position, channel, label, value, normalized, is_primary)", &mut phones);
        }
    }
    insert(&mut conn, "INSERT INTO partners (id, company_id, kind, name, legal_name, first_name, last_name, tax_id, registration_number, website, notes, is_customer, is_supplier, is_employee_contact, active, version, created_at, updated_at)", &mut partners);
    insert(&mut conn, "INSERT INTO crm_customers (partner_id, company_id, status, source, owner_id, segment, region, tags, attributes, last_contact_at, version, created_at, updated_at)", &mut cards);
    insert(&mut conn, "INSERT INTO partner_contacts (id, partner_id, position, channel, label, value, normalized, is_primary)", &mut phones);
    let base = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap();
    let mut rows = Vec::new();
    for n in 0..interactions {
        let c = rng.random_range(0..customers);
        let at = base + chrono::Duration::minutes(rng.random_range(0..700_000));
        let (kind, extra) = if n % 3 == 0 {
            ("call", "'outbound',120,'done',NULL,NULL,NULL")
        } else if n % 3 == 1 {
            ("note", "NULL,NULL,NULL,NULL,NULL,'a note'")
        } else {
            ("meeting", "NULL,NULL,NULL,'prices','agreed',NULL")
        };
        rows.push(format!(
            "('{}','{company}','{}','{kind}','{}','{}',NULL,{extra},NULL,'{TS}')",
            uuid::Uuid::now_v7(),
            ids[c],
            at.format("%Y-%m-%d %H:%M:%S"),
            managers[c % MANAGERS].id
        ));
        if rows.len() == 500 {
            insert(&mut conn, "INSERT INTO crm_interactions (id, company_id, customer_id, kind, occurred_at, user_id, contact_id, direction, duration_seconds, outcome, topic, result, body, deal_id, created_at)", &mut rows);
        }
    }
    insert(&mut conn, "INSERT INTO crm_interactions (id, company_id, customer_id, kind, occurred_at, user_id, contact_id, direction, duration_seconds, outcome, topic, result, body, deal_id, created_at)", &mut rows);
    // One deal for every second customer, with its stage history.
    let (mut deals, mut history) = (Vec::new(), Vec::new());
    for (i, id) in ids.iter().enumerate().step_by(2) {
        let deal = uuid::Uuid::now_v7().to_string();
        let owner = &managers[i % MANAGERS].id;
        let (stage, status, closed) = match i % 8 {
            0 => (&stages[3], "won", format!("'{TS}'")),
            2 => (&stages[4], "lost", format!("'{TS}'")),
            4 => (&stages[1], "open", "NULL".into()),
            _ => (&stages[0], "open", "NULL".into()),
        };
        deals.push(format!("('{deal}','{company}','{id}','Deal {i}',{},'EUR',NULL,'{owner}','{stage}','{status}',NULL,{closed},1,'{TS}','{TS}')", rng.random_range(1_000_000..100_000_000i64)));
        history.push(format!(
            "('{}','{deal}',NULL,'{}','{TS}','{owner}')",
            uuid::Uuid::now_v7(),
            stages[0]
        ));
        if stage != &stages[0] {
            history.push(format!(
                "('{}','{deal}','{}','{stage}','{TS}','{owner}')",
                uuid::Uuid::now_v7(),
                stages[0]
            ));
        }
        if deals.len() == 500 {
            insert(&mut conn, "INSERT INTO crm_deals (id, company_id, customer_id, title, value, currency, expected_close, owner_id, stage_id, status, lost_reason, closed_at, version, created_at, updated_at)", &mut deals);
            insert(&mut conn, "INSERT INTO crm_deal_stages (id, deal_id, from_stage_id, to_stage_id, changed_at, user_id)", &mut history);
        }
    }
    insert(&mut conn, "INSERT INTO crm_deals (id, company_id, customer_id, title, value, currency, expected_close, owner_id, stage_id, status, lost_reason, closed_at, version, created_at, updated_at)", &mut deals);
    insert(&mut conn, "INSERT INTO crm_deal_stages (id, deal_id, from_stage_id, to_stage_id, changed_at, user_id)", &mut history);
    if app.is_postgres() {
        conn.batch_execute("ANALYZE").unwrap();
    }
    drop(conn);
    println!(
        "{}: {customers} customers, {interactions} interactions, {} deals written in {:.1} s",
        if app.is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        customers / 2,
        seed.elapsed().as_secs_f64()
    );
    let report = |name: &str, (p50, p95): (f64, f64)| {
        println!("{name:<58} p50={p50:>9.1} ms  p95={p95:>9.1} ms")
    };
    report(
        "GET /crm/customers/{id}/timeline (100 random customers)",
        time(100, |i| {
            let c = &ids[(i * 7919) % customers];
            app.get(&format!("/api/v1/crm/customers/{c}/timeline"), &lead.token)
                .expect(200);
        }),
    );
    report(
        "GET /crm/customers/{id} (the card, 100 random)",
        time(100, |i| {
            let c = &ids[(i * 104_729) % customers];
            app.get(&format!("/api/v1/crm/customers/{c}"), &lead.token)
                .expect(200);
        }),
    );
    report(
        "GET /crm/customers?status=customer&limit=50 (a manager's page)",
        time(20, |i| {
            app.get(
                "/api/v1/crm/customers?status=customer&limit=50",
                &managers[i % MANAGERS].token,
            )
            .expect(200);
        }),
    );
    report(
        "GET /crm/reports/pipeline (all managers)",
        time(5, |_| {
            app.get("/api/v1/crm/reports/pipeline", &lead.token)
                .expect(200);
        }),
    );
    report(
        "GET /crm/reports/managers (all managers, all time)",
        time(5, |_| {
            app.get("/api/v1/crm/reports/managers", &lead.token)
                .expect(200);
        }),
    );
    report(
        "GET /crm/reports/managers (one manager, one quarter)",
        time(5, |i| {
            app.get(
                &format!(
                    "/api/v1/crm/reports/managers?owner_id={}&from=2025-04-01&to=2025-07-01",
                    managers[i].id
                ),
                &lead.token,
            )
            .expect(200);
        }),
    );
    report(
        "GET /crm/workload",
        time(5, |_| {
            let _ = app.get("/api/v1/crm/workload", &lead.token);
        }),
    );
    report(
        "GET /crm/reports/revenue?interval=month (all managers)",
        time(5, |_| {
            app.get("/api/v1/crm/reports/revenue?interval=month", &lead.token)
                .expect(200);
        }),
    );
    // A team lead without crm.all: five managers' customers and report lines.
    let team_lead = crm_manager(&app, &admin, "teamlead");
    app.post(
        "/api/v1/crm/teams",
        &admin,
        serde_json::json!({"name": "Bench", "lead_id": team_lead.id,
            "member_ids": managers[..5].iter().map(|m| m.id.clone()).collect::<Vec<_>>()}),
    )
    .expect(201);
    report(
        "GET /crm/reports/managers (a team lead: 5 managers, all time)",
        time(5, |_| {
            app.get("/api/v1/crm/reports/managers", &team_lead.token)
                .expect(200);
        }),
    );
    report(
        "GET /crm/customers?limit=50 (a team lead's first page)",
        time(20, |_| {
            app.get("/api/v1/crm/customers?limit=50", &team_lead.token)
                .expect(200);
        }),
    );
}
