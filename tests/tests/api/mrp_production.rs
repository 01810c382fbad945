//! Production orders (release, issue, backflush, operations, output, close, cancel), releasing
//! and firming planned orders, and capacity planning through the API.

use erp_tests::builders::{item, mrp_run, on_hand, put, receive, Stockroom, UserBuilder};
use erp_tests::TestApp;
use serde_json::{json, Value};

struct Shop {
    room: Stockroom,
    a: String,
    b: String,
    c: String,
    wc: String,
}

/// A (make) = 2 B + 1 C, routed through ASSY (30 an hour): setup 1 h, 0.1 h a unit.
fn shop(app: &TestApp, admin: &str) -> Shop {
    let room = Stockroom::create(app, admin, "SHOP");
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
        json!({"standard_cost": "1.00", "lead_time_days": 7}),
    );
    let c = item(
        app,
        admin,
        "C",
        json!({"standard_cost": "2.00", "lead_time_days": 7}),
    );
    app.post(
        "/api/v1/mrp/boms",
        admin,
        json!({"item_id": a, "activate": true, "lines": [{"component_id": b, "quantity": "2"}, {"component_id": c, "quantity": "1"}]}),
    )
    .expect(201);
    let wc = app
        .post("/api/v1/mrp/work-centers", admin, json!({"code": "ASSY", "name": "Assembly", "hours_per_day": "8", "cost_per_hour": "30"}))
        .expect(201)
        .id();
    put(
        app,
        &format!("/api/v1/mrp/items/{a}/routing"),
        admin,
        json!({"operations": [{"seq": 10, "name": "assemble", "work_center_id": wc, "setup_hours": "1", "run_hours": "0.1"}]}),
    )
    .expect(200);
    Shop { room, a, b, c, wc }
}

fn component<'a>(order: &'a Value, sku: &str) -> &'a Value {
    order["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["sku"] == sku)
        .unwrap()
}

#[test]
fn a_production_order_runs_from_release_to_the_plan_against_actual_report() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let s = shop(&app, &admin);
    receive(&app, &admin, &s.b, &s.room.stock, "100", "1.00");
    receive(&app, &admin, &s.c, &s.room.stock, "5", "2.00");
    let o = app
        .post(
            "/api/v1/mrp/production-orders",
            &admin,
            json!({"item_id": s.a, "quantity": "10", "location_id": s.room.stock, "start_date": "2027-01-04", "due_date": "2027-01-08"}),
        )
        .expect(201)
        .body;
    assert!(o["number"].as_str().unwrap().starts_with("MO-2027-"));
    assert_eq!(o["status"], "released");
    // Materials 20 × 1.00 + 10 × 2.00, operations (1 + 10 × 0.1) h × 30.
    assert_eq!(o["planned_cost"], "100.00");
    let b = component(&o, "B");
    assert_eq!(
        (
            b["quantity_required"].as_str(),
            b["quantity_reserved"].as_str()
        ),
        (Some("20"), Some("20"))
    );
    let c = component(&o, "C");
    assert_eq!(
        (c["quantity_reserved"].as_str(), c["shortage"].as_str()),
        (Some("5"), Some("5")),
        "only 5 C were there"
    );
    assert_eq!(on_hand(&app, &admin, &s.b, &s.room.stock)["reserved"], "20");
    let id = o["id"].as_str().unwrap().to_string();
    let path = |p: &str| format!("/api/v1/mrp/production-orders/{id}{p}");

    // Issuing all needs 10 C; 5 are missing and nothing is issued.
    app.post(&path("/issue"), &admin, json!({}))
        .expect_problem(409, "insufficient_stock");
    assert_eq!(on_hand(&app, &admin, &s.b, &s.room.stock)["on_hand"], "100");
    receive(&app, &admin, &s.c, &s.room.stock, "5", "2.00");
    app.post(
        &path("/issue"),
        &admin,
        json!({"lines": [{"item_id": s.b, "quantity": "25"}]}),
    )
    .expect_problem(422, "validation_failed");
    let issued = app
        .post(&path("/issue"), &admin, json!({}))
        .expect(200)
        .body;
    assert_eq!(issued["status"], "in_progress");
    assert_eq!(component(&issued, "B")["issued_cost"], "20.00");
    assert_eq!(component(&issued, "C")["quantity_issued"], "10");
    assert_eq!(on_hand(&app, &admin, &s.b, &s.room.stock)["on_hand"], "80");
    assert_eq!(on_hand(&app, &admin, &s.b, &s.room.stock)["reserved"], "0");
    app.post(&path("/issue"), &admin, json!({}))
        .expect_problem(409, "nothing_to_issue");

    let reported = app
        .post(
            &path("/operations/10/report"),
            &admin,
            json!({"quantity_done": "10", "setup_hours": "1.5", "run_hours": "1.2"}),
        )
        .expect(200)
        .body;
    assert_eq!(reported["operations"][0]["status"], "done");
    app.post(
        &path("/operations/99/report"),
        &admin,
        json!({"quantity_done": "1"}),
    )
    .expect_problem(404, "not_found");

    let part = app
        .post(&path("/receive"), &admin, json!({"quantity": "4"}))
        .expect(200)
        .body;
    assert_eq!(
        (part["status"].as_str(), part["quantity_completed"].as_str()),
        (Some("in_progress"), Some("4"))
    );
    assert_eq!(on_hand(&app, &admin, &s.a, &s.room.stock)["on_hand"], "4");
    app.post(&path("/receive"), &admin, json!({"quantity": "7"}))
        .expect_problem(409, "over_completion");
    let done = app
        .post(&path("/receive"), &admin, json!({"quantity": "6"}))
        .expect(200)
        .body;
    assert_eq!(done["status"], "completed");

    let report = app
        .post(&path("/close"), &admin, json!({}))
        .expect(200)
        .body;
    assert_eq!(report["status"], "closed");
    assert_eq!(report["planned_cost"], "100.00");
    // Actual: 40.00 of materials, 2.7 h × 30 = 81.00.
    assert_eq!(report["actual_cost"], "121.00");
    assert_eq!(report["variance"], "21.00");
    assert_eq!(report["actual_unit_cost"], "12.10");
    assert_eq!(report["operations"][0]["actual_hours"], "2.7");
    app.post(&path("/receive"), &admin, json!({"quantity": "1"}))
        .expect_problem(409, "invalid_state");
    let moves = app
        .get(
            &format!("/api/v1/inventory/stock-moves?item_id={}", s.a),
            &admin,
        )
        .expect(200)
        .body;
    assert!(moves["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["reference_type"] == "production_order"));
    assert_eq!(
        app.get(&path("/report"), &admin).expect(200).body["variance"],
        "21.00"
    );
}

#[test]
fn backflush_issues_components_as_output_is_received_and_cancel_frees_reservations() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let s = shop(&app, &admin);
    receive(&app, &admin, &s.b, &s.room.stock, "40", "1.00");
    receive(&app, &admin, &s.c, &s.room.stock, "20", "2.00");
    let o = app
        .post(
            "/api/v1/mrp/production-orders",
            &admin,
            json!({"item_id": s.a, "quantity": "10", "location_id": s.room.stock, "due_date": "2027-01-08", "backflush": true}),
        )
        .expect(201)
        .body;
    let id = o["id"].as_str().unwrap();
    let half = app
        .post(
            &format!("/api/v1/mrp/production-orders/{id}/receive"),
            &admin,
            json!({"quantity": "5"}),
        )
        .expect(200)
        .body;
    assert_eq!(component(&half, "B")["quantity_issued"], "10");
    assert_eq!(component(&half, "C")["quantity_issued"], "5");
    let all = app
        .post(
            &format!("/api/v1/mrp/production-orders/{id}/receive"),
            &admin,
            json!({"quantity": "5"}),
        )
        .expect(200)
        .body;
    assert_eq!(component(&all, "B")["quantity_issued"], "20");
    assert_eq!(on_hand(&app, &admin, &s.b, &s.room.stock)["on_hand"], "20");

    let other = app
        .post("/api/v1/mrp/production-orders", &admin, json!({"item_id": s.a, "quantity": "5", "location_id": s.room.stock, "due_date": "2027-01-08"}))
        .expect(201)
        .body;
    assert_eq!(on_hand(&app, &admin, &s.b, &s.room.stock)["reserved"], "10");
    let cancelled = app
        .post(
            &format!(
                "/api/v1/mrp/production-orders/{}/cancel",
                other["id"].as_str().unwrap()
            ),
            &admin,
            json!({}),
        )
        .expect(200)
        .body;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(on_hand(&app, &admin, &s.b, &s.room.stock)["reserved"], "0");
    let listed = app
        .get(
            &format!(
                "/api/v1/mrp/production-orders?status=cancelled&item_id={}",
                s.a
            ),
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
}

#[test]
fn bad_production_orders_are_refused() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let s = shop(&app, &admin);
    let path = "/api/v1/mrp/production-orders";
    app.post(path, &admin, json!({"item_id": s.b, "quantity": "1", "location_id": s.room.stock, "due_date": "2027-01-08"}))
        .expect_problem(422, "validation_failed");
    app.post(path, &admin, json!({"item_id": s.a, "quantity": "0", "location_id": s.room.stock, "due_date": "2027-01-08"}))
        .expect_problem(422, "validation_failed");
    app.post(path, &admin, json!({"item_id": s.a, "quantity": "1", "location_id": s.room.scrap, "due_date": "2027-01-08"}))
        .expect_problem(422, "validation_failed");
    app.post(path, &admin, json!({"item_id": s.a, "quantity": "1", "location_id": s.room.stock, "start_date": "2027-02-01", "due_date": "2027-01-08"}))
        .expect_problem(422, "validation_failed");
    let viewer = UserBuilder::new("viewer")
        .permissions(&["mrp.production.read"])
        .create(&app, &admin);
    app.post(path, &viewer.token, json!({"item_id": s.a, "quantity": "1", "location_id": s.room.stock, "due_date": "2027-01-08"}))
        .expect_problem(403, "forbidden");
    app.get(path, &viewer.token).expect(200);
}

#[test]
fn planned_orders_are_firmed_and_released_as_production_and_purchase_orders() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let s = shop(&app, &admin);
    let supplier = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": "Acme", "roles": ["supplier"]}),
        )
        .expect(201)
        .id();
    app.post(
        "/api/v1/mrp/demands",
        &admin,
        json!({"item_id": s.a, "kind": "mps", "due_date": "2027-01-18", "quantity": "10"}),
    )
    .expect(201);
    let horizon = json!({"start_date": "2027-01-04", "buckets": 6});
    mrp_run(&app, &admin, horizon.clone());
    let first = |sku_item: &str| -> Value {
        app.get(
            &format!("/api/v1/mrp/planned-orders?item_id={sku_item}"),
            &admin,
        )
        .expect(200)
        .body["items"][0]
            .clone()
    };
    // Firm C's order at 15: the next run keeps it and plans nothing more for C.
    let c = first(&s.c);
    let firmed = app
        .post(
            &format!(
                "/api/v1/mrp/planned-orders/{}/firm",
                c["id"].as_str().unwrap()
            ),
            &admin,
            json!({"quantity": "15"}),
        )
        .expect(200)
        .body;
    assert_eq!(
        (firmed["status"].as_str(), firmed["quantity"].as_str()),
        (Some("firm"), Some("15"))
    );
    mrp_run(&app, &admin, horizon.clone());
    let c_orders = app
        .get(
            &format!("/api/v1/mrp/planned-orders?item_id={}", s.c),
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(c_orders["items"].as_array().unwrap().len(), 1, "{c_orders}");
    let c_record = app
        .get(&format!("/api/v1/mrp/items/{}/record", s.c), &admin)
        .expect(200)
        .body;
    assert_eq!(c_record["buckets"][1]["scheduled_receipts"], "15");
    assert_eq!(c_record["buckets"][1]["projected_on_hand"], "5");

    // Release A's order as a production order: it becomes a scheduled receipt of A.
    let a = first(&s.a);
    let released = app
        .post(
            &format!(
                "/api/v1/mrp/planned-orders/{}/release",
                a["id"].as_str().unwrap()
            ),
            &admin,
            json!({"location_id": s.room.stock}),
        )
        .expect(201)
        .body;
    assert_eq!(released["document_type"], "production_order");
    let mo = app
        .get(
            &format!(
                "/api/v1/mrp/production-orders/{}",
                released["document_id"].as_str().unwrap()
            ),
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(
        (mo["quantity"].as_str(), mo["due_date"].as_str()),
        (Some("10"), Some("2027-01-18"))
    );
    assert_eq!(mo["planned_order_id"], a["id"]);
    app.get(
        &format!("/api/v1/mrp/planned-orders/{}", a["id"].as_str().unwrap()),
        &admin,
    )
    .expect_problem(404, "not_found");

    // Release B's order as a draft purchase order from the named supplier.
    let b = first(&s.b);
    app.post(
        &format!(
            "/api/v1/mrp/planned-orders/{}/release",
            b["id"].as_str().unwrap()
        ),
        &admin,
        json!({"location_id": s.room.stock}),
    )
    .expect_problem(422, "validation_failed");
    let po = app
        .post(
            &format!(
                "/api/v1/mrp/planned-orders/{}/release",
                b["id"].as_str().unwrap()
            ),
            &admin,
            json!({"location_id": s.room.stock, "supplier_id": supplier}),
        )
        .expect(201)
        .body;
    assert_eq!(po["document_type"], "purchase_order");
    let po = app
        .get(
            &format!(
                "/api/v1/inventory/purchase-orders/{}",
                po["document_id"].as_str().unwrap()
            ),
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(po["status"], "draft");
    assert_eq!(po["lines"][0]["quantity"], "20");
    assert_eq!(
        po["lines"][0]["unit_price"], "1.00",
        "the item's standard cost has no supplier price: refused? no: given"
    );

    // The next run plans around both documents: nothing is planned for A or B.
    mrp_run(&app, &admin, horizon);
    for i in [&s.a, &s.b] {
        let left = app
            .get(&format!("/api/v1/mrp/planned-orders?item_id={i}"), &admin)
            .expect(200)
            .body;
        assert!(left["items"].as_array().unwrap().is_empty(), "{left}");
    }
    let a_record = app
        .get(&format!("/api/v1/mrp/items/{}/record", s.a), &admin)
        .expect(200)
        .body;
    assert_eq!(a_record["buckets"][2]["scheduled_receipts"], "10");
}

#[test]
fn capacity_planning_flags_overloads_and_draws_the_load() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let s = shop(&app, &admin);
    // Tuesday of week 1 is a holiday: 4 working days of 8 hours.
    app.patch(
        &format!("/api/v1/mrp/work-centers/{}", s.wc),
        &admin,
        1,
        json!({"days_off": ["2027-01-12"]}),
    )
    .expect(200);
    app.post(
        "/api/v1/mrp/demands",
        &admin,
        json!({"item_id": s.a, "kind": "mps", "due_date": "2027-01-18", "quantity": "500"}),
    )
    .expect(201);
    mrp_run(
        &app,
        &admin,
        json!({"start_date": "2027-01-04", "buckets": 4}),
    );
    // A's order releases in week 1: 1 h setup + 500 × 0.1 h.
    let crp = app.get("/api/v1/mrp/capacity", &admin).expect(200).body;
    assert_eq!(crp["method"], "crp");
    let w = &crp["work_centers"][0];
    assert_eq!(w["code"], "ASSY");
    let b1 = &w["buckets"][1];
    assert_eq!(
        (b1["capacity_hours"].as_str(), b1["load_hours"].as_str()),
        (Some("32"), Some("51"))
    );
    assert_eq!(b1["overloaded"], true);
    assert_eq!(w["buckets"][0]["capacity_hours"], "40");
    assert_eq!(w["overloaded_buckets"], 1);

    // Rough-cut: the MPS of 500 in week 2 through A's bill of resources (run hours only).
    let rough = app
        .get("/api/v1/mrp/capacity/rough-cut", &admin)
        .expect(200)
        .body;
    assert_eq!(rough["work_centers"][0]["buckets"][2]["load_hours"], "50");
    assert_eq!(rough["work_centers"][0]["buckets"][2]["overloaded"], true);

    let svg = app
        .get(
            &format!("/api/v1/mrp/work-centers/{}/load.svg", s.wc),
            &admin,
        )
        .expect(200);
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    assert!(
        svg.text.starts_with("<svg"),
        "{}",
        &svg.text[..60.min(svg.text.len())]
    );
    assert_eq!(
        svg.text.matches("class=\"load\"").count(),
        4,
        "one bar per bucket"
    );
    assert!(
        svg.text.contains("#d9534f"),
        "the overloaded bucket is drawn red"
    );
    assert!(svg.text.contains("load 51 h, capacity 32 h"));
    app.get(
        "/api/v1/mrp/work-centers/00000000-0000-0000-0000-000000000000/load.svg",
        &admin,
    )
    .expect_problem(404, "not_found");
    app.get("/api/v1/mrp/capacity?buckets=0", &admin)
        .expect_problem(422, "validation_failed");
}

#[test]
fn production_posts_through_work_in_progress_and_its_close_absorbs_labour_and_the_variance() {
    let books = erp_tests::finance::books();
    let (app, admin) = (&books.app, &books.admin);
    let s = shop(app, admin);
    receive(app, admin, &s.b, &s.room.stock, "20", "1.00");
    receive(app, admin, &s.c, &s.room.stock, "10", "2.00");
    let id = app
        .post(
            "/api/v1/mrp/production-orders",
            admin,
            json!({"item_id": s.a, "quantity": "10", "location_id": s.room.stock, "start_date": "2026-12-07", "due_date": "2026-12-11"}),
        )
        .expect(201)
        .id();
    let path = |p: &str| format!("/api/v1/mrp/production-orders/{id}{p}");
    app.post(&path("/issue"), admin, json!({})).expect(200);
    app.post(
        &path("/operations/10/report"),
        admin,
        json!({"quantity_done": "10", "setup_hours": "1.5", "run_hours": "1.2"}),
    )
    .expect(200);
    // Output at the planned cost, 100.00 for 10.
    app.post(&path("/receive"), admin, json!({"quantity": "10"}))
        .expect(200);
    let tb = |books: &erp_tests::finance::Books| books.trial_balance("2026-01-01", "2026-12-31");
    let before = tb(&books);
    // Components (40.00) into work in progress, output (100.00) out of it; none is a sale.
    assert_eq!(erp_tests::finance::closing_of(&before, "1310"), "-60.00");
    assert_eq!(erp_tests::finance::closing_of(&before, "5000"), "absent");
    assert_eq!(erp_tests::finance::closing_of(&before, "1300"), "100.00");

    app.post(&path("/close"), admin, json!({})).expect(200);
    let after = tb(&books);
    // 2.7 h × 30 = 81.00 absorbed; 40.00 + 81.00 - 100.00 = 21.00 unfavourable variance,
    // as the order's report says; work in progress is empty.
    assert_eq!(erp_tests::finance::closing_of(&after, "5400"), "-81.00");
    assert_eq!(erp_tests::finance::closing_of(&after, "5300"), "21.00");
    assert_eq!(erp_tests::finance::closing_of(&after, "1310"), "0.00");
    assert_eq!(
        app.get(&path("/report"), admin).expect(200).body["variance"],
        "21.00"
    );
    // The stock account still equals the valuation.
    let valuation = app
        .get("/api/v1/inventory/valuation", admin)
        .expect(200)
        .body;
    assert_eq!(valuation["total_value"], "100.00", "{valuation}");
}

#[test]
fn planned_against_actual_production_counts_the_orders_due_in_the_period() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let s = shop(&app, &admin);
    receive(&app, &admin, &s.b, &s.room.stock, "100", "1.00");
    receive(&app, &admin, &s.c, &s.room.stock, "100", "2.00");
    let order = |quantity: &str, due: &str| {
        app.post(
            "/api/v1/mrp/production-orders",
            &admin,
            json!({"item_id": s.a, "quantity": quantity, "location_id": s.room.stock, "start_date": due, "due_date": due}),
        )
        .expect(201)
        .id()
    };
    let first = order("10", "2027-01-08");
    order("5", "2027-01-20");
    let cancelled = order("3", "2027-01-15");
    order("2", "2020-01-10");
    let path = |id: &str, p: &str| format!("/api/v1/mrp/production-orders/{id}{p}");
    app.post(&path(&first, "/issue"), &admin, json!({}))
        .expect(200);
    app.post(&path(&first, "/receive"), &admin, json!({"quantity": "4"}))
        .expect(200);
    app.post(&path(&cancelled, "/cancel"), &admin, json!({}))
        .expect(200);

    let january = app
        .get(
            "/api/v1/mrp/reports/production-output?from=2027-01-01&to=2027-01-31",
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(
        january["lines"],
        json!([{"item_id": s.a, "sku": "A", "orders": 2, "planned": "15", "completed": "4", "late_orders": 0}]),
        "the cancelled order is left out"
    );
    let old = app
        .get(
            "/api/v1/mrp/reports/production-output?from=2020-01-01&to=2020-01-31",
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(
        (
            old["lines"][0]["orders"].as_i64(),
            old["lines"][0]["late_orders"].as_i64()
        ),
        (Some(1), Some(1)),
        "past due and still open: late"
    );
    let chart = app
        .get(
            "/api/v1/mrp/reports/production-output.svg?from=2027-01-01&to=2027-01-31",
            &admin,
        )
        .expect(200);
    assert_eq!(chart.header("content-type"), Some("image/svg+xml"));
    assert!(
        chart.text.contains(">4 of 15 in 2 orders</text>"),
        "{}",
        chart.text
    );
    app.get(
        "/api/v1/mrp/reports/production-output?from=2027-02-01&to=2027-01-01",
        &admin,
    )
    .expect_problem(422, "validation_failed");
    let planner = UserBuilder::new("planner")
        .permissions(&["mrp.plan.read"])
        .create(&app, &admin);
    app.get("/api/v1/mrp/reports/production-output.svg", &planner.token)
        .expect_problem(403, "forbidden");
}
