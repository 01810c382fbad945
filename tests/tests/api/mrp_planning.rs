//! The planning run through the API: MRP records, planned orders, pegging, action messages,
//! net change, the run as a job, and planning reports.

use erp_tests::builders::{check_id_filter, item, mrp_run, put, receive, Stockroom};
use erp_tests::TestApp;
use serde_json::{json, Value};

/// Monday 4 January 2027, the start of every horizon here.
const START: &str = "2027-01-04";

fn planning(app: &TestApp, admin: &str, item: &str, body: Value) {
    put(
        app,
        &format!("/api/v1/mrp/items/{item}/planning"),
        admin,
        body,
    )
    .expect(200);
}

fn demand(app: &TestApp, admin: &str, item: &str, kind: &str, due: &str, qty: &str) -> String {
    app.post(
        "/api/v1/mrp/demands",
        admin,
        json!({"item_id": item, "kind": kind, "due_date": due, "quantity": qty}),
    )
    .expect(201)
    .id()
}

fn row(record: &Value, name: &str) -> Vec<String> {
    record["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b[name].as_str().unwrap().to_string())
        .collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

struct Plant {
    room: Stockroom,
    a: String,
    b: String,
    c: String,
    e: String,
    supplier: String,
    po: String,
}

/// A (make, 1 week) = 2 B + 1 C. B: buy, 2 weeks, fixed lots of 50, 30 on hand.
/// C: buy, 1 week, lot-for-lot, 25 on order for week 3. E: buy, 2 weeks.
/// MPS: A 10 in week 2, 15 in week 4; E 5 in week 1.
fn plant(app: &TestApp, admin: &str) -> Plant {
    let room = Stockroom::create(app, admin, "PLANT");
    let supplier = app
        .post(
            "/api/v1/partners",
            admin,
            json!({"kind": "organisation", "name": "Acme", "roles": ["supplier"]}),
        )
        .expect(201)
        .id();
    let a = item(
        app,
        admin,
        "A",
        json!({"procurement": "make", "lead_time_days": 7}),
    );
    let b = item(
        app,
        admin,
        "B",
        json!({"lead_time_days": 14, "default_supplier_id": supplier, "supplier_price": "1.00"}),
    );
    let c = item(
        app,
        admin,
        "C",
        json!({"lead_time_days": 7, "standard_cost": "2.00"}),
    );
    let e = item(app, admin, "E", json!({"lead_time_days": 14}));
    planning(
        app,
        admin,
        &b,
        json!({"lot_sizing": {"rule": "fixed_order_quantity", "quantity": "50"}}),
    );
    app.post(
        "/api/v1/mrp/boms",
        admin,
        json!({"item_id": a, "activate": true, "lines": [{"component_id": b, "quantity": "2"}, {"component_id": c, "quantity": "1"}]}),
    )
    .expect(201);
    receive(app, admin, &b, &room.stock, "30", "1.00");
    let po = app
        .post(
            "/api/v1/inventory/purchase-orders",
            admin,
            json!({"supplier_id": supplier, "warehouse_id": room.warehouse, "lines": [{"item_id": c, "quantity": "25", "unit_price": "2.00", "expected_date": "2027-01-25"}]}),
        )
        .expect(201)
        .id();
    app.post(
        &format!("/api/v1/inventory/purchase-orders/{po}/confirm"),
        admin,
        json!({}),
    )
    .expect(200);
    demand(app, admin, &a, "mps", "2027-01-18", "10");
    demand(app, admin, &a, "mps", "2027-02-01", "15");
    demand(app, admin, &e, "mps", "2027-01-11", "5");
    Plant {
        room,
        a,
        b,
        c,
        e,
        supplier,
        po,
    }
}

fn record(app: &TestApp, admin: &str, item: &str) -> Value {
    app.get(&format!("/api/v1/mrp/items/{item}/record"), admin)
        .expect(200)
        .body
}

#[test]
fn a_regenerative_run_gives_the_textbook_records() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let p = plant(&app, &admin);
    let run = mrp_run(
        &app,
        &admin,
        json!({"start_date": START, "bucket": "week", "buckets": 6}),
    );
    assert_eq!(run["status"], "succeeded", "{run}");
    assert_eq!(run["mode"], "regenerative");
    assert_eq!(run["items_planned"], 4);
    assert_eq!(run["planned_orders"], 5, "A twice, B, C, E");
    assert!(run["duration_ms"].as_i64().is_some());

    let a = record(&app, &admin, &p.a);
    assert_eq!(a["low_level_code"], 0);
    assert_eq!(
        row(&a, "gross_requirements"),
        strings(&["0", "0", "10", "0", "15", "0"])
    );
    assert_eq!(
        row(&a, "planned_order_receipts"),
        strings(&["0", "0", "10", "0", "15", "0"])
    );
    assert_eq!(
        row(&a, "planned_order_releases"),
        strings(&["0", "10", "0", "15", "0", "0"])
    );
    assert_eq!(a["buckets"][1]["start_date"], "2027-01-11");

    // B: 20 needed in week 1 and 30 in week 3; 30 on hand cover week 1 and 10 of week 3:
    // one lot of 50 arrives in week 3, released 2 weeks earlier.
    let b = record(&app, &admin, &p.b);
    assert_eq!(b["low_level_code"], 1);
    assert_eq!(b["on_hand"], "30");
    assert_eq!(
        row(&b, "gross_requirements"),
        strings(&["0", "20", "0", "30", "0", "0"])
    );
    assert_eq!(
        row(&b, "projected_on_hand"),
        strings(&["30", "10", "10", "30", "30", "30"])
    );
    assert_eq!(
        row(&b, "net_requirements"),
        strings(&["0", "0", "0", "20", "0", "0"])
    );
    assert_eq!(
        row(&b, "planned_order_receipts"),
        strings(&["0", "0", "0", "50", "0", "0"])
    );
    assert_eq!(
        row(&b, "planned_order_releases"),
        strings(&["0", "50", "0", "0", "0", "0"])
    );

    // C: the order for week 3 counts as a scheduled receipt; week 1 is short by 10.
    let c = record(&app, &admin, &p.c);
    assert_eq!(
        row(&c, "scheduled_receipts"),
        strings(&["0", "0", "0", "25", "0", "0"])
    );
    assert_eq!(
        row(&c, "projected_on_hand"),
        strings(&["0", "0", "0", "10", "10", "10"])
    );
    assert_eq!(
        row(&c, "planned_order_releases"),
        strings(&["10", "0", "0", "0", "0", "0"])
    );

    let orders = app
        .get(
            &format!("/api/v1/mrp/planned-orders?item_id={}", p.b),
            &admin,
        )
        .expect(200)
        .body;
    let o = &orders["items"][0];
    assert_eq!(
        (o["kind"].as_str(), o["quantity"].as_str()),
        (Some("buy"), Some("50"))
    );
    assert_eq!(
        (o["release_date"].as_str(), o["due_date"].as_str()),
        (Some("2027-01-11"), Some("2027-01-25"))
    );
    let e = app
        .get(
            &format!("/api/v1/mrp/planned-orders?item_id={}", p.e),
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(
        e["items"][0]["past_due"], true,
        "E is due in week 1 with a 2-week lead time"
    );
    assert_eq!(e["items"][0]["release_date"], "2026-12-28");
    // The record's past-due column shows what should already have been released; bucket 0
    // releases it now. Items released on time have nothing past due.
    let e_record = record(&app, &admin, &p.e);
    let late = e["items"][0]["quantity"].clone();
    assert_eq!(e_record["past_due_releases"], late);
    assert_eq!(e_record["buckets"][0]["planned_order_releases"], late);
    assert_eq!(b["past_due_releases"], "0");
    assert_eq!(c["past_due_releases"], "0");
}

#[test]
fn pegging_leads_from_a_component_order_to_the_master_schedule() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let p = plant(&app, &admin);
    mrp_run(&app, &admin, json!({"start_date": START, "buckets": 6}));
    let b = app
        .get(
            &format!("/api/v1/mrp/planned-orders?item_id={}", p.b),
            &admin,
        )
        .expect(200)
        .body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let peg = app
        .get(&format!("/api/v1/mrp/planned-orders/{b}/pegging"), &admin)
        .expect(200)
        .body;
    // On hand covers week 1 and 10 of week 3; the lot serves the other 20 of A's second order.
    let pegs = peg["pegs"].as_array().unwrap();
    assert_eq!(pegs.len(), 1, "{peg}");
    assert_eq!(pegs[0]["source_type"], "planned_order");
    assert_eq!(pegs[0]["quantity"], "20");
    let parent = &pegs[0]["parent"];
    assert_eq!(parent["order"]["sku"], "A");
    assert_eq!(parent["order"]["quantity"], "15");
    let top = &parent["pegs"][0];
    assert_eq!(
        (top["source_type"].as_str(), top["demand_kind"].as_str()),
        (Some("demand"), Some("mps"))
    );
    assert_eq!(top["due_date"], "2027-02-01");
    assert_eq!(top["quantity"], "15");
}

#[test]
fn action_messages_compare_supply_to_the_plan() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let p = plant(&app, &admin);
    // C's order due in week 1 falls inside a two-week planning time fence.
    planning(&app, &admin, &p.c, json!({"planning_time_fence_days": 14}));
    mrp_run(&app, &admin, json!({"start_date": START, "buckets": 6}));
    let list = app
        .get("/api/v1/mrp/action-messages", &admin)
        .expect(200)
        .body;
    let got: Vec<(String, String)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_string(),
                m["sku"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for want in [
        ("release", "C"),
        ("expedite", "C"),
        ("past_due", "E"),
        ("time_fence", "C"),
    ] {
        assert!(
            got.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} missing in {got:?}"
        );
    }
    let expedite = app
        .get("/api/v1/mrp/action-messages?kind=expedite", &admin)
        .expect(200)
        .body;
    let m = &expedite["items"][0];
    assert_eq!(m["reference_type"], "purchase_order");
    assert_eq!(m["reference_id"], p.po);
    assert_eq!(
        (m["scheduled_date"].as_str(), m["suggested_date"].as_str()),
        (Some("2027-01-25"), Some("2027-01-11"))
    );
    assert!(
        m["message"].as_str().unwrap().starts_with("expedite"),
        "{m}"
    );
    // A item without lead time that gets an order is a data error.
    let f = item(&app, &admin, "F", json!({}));
    demand(&app, &admin, &f, "forecast", "2027-01-18", "3");
    mrp_run(&app, &admin, json!({"start_date": START, "buckets": 6}));
    let errors = app
        .get("/api/v1/mrp/action-messages?kind=missing_lead_time", &admin)
        .expect(200)
        .body;
    assert_eq!(errors["items"][0]["sku"], "F");
    // One message a page gives the whole list, in the same order on both backends: the
    // undated data error first, then by scheduled date, none lost or repeated.
    let all = app
        .get("/api/v1/mrp/action-messages?limit=500", &admin)
        .expect(200)
        .body;
    assert!(all["next_cursor"].is_null());
    let all = all["items"].as_array().unwrap().clone();
    assert!(all.len() >= 5, "{all:?}");
    let mut paged = Vec::new();
    let mut path = "/api/v1/mrp/action-messages?limit=1".to_string();
    loop {
        let page = app.get(&path, &admin).expect(200).body;
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        paged.push(page["items"][0].clone());
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/mrp/action-messages?limit=1&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(paged, all);
    assert_eq!(
        (
            paged[0]["kind"].as_str(),
            paged[0]["scheduled_date"].as_str()
        ),
        (Some("missing_lead_time"), None)
    );
    let dates: Vec<&str> = paged[1..]
        .iter()
        .map(|m| m["scheduled_date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    let r = app
        .get(
            "/api/v1/mrp/action-messages?cursor=bm90LWEtY3Vyc29y",
            &admin,
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["cursor"]);
    // A kind the plan does not know is refused by name, not read as "none of them".
    let r = app
        .get("/api/v1/mrp/action-messages?kind=missing_leadtime", &admin)
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["kind"]);
}

#[test]
fn sales_orders_consume_the_forecast_and_the_mps_overrides_both() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let x = item(&app, &admin, "X", json!({"lead_time_days": 0}));
    let y = item(&app, &admin, "Y", json!({"lead_time_days": 0}));
    // X week 0: forecast 10, sales 4 -> 10. Week 1: forecast 10, sales 12 -> 12.
    demand(&app, &admin, &x, "forecast", "2027-01-04", "10");
    demand(&app, &admin, &x, "sales_order", "2027-01-05", "4");
    demand(&app, &admin, &x, "forecast", "2027-01-11", "10");
    demand(&app, &admin, &x, "sales_order", "2027-01-12", "12");
    // Y: the master schedule says 7 whatever the forecast says.
    demand(&app, &admin, &y, "forecast", "2027-01-04", "50");
    demand(&app, &admin, &y, "mps", "2027-01-04", "7");
    // A demand fed again from the same source replaces the first one.
    let first = app
        .post("/api/v1/mrp/demands", &admin, json!({"item_id": y, "kind": "sales_order", "due_date": "2027-01-18", "quantity": "5", "source_type": "sales_order", "source_id": "SO-1"}))
        .expect(201);
    let again = app
        .post("/api/v1/mrp/demands", &admin, json!({"item_id": y, "kind": "sales_order", "due_date": "2027-01-18", "quantity": "6", "source_type": "sales_order", "source_id": "SO-1"}))
        .expect(200);
    assert_eq!(first.id(), again.id());
    mrp_run(
        &app,
        &admin,
        json!({"start_date": START, "bucket": "week", "buckets": 3}),
    );
    assert_eq!(
        row(&record(&app, &admin, &x), "gross_requirements"),
        strings(&["10", "12", "0"])
    );
    assert_eq!(
        row(&record(&app, &admin, &y), "gross_requirements"),
        strings(&["7", "0", "6"])
    );
    let listed = app
        .get(
            &format!("/api/v1/mrp/demands?item_id={x}&kind=forecast"),
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
    app.delete(&format!("/api/v1/mrp/demands/{}", first.id()), &admin)
        .expect(204);
    app.post(
        "/api/v1/mrp/demands",
        &admin,
        json!({"item_id": x, "kind": "mps", "due_date": "2027-01-04", "quantity": "-3"}),
    )
    .expect_problem(422, "validation_failed");
    app.post("/api/v1/mrp/demands", &admin, json!({"item_id": "00000000-0000-0000-0000-000000000000", "kind": "mps", "due_date": "2027-01-04", "quantity": "3"}))
        .expect_problem(422, "validation_failed");
}

/// Every planned order as (sku, quantity, release, due), sorted.
fn plan_of(app: &TestApp, admin: &str) -> Vec<(String, String, String, String)> {
    let mut out: Vec<_> = listed(app, admin, "", 500)
        .iter()
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap().to_string();
            (s("sku"), s("quantity"), s("release_date"), s("due_date"))
        })
        .collect();
    out.sort();
    out
}

/// Every action message as (kind, sku, scheduled date, quantity, text), sorted.
fn messages_of(app: &TestApp, admin: &str) -> Vec<(String, String, String, String, String)> {
    let page = app
        .get("/api/v1/mrp/action-messages?limit=500", admin)
        .expect(200)
        .body;
    assert!(page["next_cursor"].is_null(), "{page}");
    let mut out: Vec<_> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let s = |k: &str| m[k].as_str().unwrap_or_default().to_string();
            (
                s("kind"),
                s("sku"),
                s("scheduled_date"),
                s("quantity"),
                s("message"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_net_change_run_replans_what_changed_and_agrees_with_a_regenerative_run() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let p = plant(&app, &admin);
    // Another product line that the change does not touch.
    let g = item(
        &app,
        &admin,
        "G",
        json!({"procurement": "make", "lead_time_days": 7}),
    );
    let h = item(&app, &admin, "H", json!({"lead_time_days": 7}));
    app.post(
        "/api/v1/mrp/boms",
        &admin,
        json!({"item_id": g, "activate": true, "lines": [{"component_id": h, "quantity": "3"}]}),
    )
    .expect(201);
    demand(&app, &admin, &g, "mps", "2027-01-25", "4");
    planning(&app, &admin, &g, json!({"planning_time_fence_days": 0}));
    let horizon = json!({"start_date": START, "buckets": 8});
    mrp_run(&app, &admin, horizon.clone());
    // The change: more of A in week 5.
    demand(&app, &admin, &p.a, "mps", "2027-02-08", "12");
    let mut net_body = horizon.clone();
    net_body["mode"] = json!("net_change");
    let net = mrp_run(&app, &admin, net_body);
    assert_eq!(net["mode"], "net_change");
    let replanned = net["items_replanned"].as_i64().unwrap();
    assert!(
        replanned >= 1 && replanned < net["items_planned"].as_i64().unwrap(),
        "{net}"
    );
    let after_net = plan_of(&app, &admin);
    let messages_net = messages_of(&app, &admin);
    let records_net: Vec<Value> = [&p.a, &p.b, &p.c, &p.e, &g, &h]
        .iter()
        .map(|i| record(&app, &admin, i)["buckets"].clone())
        .collect();
    let regen = mrp_run(&app, &admin, horizon);
    assert_eq!(regen["items_replanned"], regen["items_planned"]);
    assert_eq!(plan_of(&app, &admin), after_net);
    // The messages too: those of the items kept were kept, the others written anew.
    assert_eq!(messages_of(&app, &admin), messages_net);
    assert_eq!(net["messages"], regen["messages"], "{net} {regen}");
    let records_regen: Vec<Value> = [&p.a, &p.b, &p.c, &p.e, &g, &h]
        .iter()
        .map(|i| record(&app, &admin, i)["buckets"].clone())
        .collect();
    assert_eq!(records_net, records_regen);
    // With nothing changed, a net-change run plans nothing again.
    let idle = net_change(&app, &admin);
    assert_eq!(idle["items_replanned"], 0, "{idle}");
    assert_eq!(plan_of(&app, &admin), after_net);
    assert_eq!(messages_of(&app, &admin), messages_net);
    // A time fence set on G re-plans G alone, and its messages say so.
    planning(&app, &admin, &g, json!({"planning_time_fence_days": 60}));
    let fenced = net_change(&app, &admin);
    assert_eq!(fenced["items_replanned"], 1, "{fenced}");
    let fence_messages: Vec<_> = messages_of(&app, &admin)
        .into_iter()
        .filter(|m| m.0 == "time_fence")
        .collect();
    assert!(
        !fence_messages.is_empty() && fence_messages.iter().all(|m| m.1 == "G"),
        "{fence_messages:?}"
    );
    // Its messages name the kept planned orders by their ids, as the first run did.
    let messages = app
        .get("/api/v1/mrp/action-messages?limit=500", &admin)
        .expect(200)
        .body;
    let about_orders: Vec<&Value> = messages["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["reference_type"] == "planned_order")
        .collect();
    assert!(!about_orders.is_empty(), "{messages}");
    for m in about_orders {
        let id = m["reference_id"].as_str().unwrap();
        let order = app
            .get(&format!("/api/v1/mrp/planned-orders/{id}"), &admin)
            .expect(200)
            .body;
        assert_eq!(order["sku"], m["sku"], "{m}");
        assert_eq!(order["quantity"], m["quantity"], "{m}");
    }
}

/// Receives part of the first line of a confirmed purchase order.
fn receive_order(app: &TestApp, admin: &str, po: &str) {
    let path = format!("/api/v1/inventory/purchase-orders/{po}");
    let line = app.get(&path, admin).expect(200).body["lines"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        &format!("{path}/receive"),
        admin,
        json!({"lines": [{"line_id": line, "quantity": "10"}]}),
    )
    .expect(200);
}

/// A net-change run over the plant's 8-week horizon.
fn net_change(app: &TestApp, admin: &str) -> Value {
    mrp_run(
        app,
        admin,
        json!({"start_date": START, "buckets": 8, "mode": "net_change"}),
    )
}

#[test]
fn a_net_change_run_keeps_the_plan_unread_until_an_input_changes_and_notices_every_kind() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let p = plant(&app, &admin);
    let x = item(
        &app,
        &admin,
        "X",
        json!({"procurement": "make", "lead_time_days": 7}),
    );
    demand(&app, &admin, &x, "mps", "2027-02-01", "3");
    let first = mrp_run(&app, &admin, json!({"start_date": START, "buckets": 8}));
    assert_eq!(first["inputs_unchanged"], false, "{first}");
    let plan = plan_of(&app, &admin);
    let messages = messages_of(&app, &admin);

    // Nothing changed: the plan stands as stored, with the counts of the run that made it.
    let idle = net_change(&app, &admin);
    assert_eq!(
        (
            &idle["inputs_unchanged"],
            &idle["items_replanned"],
            &idle["mode"]
        ),
        (&json!(true), &json!(0), &json!("net_change")),
        "{idle}"
    );
    for k in ["items_planned", "planned_orders", "messages"] {
        assert_eq!(idle[k], first[k], "{k}: {idle}");
    }
    assert_eq!(plan_of(&app, &admin), plan);
    assert_eq!(messages_of(&app, &admin), messages);
    // Writing what planning does not read keeps it so: a name, a new partner.
    let version = app
        .get(&format!("/api/v1/inventory/items/{}", p.e), &admin)
        .expect(200)
        .body["version"]
        .as_i64()
        .unwrap();
    app.patch(
        &format!("/api/v1/inventory/items/{}", p.e),
        &admin,
        version,
        json!({"name": "Item E, renamed"}),
    )
    .expect(200);
    app.post(
        "/api/v1/partners",
        &admin,
        json!({"kind": "organisation", "name": "Other", "roles": ["customer"]}),
    )
    .expect(201);
    assert_eq!(net_change(&app, &admin)["inputs_unchanged"], true);

    // Each kind of input, changed through the API, is seen by the next net-change run, and
    // the run after that keeps the plan again.
    let item_e = || format!("/api/v1/inventory/items/{}", p.e);
    type Change<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let changes: Vec<Change> = vec![
        (
            "an item's lead time",
            Box::new(|| {
                let v = app.get(&item_e(), &admin).expect(200).body["version"]
                    .as_i64()
                    .unwrap();
                app.patch(&item_e(), &admin, v, json!({"lead_time_days": 21}))
                    .expect(200);
            }),
        ),
        (
            "planning data",
            Box::new(|| planning(&app, &admin, &p.e, json!({"safety_stock": "4"}))),
        ),
        (
            "demand",
            Box::new(|| {
                demand(&app, &admin, &p.e, "mps", "2027-02-15", "6");
            }),
        ),
        (
            "stock on hand",
            Box::new(|| {
                receive(&app, &admin, &p.c, &p.room.stock, "7", "2.00");
            }),
        ),
        (
            "a purchase order",
            Box::new(|| {
                app.post(
                    "/api/v1/inventory/purchase-orders",
                    &admin,
                    json!({"supplier_id": p.supplier, "warehouse_id": p.room.warehouse, "lines": [{"item_id": p.e, "quantity": "9", "unit_price": "1.00", "expected_date": "2027-02-08"}]}),
                )
                .expect(201);
            }),
        ),
        (
            "a purchase order line received",
            Box::new(|| receive_order(&app, &admin, &p.po)),
        ),
        (
            "a BOM",
            Box::new(|| {
                app.post(
                    "/api/v1/mrp/boms",
                    &admin,
                    json!({"item_id": x, "activate": true, "lines": [{"component_id": p.c, "quantity": "2"}]}),
                )
                .expect(201);
            }),
        ),
        (
            "a planned order firmed",
            Box::new(|| {
                let order = listed(&app, &admin, "", 500)
                    .into_iter()
                    .find(|o| o["status"] == "planned")
                    .expect("a planned order");
                app.post(
                    &format!(
                        "/api/v1/mrp/planned-orders/{}/firm",
                        order["id"].as_str().unwrap()
                    ),
                    &admin,
                    json!({}),
                )
                .expect(200);
            }),
        ),
        (
            "a production order released from the plan",
            Box::new(|| {
                let order = listed(&app, &admin, "&kind=make&status=planned", 500)
                    .into_iter()
                    .next()
                    .expect("a planned make order");
                let released = app
                    .post(
                        &format!(
                            "/api/v1/mrp/planned-orders/{}/release",
                            order["id"].as_str().unwrap()
                        ),
                        &admin,
                        json!({"location_id": p.room.stock}),
                    )
                    .expect(201)
                    .body;
                assert_eq!(released["document_type"], "production_order");
            }),
        ),
    ];
    for (what, change) in &changes {
        change();
        let seen = net_change(&app, &admin);
        assert_eq!(seen["status"], "succeeded", "{what}: {seen}");
        assert_eq!(seen["inputs_unchanged"], false, "{what}: {seen}");
        assert!(
            seen["items_replanned"].as_i64().unwrap() >= 1,
            "{what}: {seen}"
        );
        let again = net_change(&app, &admin);
        assert_eq!(again["inputs_unchanged"], true, "{what}, twice: {again}");
        assert_eq!(again["planned_orders"], seen["planned_orders"], "{what}");
    }
    // The background job folds what changed into one row per company, and that one row
    // still makes the next run read the data.
    for week in ["2027-02-01", "2027-02-08", "2027-02-15"] {
        demand(&app, &admin, &x, "forecast", week, "1");
    }
    // One pool for the counts and the job, not one per look.
    let db = app.db();
    let noted = || {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut c = db.get().expect("connection");
        diesel::sql_query("SELECT count(*) AS n FROM mrp_input_changes")
            .get_result::<Count>(&mut *c)
            .expect("count")
            .n
    };
    // (On SQLite, with one writer at a time, a company has at most one unclaimed row.)
    assert!(noted() >= 1, "{}", noted());
    {
        let mut c = db.get().expect("connection");
        erp_mrp::run::service::compact_input_changes(&mut c).expect("compacted");
    }
    assert_eq!(noted(), 1);
    let seen = net_change(&app, &admin);
    assert_eq!(seen["inputs_unchanged"], false, "{seen}");
    assert_eq!(noted(), 0, "the run that saw them forgot them");

    // The plan kept through all this is the one a regenerative run makes.
    let kept = plan_of(&app, &admin);
    let kept_messages = messages_of(&app, &admin);
    let regen = mrp_run(&app, &admin, json!({"start_date": START, "buckets": 8}));
    assert_eq!(regen["inputs_unchanged"], false, "{regen}");
    assert_eq!(plan_of(&app, &admin), kept);
    assert_eq!(messages_of(&app, &admin), kept_messages);
    // Another horizon is planned from the data, never kept.
    let wider = mrp_run(
        &app,
        &admin,
        json!({"start_date": START, "buckets": 9, "mode": "net_change"}),
    );
    assert_eq!(
        (&wider["inputs_unchanged"], &wider["mode"]),
        (&json!(false), &json!("regenerative")),
        "{wider}"
    );
}

#[test]
fn runs_never_overlap_and_an_interrupted_run_is_recorded_as_failed() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    // A run holds the company's lock: a second start is refused.
    let held = app
        .post("/api/v1/mrp/runs", &admin, json!({"buckets": 4}))
        .expect(202);
    let second = app.post("/api/v1/mrp/runs", &admin, json!({"buckets": 4}));
    if second.status == 202 {
        // The first finished in between; both ran one after the other, never together.
        assert_ne!(second.body["id"], held.body["id"]);
    } else {
        second.expect_problem(409, "run_in_progress");
    }
    // Simulate a server killed mid-run: a run left running with its lock.
    let db = app.db();
    let company = app.get("/api/v1/org/companies", &admin).expect(200).body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let stuck = uuid::Uuid::now_v7().to_string();
    // Whoever started it: an id as the server writes one (the run is read back typed).
    let starter = uuid::Uuid::now_v7().to_string();
    {
        use diesel::RunQueryDsl;
        let mut c = db.get().expect("connection");
        // Wait for every started run (the second may have started after the first ended)
        // to end, so the lock below is the only one.
        for _ in 0..500 {
            let runs = app.get("/api/v1/mrp/runs", &admin).expect(200).body;
            let running = runs["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["status"] == "running");
            if !running {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        diesel::sql_query(format!(
            "INSERT INTO mrp_runs (id, company_id, status, mode, start_date, bucket, buckets, progress, items_planned, items_replanned, planned_orders, messages, created_by, started_at) \
             VALUES ('{stuck}', '{company}', 'running', 'regenerative', '2027-01-04', 'week', 4, 'planning', 0, 0, 0, 0, '{starter}', '2027-01-04 00:00:00')"
        ))
        .execute(&mut *c)
        .expect("insert run");
        diesel::sql_query(format!(
            "INSERT INTO mrp_run_locks (company_id, run_id) VALUES ('{company}', '{stuck}')"
        ))
        .execute(&mut *c)
        .expect("insert lock");
    }
    app.post("/api/v1/mrp/runs", &admin, json!({"buckets": 4}))
        .expect_problem(409, "run_in_progress");
    // A restart marks it failed and frees the lock.
    let restarted = app.another_on_same_database();
    let r = restarted
        .get(&format!("/api/v1/mrp/runs/{stuck}"), &admin)
        .expect(200);
    assert_eq!(r.body["status"], "failed");
    assert!(r.body["error"].as_str().unwrap().contains("interrupted"));
    let run = mrp_run(&restarted, &admin, json!({"buckets": 4}));
    assert_eq!(run["status"], "succeeded");
    let runs = restarted.get("/api/v1/mrp/runs", &admin).expect(200).body;
    let all = runs["items"].as_array().unwrap().clone();
    assert!(all.len() >= 3, "{runs}");
    assert_eq!(runs["next_cursor"], Value::Null);
    // Two a page: every run once, the latest started first (the stuck one is dated ahead).
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/mrp/runs?limit=2&cursor={c}"),
            None => "/api/v1/mrp/runs?limit=2".to_string(),
        };
        let page = restarted.get(&path, &admin).expect(200).body;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        paged.extend(items.iter().map(|r| r["id"].clone()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let ids: Vec<Value> = all.iter().map(|r| r["id"].clone()).collect();
    assert_eq!(paged, ids);
    assert_eq!(paged[0], stuck.as_str(), "started latest");
    let started: Vec<chrono::DateTime<chrono::FixedOffset>> = all
        .iter()
        .map(|r| chrono::DateTime::parse_from_rfc3339(r["started_at"].as_str().unwrap()).unwrap())
        .collect();
    let mut sorted = started.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(started, sorted);
    restarted
        .get("/api/v1/mrp/runs?cursor=bm90LWEtY3Vyc29y", &admin)
        .expect_problem(422, "validation_failed");
}

#[test]
fn bad_run_parameters_and_missing_permissions_are_refused() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    app.post("/api/v1/mrp/runs", &admin, json!({"buckets": 0}))
        .expect_problem(422, "validation_failed");
    app.post("/api/v1/mrp/runs", &admin, json!({"bucket": "year"}))
        .expect_problem(422, "validation_failed");
    app.post(
        "/api/v1/mrp/runs",
        &admin,
        json!({"start_date": "2027-02-30"}),
    )
    .expect_problem(422, "validation_failed");
    let a = item(&app, &admin, "A", json!({}));
    app.get(&format!("/api/v1/mrp/items/{a}/record"), &admin)
        .expect_problem(409, "not_planned");
    let viewer = erp_tests::builders::UserBuilder::new("viewer")
        .permissions(&["mrp.plan.read"])
        .create(&app, &admin);
    app.post("/api/v1/mrp/runs", &viewer.token, json!({}))
        .expect_problem(403, "forbidden");
    app.get("/api/v1/mrp/runs", &viewer.token).expect(200);
}

#[test]
fn planning_reports_show_commitments_by_supplier_and_the_production_schedule() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let p = plant(&app, &admin);
    mrp_run(&app, &admin, json!({"start_date": START, "buckets": 6}));
    let r = app
        .get("/api/v1/mrp/reports/purchase-commitments", &admin)
        .expect(200)
        .body;
    let lines = r["lines"].as_array().unwrap();
    let b = lines
        .iter()
        .find(|l| l["sku"] == "B")
        .expect("B is planned to be bought");
    assert_eq!(b["supplier_id"], p.supplier);
    assert_eq!(b["supplier_name"], "Acme");
    assert_eq!(
        (b["period_start"].as_str(), b["planned_quantity"].as_str()),
        (Some("2027-01-25"), Some("50"))
    );
    let c = lines
        .iter()
        .find(|l| l["sku"] == "C" && l["open_quantity"] == "25")
        .expect("the open order of C");
    assert_eq!(c["period_start"], "2027-01-25");
    let monthly = app
        .get(
            "/api/v1/mrp/reports/purchase-commitments?bucket=month",
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(monthly["bucket"], "month");
    let s = app
        .get("/api/v1/mrp/reports/production-schedule", &admin)
        .expect(200)
        .body;
    let starts: Vec<&str> = s["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["start_date"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        vec!["2027-01-11", "2027-01-25"],
        "A's two planned orders, by start"
    );
    for line in s["lines"].as_array().unwrap() {
        assert_eq!(
            (&line["status"], &line["source_type"]),
            (&json!("planned"), &json!("planned_order"))
        );
    }
    let _ = (&p.room, &p.c);
}

#[test]
fn a_cycle_slipped_into_the_data_fails_the_run_with_a_message_naming_it() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = item(
        &app,
        &admin,
        "A",
        json!({"procurement": "make", "lead_time_days": 7}),
    );
    let b = item(
        &app,
        &admin,
        "B",
        json!({"procurement": "make", "lead_time_days": 7}),
    );
    app.post(
        "/api/v1/mrp/boms",
        &admin,
        json!({"item_id": a, "activate": true, "lines": [{"component_id": b, "quantity": "1"}]}),
    )
    .expect(201);
    let back = app
        .post(
            "/api/v1/mrp/boms",
            &admin,
            json!({"item_id": b, "lines": [{"component_id": a, "quantity": "1"}]}),
        )
        .expect(201)
        .id();
    // The API refuses to activate it; bad data can still arrive by other roads (an import,
    // a hand-edited database). The run must say so, not loop or plan nonsense.
    {
        use diesel::RunQueryDsl;
        let db = app.db();
        let mut c = db.get().expect("connection");
        diesel::sql_query(format!(
            "UPDATE boms SET status = 'active' WHERE id = '{back}'"
        ))
        .execute(&mut *c)
        .expect("activate behind the API's back");
    }
    let run = mrp_run(&app, &admin, json!({"start_date": START, "buckets": 4}));
    assert_eq!(run["status"], "failed");
    let error = run["error"].as_str().unwrap();
    assert!(
        error.contains("A -> B") || error.contains("B -> A"),
        "{error}"
    );
    let messages = app
        .get("/api/v1/mrp/action-messages?kind=bom_cycle", &admin)
        .expect(200)
        .body;
    assert_eq!(messages["items"][0]["message"], error);
    // A failed run has no plan to page through.
    app.get(
        &format!("/api/v1/mrp/runs/{}/records", run["id"].as_str().unwrap()),
        &admin,
    )
    .expect_problem(409, "run_not_succeeded");
    // The lock is free again.
    app.post(
        "/api/v1/mrp/runs",
        &admin,
        json!({"start_date": START, "buckets": 4}),
    )
    .expect(202);
}

#[test]
fn dates_at_the_ends_of_the_calendar_are_refused_not_crashed_on() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    app.post(
        "/api/v1/mrp/runs",
        &admin,
        json!({"start_date": "262000-01-01"}),
    )
    .expect_problem(422, "validation_failed");
    app.post(
        "/api/v1/mrp/runs",
        &admin,
        json!({"start_date": "0001-01-01"}),
    )
    .expect_problem(422, "validation_failed");
    app.get("/api/v1/mrp/capacity?start_date=262000-01-01", &admin)
        .expect_problem(422, "validation_failed");
    let x = item(&app, &admin, "X", json!({"lead_time_days": 3650}));
    app.post(
        "/api/v1/mrp/demands",
        &admin,
        json!({"item_id": x, "kind": "mps", "due_date": "1900-01-02", "quantity": "1"}),
    )
    .expect(201);
    let run = mrp_run(
        &app,
        &admin,
        json!({"start_date": "1900-01-01", "bucket": "month", "buckets": 520}),
    );
    assert_eq!(run["status"], "succeeded", "{run}");
}

/// The whole plan of a run in a few requests: every record, the same as reading it item by
/// item, filtered by item, low-level code or action messages; an older run's plan is gone.
#[test]
fn a_runs_records_page_through_the_whole_plan() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let p = plant(&app, &admin);
    let run = mrp_run(&app, &admin, json!({"start_date": START, "buckets": 6}));
    assert_eq!(run["status"], "succeeded");
    let id = run["id"].as_str().unwrap().to_string();
    let url = |query: &str| format!("/api/v1/mrp/runs/{id}/records{query}");
    // Two at a time: every planned item once, each as its own record says.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("?limit=2&cursor={c}"),
            None => "?limit=2".to_string(),
        };
        let page = app.get(&url(&query), &admin).expect(200).body;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        for r in items {
            let item = r["item_id"].as_str().unwrap();
            assert_eq!(r, &record(&app, &admin, item), "{item}");
            seen.push(r["sku"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(seen, strings(&["A", "B", "C", "E"]));
    let skus = |query: &str| -> Vec<String> {
        let mut s: Vec<String> = app.get(&url(query), &admin).expect(200).body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["sku"].as_str().unwrap().to_string())
            .collect();
        s.sort();
        s
    };
    assert_eq!(skus(&format!("?item_id={}", p.b)), strings(&["B"]));
    // A is the end item; B and C are its components one level down.
    assert_eq!(skus("?low_level_code=0"), strings(&["A", "E"]));
    assert_eq!(skus("?low_level_code=1"), strings(&["B", "C"]));
    // E's demand falls before its lead time allows: a past-due message, on E alone here.
    let with: Vec<String> = skus("?has_messages=true");
    let without: Vec<String> = skus("?has_messages=false");
    assert!(with.contains(&"E".to_string()), "{with:?}");
    assert_eq!(with.len() + without.len(), 4);
    assert!(without.iter().all(|s| !with.contains(s)));
    app.get(&url("?low_level_code=-1"), &admin)
        .expect_problem(422, "validation_failed");
    app.get(&url("?limit=0"), &admin)
        .expect_problem(422, "validation_failed");
    app.get(
        &format!("/api/v1/mrp/runs/{}/records", uuid::Uuid::now_v7()),
        &admin,
    )
    .expect_problem(404, "not_found");
    // A later run replaces the plan: the first run's records point to it.
    let later = mrp_run(&app, &admin, json!({"start_date": START, "buckets": 6}));
    let gone = app
        .get(&url(""), &admin)
        .expect_problem(409, "plan_superseded");
    let later_id = later["id"].as_str().unwrap();
    assert!(gone.body["detail"].as_str().unwrap().contains(later_id));
    assert_eq!(
        app.get(&format!("/api/v1/mrp/runs/{later_id}/records"), &admin)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    // Reading the plan needs the right to.
    let clerk = erp_tests::builders::UserBuilder::new("clerk")
        .permissions(&["inventory.item.read"])
        .create(&app, &admin);
    app.get(
        &format!("/api/v1/mrp/runs/{later_id}/records"),
        &clerk.token,
    )
    .expect_problem(403, "forbidden");
}

/// Every planned order of one listing, paged `limit` at a time with `filter`, as it came.
fn listed(app: &TestApp, admin: &str, filter: &str, limit: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app
            .get(
                &format!("/api/v1/mrp/planned-orders?limit={limit}{filter}{cursor}"),
                admin,
            )
            .expect(200)
            .body;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= limit, "{page}");
        out.extend(items.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    out
}

#[test]
fn the_planned_order_list_pages_through_plan_and_firm_orders_alike() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let p = plant(&app, &admin);
    demand(&app, &admin, &p.a, "mps", "2027-02-15", "8");
    demand(&app, &admin, &p.e, "mps", "2027-02-08", "3");
    // More items than a page reads plans at a time.
    for n in 0..40 {
        let x = item(&app, &admin, &format!("X{n}"), json!({"lead_time_days": 7}));
        demand(&app, &admin, &x, "mps", "2027-02-01", "1");
    }
    mrp_run(&app, &admin, json!({"start_date": START, "buckets": 8}));
    let all = listed(&app, &admin, "", 500);
    assert!(all.len() >= 46, "{all:?}");
    let ids = |list: &[Value]| -> Vec<String> {
        list.iter()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect()
    };
    let mut sorted = ids(&all);
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, ids(&all), "in id order, each once");

    // Firm one: it keeps its id and its place, now firm; the others stay planned.
    let chosen = all[all.len() / 2].clone();
    let id = chosen["id"].as_str().unwrap();
    let firmed = app
        .post(
            &format!("/api/v1/mrp/planned-orders/{id}/firm"),
            &admin,
            json!({}),
        )
        .expect(200)
        .body;
    assert_eq!(
        (firmed["status"].as_str(), firmed["version"].as_i64()),
        (Some("firm"), Some(2))
    );
    app.post(
        &format!("/api/v1/mrp/planned-orders/{id}/firm"),
        &admin,
        json!({}),
    )
    .expect(200);
    for limit in [1, 3, 100] {
        let paged = listed(&app, &admin, "", limit);
        assert_eq!(ids(&paged), ids(&all), "limit {limit}");
        let statuses: Vec<&str> = paged
            .iter()
            .map(|o| o["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == "firm").count(),
            1,
            "{paged:?}"
        );
    }
    assert_eq!(
        ids(&listed(&app, &admin, "&status=firm", 2)),
        vec![id.to_string()]
    );
    let planned = listed(&app, &admin, "&status=planned", 2);
    assert_eq!(planned.len(), all.len() - 1);
    // The filters agree with the whole list.
    let until = "2027-01-25";
    let expect: Vec<String> = all
        .iter()
        .filter(|o| o["release_date"].as_str().unwrap() <= until)
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!expect.is_empty() && expect.len() < all.len(), "{all:?}");
    assert_eq!(
        ids(&listed(&app, &admin, &format!("&release_until={until}"), 2)),
        expect
    );
    let makes = all.iter().filter(|o| o["kind"] == "make").count();
    assert!(makes > 0);
    assert_eq!(listed(&app, &admin, "&kind=make", 1).len(), makes);
    let of_a = all.iter().filter(|o| o["item_id"] == p.a.as_str()).count();
    assert_eq!(
        listed(&app, &admin, &format!("&item_id={}", p.a), 1).len(),
        of_a
    );

    // An id next to a real one, past the end of its plan, names no order.
    let last = all.last().unwrap()["id"].as_str().unwrap();
    let beyond = format!("{}fff", &last[..last.len() - 3]);
    app.get(&format!("/api/v1/mrp/planned-orders/{beyond}"), &admin)
        .expect_problem(404, "not_found");

    // A released order leaves the list and cannot be read or released again.
    let gone = all
        .iter()
        .find(|o| o["id"] != chosen["id"] && o["kind"] == "buy")
        .unwrap();
    let gone_id = gone["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/mrp/planned-orders/{gone_id}/release"),
        &admin,
        json!({"location_id": p.room.stock, "supplier_id": p.supplier}),
    )
    .expect(201);
    app.get(&format!("/api/v1/mrp/planned-orders/{gone_id}"), &admin)
        .expect_problem(404, "not_found");
    app.post(
        &format!("/api/v1/mrp/planned-orders/{gone_id}/release"),
        &admin,
        json!({"location_id": p.room.stock, "supplier_id": p.supplier}),
    )
    .expect_problem(404, "not_found");
    let left = ids(&listed(&app, &admin, "", 2));
    assert_eq!(left.len(), all.len() - 1);
    assert!(!left.contains(&gone_id.to_string()));

    // Orders of one item firmed at once: each is firm once, none lost or listed twice.
    let planned = listed(&app, &admin, "&status=planned", 500);
    let busiest = planned
        .iter()
        .map(|o| o["item_id"].as_str().unwrap())
        .max_by_key(|i| planned.iter().filter(|o| o["item_id"] == *i).count())
        .unwrap();
    let of_x: Vec<String> = planned
        .iter()
        .filter(|o| o["item_id"] == busiest)
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    assert!(of_x.len() >= 2, "{planned:?}");
    std::thread::scope(|s| {
        for id in &of_x {
            let (app, admin) = (&app, &admin);
            s.spawn(move || {
                app.post(
                    &format!("/api/v1/mrp/planned-orders/{id}/firm"),
                    admin,
                    json!({}),
                )
                .expect(200);
            });
        }
    });
    let after = listed(&app, &admin, "", 500);
    assert_eq!(ids(&after), left);
    for id in &of_x {
        let o = after.iter().find(|o| o["id"] == id.as_str()).unwrap();
        assert_eq!(o["status"], "firm", "{o}");
    }
}

#[test]
fn a_filter_naming_no_item_or_work_center_is_not_found_on_every_mrp_list() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let p = plant(&app, &admin);
    let run = mrp_run(&app, &admin, json!({"start_date": START, "buckets": 6}));
    let records = format!("/api/v1/mrp/runs/{}/records", run["id"].as_str().unwrap());
    let a = Some(p.a.as_str());
    for (path, param, real, entity) in [
        ("/api/v1/mrp/boms", "item_id", a, "item"),
        ("/api/v1/mrp/demands", "item_id", a, "item"),
        ("/api/v1/mrp/export/demands", "item_id", None, "item"),
        ("/api/v1/mrp/planned-orders", "item_id", a, "item"),
        ("/api/v1/mrp/action-messages", "item_id", a, "item"),
        ("/api/v1/mrp/production-orders", "item_id", a, "item"),
        (records.as_str(), "item_id", a, "item"),
        (
            "/api/v1/mrp/capacity",
            "work_center_id",
            None,
            "work_center",
        ),
        (
            "/api/v1/mrp/capacity/rough-cut",
            "work_center_id",
            None,
            "work_center",
        ),
    ] {
        check_id_filter(&app, &admin, path, param, real, entity);
    }
}
