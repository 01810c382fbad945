//! A full planning run through the API: the generated data of the engine benchmark written
//! into the tables (items, planning data, active BOMs, MPS, on hand, firm planned orders),
//! then `POST /mrp/runs` and its end awaited: load, plan and persist, as a planner runs it.
//! Then one MPS entry changes and a net-change run follows, and net-change runs with nothing
//! changed.
//!
//! cargo run --release -p erp-tests --bin bench-mrp-api -- 1000 10000 100000
//! cargo run --release -p erp-tests --bin bench-mrp-api -- daily 2500
//! (`daily`: 84 daily buckets with sparse demand instead of 52 weekly ones with dense demand;
//! PostgreSQL: set ERP_TEST_DATABASE_URL as for the tests.)

use erp_tests::bench::peak_rss_mib;
use std::time::Instant;

use diesel::connection::SimpleConnection;
use erp_mrp::engine::{LotSizing, PlanInput};
use erp_tests::builders::{mrp_run, Stockroom};
use erp_tests::mrp_data::{generate_shaped, Shape, DAILY, WEEKLY};
use erp_tests::TestApp;
use rand::SeedableRng;
use rust_decimal::Decimal;
use serde_json::json;

const START: &str = "2027-01-04";
const TS: &str = "'2026-11-27 00:00:00'";

fn scaled(d: Decimal) -> i64 {
    (d * Decimal::from(1_000_000))
        .trunc()
        .try_into()
        .unwrap_or(0)
}

/// Multi-row inserts, 500 rows a statement.
fn insert(conn: &mut erp_core::db::DbConnection, head: &str, rows: &[String]) {
    for chunk in rows.chunks(500) {
        conn.batch_execute(&format!("{head} VALUES {}", chunk.join(",")))
            .expect(head);
    }
}

fn rule_json(rule: &LotSizing) -> String {
    match rule {
        LotSizing::FixedOrderQuantity(q) => {
            format!(r#"{{"rule":"fixed_order_quantity","quantity":"{q}"}}"#)
        }
        LotSizing::PeriodOrderQuantity(n) => {
            format!(r#"{{"rule":"period_order_quantity","periods":{n}}}"#)
        }
        LotSizing::WagnerWhitin {
            ordering_cost,
            holding_cost,
        } => {
            format!(
                r#"{{"rule":"wagner_whitin","ordering_cost":"{ordering_cost}","holding_cost":"{holding_cost}"}}"#
            )
        }
        LotSizing::LeastUnitCost {
            ordering_cost,
            holding_cost,
        } => {
            format!(
                r#"{{"rule":"least_unit_cost","ordering_cost":"{ordering_cost}","holding_cost":"{holding_cost}"}}"#
            )
        }
        _ => r#"{"rule":"lot_for_lot"}"#.to_string(),
    }
}

fn load(app: &TestApp, admin: &str, input: &PlanInput, shape: &Shape) -> Vec<String> {
    let room = Stockroom::create(app, admin, "MRP");
    let company = app.get("/api/v1/auth/me", admin).body["company_id"]
        .as_str()
        .unwrap()
        .to_string();
    let uom = erp_tests::builders::uom(app, admin, "ea");
    let db = app.db();
    let mut conn = db.get().unwrap();
    let n = input.items.len();
    let ids: Vec<String> = (0..n).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let mut makes = vec![false; n];
    for l in &input.bom {
        makes[l.parent] = true;
    }
    let start = chrono::NaiveDate::parse_from_str(START, "%Y-%m-%d").unwrap();
    let day = |b: usize| start + chrono::Days::new(shape.days_per_bucket * b as u64);
    let mut items = Vec::new();
    let mut planning = Vec::new();
    let mut balances = Vec::new();
    for (i, it) in input.items.iter().enumerate() {
        items.push(format!(
            "('{}','{company}','BM-{i:06}','Item {i}',NULL,NULL,'stocked','{}','none','moving_average','{uom}',NULL,0,NULL,NULL,{},NULL,NULL,TRUE,1,{TS},{TS})",
            ids[i],
            if makes[i] { "make" } else { "buy" },
            it.lead_time as u64 * shape.days_per_bucket
        ));
        planning.push(format!(
            "('{}','{company}',{},'{}',NULL,NULL,NULL,0,FALSE,1,{TS})",
            ids[i],
            scaled(it.safety_stock),
            rule_json(&it.lot_sizing)
        ));
        if !it.on_hand.is_zero() {
            balances.push(format!(
                "('{}','{}','',{},0)",
                ids[i],
                room.stock,
                scaled(it.on_hand)
            ));
        }
    }
    insert(&mut conn, "INSERT INTO items (id, company_id, sku, name, description, category_id, item_type, procurement, tracking, valuation, base_uom_id, barcode, standard_cost, default_supplier_id, supplier_price, lead_time_days, reorder_point, reorder_max, active, version, created_at, updated_at)", &items);
    insert(&mut conn, "INSERT INTO item_planning (item_id, company_id, safety_stock, lot_sizing, min_order, max_order, order_multiple, time_fence_days, phantom, version, updated_at)", &planning);
    insert(
        &mut conn,
        "INSERT INTO stock_balances (item_id, location_id, lot, on_hand, reserved)",
        &balances,
    );
    let mut boms = Vec::new();
    let mut bom_ids = vec![String::new(); n];
    for (i, m) in makes.iter().enumerate() {
        if *m {
            bom_ids[i] = uuid::Uuid::now_v7().to_string();
            boms.push(format!(
                "('{}','{company}','{}','1','active',1000000,NULL,1,{TS},{TS})",
                bom_ids[i], ids[i]
            ));
        }
    }
    insert(&mut conn, "INSERT INTO boms (id, company_id, item_id, revision, status, output_quantity, notes, version, created_at, updated_at)", &boms);
    let mut line_no = vec![0; n];
    let lines: Vec<String> = input
        .bom
        .iter()
        .map(|l| {
            line_no[l.parent] += 1;
            let q = scaled(l.quantity_per);
            format!(
                "('{}','{}',{},'{}',{q},{q},'{uom}',0,NULL,NULL)",
                uuid::Uuid::now_v7(),
                bom_ids[l.parent],
                line_no[l.parent],
                ids[l.child]
            )
        })
        .collect();
    insert(&mut conn, "INSERT INTO bom_lines (id, bom_id, line_no, component_id, quantity, entered_quantity, entered_uom_id, scrap, effective_from, effective_to)", &lines);
    let demands: Vec<String> = input
        .independent_demand
        .iter()
        .map(|(i, b, q)| {
            format!(
                "('{}','{company}','{}','mps','{}',{},NULL,NULL,NULL,1,{TS},{TS})",
                uuid::Uuid::now_v7(),
                ids[*i],
                day(*b),
                scaled(*q)
            )
        })
        .collect();
    insert(&mut conn, "INSERT INTO demands (id, company_id, item_id, kind, due_date, quantity, source_type, source_id, note, version, created_at, updated_at)", &demands);
    let firm: Vec<String> = input
        .scheduled_receipts
        .iter()
        .map(|(i, b, q)| {
            let lt = input.items[*i].lead_time;
            format!(
                "('{}','{company}','{}','{}','firm',{},'{}','{}',FALSE,-1,NULL,'[]',1,{TS},{TS})",
                uuid::Uuid::now_v7(),
                ids[*i],
                if makes[*i] { "make" } else { "buy" },
                scaled(*q),
                day(b.saturating_sub(lt)),
                day(*b)
            )
        })
        .collect();
    insert(&mut conn, "INSERT INTO planned_orders (id, company_id, item_id, kind, status, quantity, release_date, due_date, past_due, ordinal, run_id, pegs, version, created_at, updated_at)", &firm);
    if app.is_postgres() {
        conn.batch_execute("ANALYZE").unwrap();
    }
    ids
}

/// Pages through every planned order, 500 a page, as a front end showing the plan would:
/// how many pages, and the median and slowest page.
fn read_plan(app: &TestApp, token: &str) -> String {
    let mut times = Vec::new();
    let mut orders = 0;
    let mut cursor = String::new();
    loop {
        let t = Instant::now();
        let page = app
            .get(
                &format!("/api/v1/mrp/planned-orders?limit=500{cursor}"),
                token,
            )
            .expect(200)
            .body;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        orders += page["items"].as_array().map_or(0, |a| a.len());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    let first = times[0];
    let last = times[times.len() - 1];
    times.sort_by(f64::total_cmp);
    format!(
        "plan read back: {orders} orders in {} pages of 500, page median {:.1} ms, first {first:.1} ms, last {last:.1} ms, slowest {:.1} ms",
        times.len(),
        times[times.len() / 2],
        times[times.len() - 1]
    )
}

/// Net-change runs with nothing changed, POST to the poll that sees the end (polled every
/// millisecond): the median and slowest of `times`.
fn idle_runs(app: &TestApp, token: &str, form: &serde_json::Value, times: usize) -> String {
    let mut walls = Vec::new();
    let mut server = Vec::new();
    for _ in 0..times {
        let t = Instant::now();
        let started = app
            .post("/api/v1/mrp/runs", token, form.clone())
            .expect(202);
        let location = started.header("location").expect("location").to_string();
        let run = loop {
            let r = app.get(&location, token).expect(200);
            if r.body["status"] != "running" {
                break r.body;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        };
        walls.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(run["inputs_unchanged"], true, "{run}");
        server.push(run["duration_ms"].as_i64().unwrap_or(-1));
    }
    walls.sort_by(f64::total_cmp);
    server.sort();
    format!(
        "net change with nothing changed ({times} runs): median {:.1} ms wall ({} ms in the run), slowest {:.1} ms",
        walls[times / 2],
        server[times / 2],
        walls[times - 1]
    )
}

fn main() {
    let shape = if std::env::args().any(|a| a == "daily") {
        DAILY
    } else {
        WEEKLY
    };
    let form = json!({"start_date": START, "bucket": shape.bucket, "buckets": shape.buckets});
    let mut net_form = form.clone();
    net_form["mode"] = json!("net_change");
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1000, 10_000]
    } else {
        sizes
    };
    for n in sizes {
        let mut rng = rand::rngs::StdRng::seed_from_u64(42);
        let input = generate_shaped(n, &shape, &mut rng);
        let app = TestApp::spawn();
        let admin = app.admin_token();
        let t = Instant::now();
        let ids = load(&app, &admin, &input, &shape);
        let loaded = t.elapsed();
        let before = peak_rss_mib();
        let t = Instant::now();
        let run = mrp_run(&app, &admin, form.clone());
        let wall = t.elapsed();
        assert_eq!(run["status"], "succeeded", "{run}");
        let reading = read_plan(&app, &admin);
        app.post(
            "/api/v1/mrp/demands",
            &admin,
            json!({"item_id": ids[0], "kind": "mps", "due_date": "2027-03-01", "quantity": "7"}),
        )
        .expect(201);
        let t = Instant::now();
        let net = mrp_run(&app, &admin, net_form.clone());
        let net_wall = t.elapsed();
        assert_eq!(net["status"], "succeeded", "{net}");
        let idle = idle_runs(&app, &admin, &net_form, 9);
        println!(
            "{} {} items={n:<7} data written in {:>6.1} s | regenerative: {:>8.0} ms wall, {:>8} ms in the run (load {} / plan {} / save {}), planned_orders={} | {reading} | net change after 1 MPS entry: {:>7.0} ms wall (load {} / plan {} / save {}), {} items re-planned | {idle} | peak RSS {:.0} MiB (before the runs {:.0} MiB)",
            if app.is_postgres() { "PostgreSQL" } else { "SQLite" },
            shape.bucket,
            loaded.as_secs_f64(),
            wall.as_secs_f64() * 1000.0,
            run["duration_ms"],
            run["load_ms"],
            run["plan_ms"],
            run["save_ms"],
            run["planned_orders"],
            net_wall.as_secs_f64() * 1000.0,
            net["load_ms"],
            net["plan_ms"],
            net["save_ms"],
            net["items_replanned"],
            peak_rss_mib(),
            before
        );
    }
}
