//! Purchasing: supplier prices, purchase orders, receipts, availability, replenishment.

use std::sync::Arc;

use erp_tests::builders::{item, on_hand, Stockroom};
use erp_tests::{Resp, TestApp};
use serde_json::{json, Value};

fn supplier(app: &TestApp, admin: &str, name: &str) -> String {
    app.post(
        "/api/v1/partners",
        admin,
        json!({"kind": "organisation", "name": name, "roles": ["supplier"]}),
    )
    .expect(201)
    .id()
}

fn order(app: &TestApp, admin: &str, supplier: &str, warehouse: &str, lines: Value) -> Resp {
    app.post(
        "/api/v1/inventory/purchase-orders",
        admin,
        json!({"supplier_id": supplier, "warehouse_id": warehouse, "lines": lines}),
    )
}

#[test]
fn an_order_takes_the_suppliers_price_and_is_received_in_parts() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let acme = supplier(&app, &admin, "Acme");
    let bolt = item(&app, &admin, "BOLT", json!({}));
    for (min, price) in [("0", "0.20"), ("100", "0.15")] {
        app.post(
            "/api/v1/inventory/supplier-prices",
            &admin,
            json!({"supplier_id": acme, "item_id": bolt, "min_quantity": min, "price": price}),
        )
        .expect(201);
    }
    let other = item(&app, &admin, "NUT", json!({}));
    app.post(
        "/api/v1/inventory/supplier-prices",
        &admin,
        json!({"supplier_id": acme, "item_id": other, "min_quantity": "0", "price": "0.05"}),
    )
    .expect(201);
    let prices = app
        .get(
            &format!("/api/v1/inventory/supplier-prices?item_id={bolt}"),
            &admin,
        )
        .expect(200)
        .body;
    let breaks: Vec<(&str, &str)> = prices["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["min_quantity"].as_str().unwrap(),
                p["price"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(breaks, [("0", "0.20"), ("100", "0.15")], "{prices}");
    let po = order(
        &app,
        &admin,
        &acme,
        &room.warehouse,
        json!([{"item_id": bolt, "quantity": "150"}]),
    )
    .expect(201);
    assert!(po.body["number"].as_str().unwrap().starts_with("PO-"));
    assert_eq!(po.body["status"], "draft");
    assert_eq!(
        po.body["lines"][0]["unit_price"], "0.15",
        "the price break for 100 and more"
    );
    assert_eq!(po.body["total"], "22.50");
    let id = po.id();
    let line = po.body["lines"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/inventory/purchase-orders/{id}");

    // Not receivable before it is confirmed.
    app.post(
        &format!("{path}/receive"),
        &admin,
        json!({"lines": [{"line_id": line, "quantity": "1"}]}),
    )
    .expect_problem(409, "invalid_state");
    app.patch(
        &path,
        &admin,
        1,
        json!({"lines": [{"item_id": bolt, "quantity": "120"}]}),
    )
    .expect(200);
    app.post(&format!("{path}/confirm"), &admin, json!({}))
        .expect(200);
    app.patch(&path, &admin, 3, json!({"notes": "too late"}))
        .expect_problem(409, "invalid_state");
    let line = app.get(&path, &admin).body["lines"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let avail = app
        .get(
            &format!("/api/v1/inventory/availability?item_id={bolt}"),
            &admin,
        )
        .expect(200);
    assert_eq!(avail.body["items"][0]["incoming"], "120");

    let r = app
        .post(
            &format!("{path}/receive"),
            &admin,
            json!({"lines": [{"line_id": line, "quantity": "50"}]}),
        )
        .expect(200);
    assert_eq!(r.body["order"]["status"], "partially_received");
    assert_eq!(r.body["moves"][0]["total_cost"], "7.50");
    assert_eq!(r.body["moves"][0]["reference_id"], po.body["number"]);
    assert_eq!(
        r.body["moves"][0]["to_location_id"],
        room.receiving.as_str(),
        "goods arrive in RECEIVING by default"
    );
    assert_eq!(
        on_hand(&app, &admin, &bolt, &room.receiving)["on_hand"],
        "50"
    );
    let over = app
        .post(
            &format!("{path}/receive"),
            &admin,
            json!({"lines": [{"line_id": line, "quantity": "71"}]}),
        )
        .expect_problem(409, "over_receipt");
    assert!(over.body["detail"]
        .as_str()
        .unwrap()
        .contains("120 ordered"));
    app.post(&format!("{path}/cancel"), &admin, json!({}))
        .expect_problem(409, "invalid_state");
    let done = app
        .post(
            &format!("{path}/receive"),
            &admin,
            json!({"location_id": room.stock, "lines": [{"line_id": line, "quantity": "70"}]}),
        )
        .expect(200);
    assert_eq!(done.body["order"]["status"], "received");
    assert_eq!(done.body["order"]["lines"][0]["open_quantity"], "0");
    let avail = app
        .get(
            &format!("/api/v1/inventory/availability?item_id={bolt}"),
            &admin,
        )
        .expect(200);
    assert_eq!(
        (
            avail.body["items"][0]["on_hand"].clone(),
            avail.body["items"][0]["incoming"].clone()
        ),
        (json!("120"), json!("0"))
    );
    app.post(&format!("{path}/close"), &admin, json!({}))
        .expect(200);
    let closed = app
        .post(
            &format!("{path}/receive"),
            &admin,
            json!({"lines": [{"line_id": line, "quantity": "1"}]}),
        )
        .expect_problem(409, "invalid_state");
    assert_eq!(closed.body["current_state"], "closed");
}

#[test]
fn over_receipt_within_the_tolerance_is_accepted() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let acme = supplier(&app, &admin, "Acme");
    let oil = item(&app, &admin, "OIL", json!({}));
    let po = app
        .post("/api/v1/inventory/purchase-orders", &admin, json!({"supplier_id": acme, "warehouse_id": room.warehouse, "over_receipt_tolerance": "5",
            "lines": [{"item_id": oil, "quantity": "100", "unit_price": "1.10"}]}))
        .expect(201);
    let (id, line) = (
        po.id(),
        po.body["lines"][0]["id"].as_str().unwrap().to_string(),
    );
    app.post(
        &format!("/api/v1/inventory/purchase-orders/{id}/confirm"),
        &admin,
        json!({}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/inventory/purchase-orders/{id}/receive"),
        &admin,
        json!({"lines": [{"line_id": line, "quantity": "105.000001"}]}),
    )
    .expect_problem(409, "over_receipt");
    let r = app
        .post(
            &format!("/api/v1/inventory/purchase-orders/{id}/receive"),
            &admin,
            json!({"lines": [{"line_id": line, "quantity": "105"}]}),
        )
        .expect(200);
    assert_eq!(r.body["order"]["status"], "received");
}

#[test]
fn orders_are_validated_and_cancelled_only_while_nothing_arrived() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let acme = supplier(&app, &admin, "Acme");
    let customer = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": "Not a supplier", "roles": ["customer"]}),
        )
        .expect(201)
        .id();
    let tea = item(&app, &admin, "TEA", json!({}));
    order(
        &app,
        &admin,
        &customer,
        &room.warehouse,
        json!([{"item_id": tea, "quantity": "1", "unit_price": "1"}]),
    )
    .expect_problem(422, "validation_failed");
    order(&app, &admin, &acme, &room.warehouse, json!([])).expect_problem(422, "validation_failed");
    let r = order(&app, &admin, &acme, &room.warehouse, json!([{"item_id": tea, "quantity": "1"}, {"item_id": tea, "quantity": "0", "unit_price": "1"}]))
        .expect_problem(422, "validation_failed");
    let fields: Vec<_> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["lines[0].unit_price", "lines[1].quantity"]);
    let po = order(
        &app,
        &admin,
        &acme,
        &room.warehouse,
        json!([{"item_id": tea, "quantity": "10", "unit_price": "2"}]),
    )
    .expect(201);
    let cancelled = app
        .post(
            &format!("/api/v1/inventory/purchase-orders/{}/cancel", po.id()),
            &admin,
            json!({}),
        )
        .expect(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    app.post(
        &format!("/api/v1/inventory/purchase-orders/{}/confirm", po.id()),
        &admin,
        json!({}),
    )
    .expect_problem(409, "invalid_state");
    let listed = app
        .get("/api/v1/inventory/purchase-orders?status=cancelled", &admin)
        .expect(200);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
}

#[test]
fn replenishment_suggests_up_to_the_maximum_counting_what_is_on_order() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let acme = supplier(&app, &admin, "Acme");
    let glue = item(
        &app,
        &admin,
        "GLUE",
        json!({"reorder_point": "20", "reorder_max": "100", "default_supplier_id": acme, "supplier_price": "3.20", "lead_time_days": 5}),
    );
    item(&app, &admin, "NO-POLICY", json!({}));
    erp_tests::builders::receive(&app, &admin, &glue, &room.stock, "15", "3");
    let path = format!(
        "/api/v1/inventory/replenishment?warehouse_id={}",
        room.warehouse
    );
    let r = app.get(&path, &admin).expect(200);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["suggested_quantity"], "85");
    assert_eq!(items[0]["unit_price"], "3.20");
    // An open order counts: 15 + 10 = 25 is above the reorder point.
    let po = order(
        &app,
        &admin,
        &acme,
        &room.warehouse,
        json!([{"item_id": glue, "quantity": "10"}]),
    )
    .expect(201);
    assert_eq!(
        po.body["lines"][0]["unit_price"], "3.20",
        "the item's default supplier price"
    );
    app.post(
        &format!("/api/v1/inventory/purchase-orders/{}/confirm", po.id()),
        &admin,
        json!({}),
    )
    .expect(200);
    assert_eq!(
        app.get(&path, &admin).body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn concurrent_orders_get_distinct_consecutive_numbers() {
    let app = Arc::new(TestApp::spawn());
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let acme = supplier(&app, &admin, "Acme");
    let nail = item(&app, &admin, "NAIL", json!({}));
    let threads: Vec<_> = (0..20)
        .map(|_| {
            let (app, admin, acme, w, nail) = (
                app.clone(),
                admin.clone(),
                acme.clone(),
                room.warehouse.clone(),
                nail.clone(),
            );
            std::thread::spawn(move || {
                order(
                    &app,
                    &admin,
                    &acme,
                    &w,
                    json!([{"item_id": nail, "quantity": "1", "unit_price": "1"}]),
                )
                .expect(201)
                .body["number"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
        })
        .collect();
    let mut numbers: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    numbers.sort();
    let year = chrono::Utc::now().format("%Y");
    let expected: Vec<String> = (1..=20).map(|n| format!("PO-{year}-{n:06}")).collect();
    assert_eq!(numbers, expected);
}

#[test]
fn a_receipt_needs_lines_with_positive_quantities() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let acme = supplier(&app, &admin, "Acme");
    let pin = item(&app, &admin, "PIN", json!({}));
    let po = order(
        &app,
        &admin,
        &acme,
        &room.warehouse,
        json!([{"item_id": pin, "quantity": "5", "unit_price": "1"}]),
    )
    .expect(201);
    let (id, line) = (
        po.id(),
        po.body["lines"][0]["id"].as_str().unwrap().to_string(),
    );
    app.post(
        &format!("/api/v1/inventory/purchase-orders/{id}/confirm"),
        &admin,
        json!({}),
    )
    .expect(200);
    let path = format!("/api/v1/inventory/purchase-orders/{id}/receive");
    app.post(&path, &admin, json!({"lines": []}))
        .expect_problem(422, "validation_failed");
    let r = app
        .post(
            &path,
            &admin,
            json!({"lines": [{"line_id": line, "quantity": "0"}]}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "lines[0].quantity");
    assert_eq!(
        on_hand(&app, &admin, &pin, &room.receiving),
        serde_json::Value::Null,
        "nothing was received"
    );
}

#[test]
fn an_order_in_dollars_is_received_at_its_price_in_the_company_currency() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let acme = supplier(&app, &admin, "Acme Inc");
    let bolt = item(&app, &admin, "BOLT", json!({}));
    let po = app
        .post(
            "/api/v1/inventory/purchase-orders",
            &admin,
            json!({"supplier_id": acme, "warehouse_id": room.warehouse, "currency": "USD",
                   "lines": [{"item_id": bolt, "quantity": "10", "unit_price": "2.05"}]}),
        )
        .expect(201);
    let path = format!("/api/v1/inventory/purchase-orders/{}", po.id());
    let line = po.body["lines"][0]["id"].as_str().unwrap().to_string();
    app.post(&format!("{path}/confirm"), &admin, json!({}))
        .expect(200);
    // No dollar rate: the receipt cannot be valued, and nothing arrives.
    let p = app
        .post(
            &format!("{path}/receive"),
            &admin,
            json!({"lines": [{"line_id": line, "quantity": "10"}]}),
        )
        .expect_problem(422, "validation_failed");
    assert!(
        p.body.to_string().contains("no exchange rate of USD"),
        "{}",
        p.body
    );
    assert_eq!(
        app.get(&path, &admin).expect(200).body["lines"][0]["received_quantity"],
        "0"
    );
    app.post(
        "/api/v1/finance/exchange-rates",
        &admin,
        json!({"currency": "USD", "rate_date": "2026-01-01", "rate": "0.9"}),
    )
    .expect(201);
    let body = app
        .post(
            &format!("{path}/receive"),
            &admin,
            json!({"lines": [{"line_id": line, "quantity": "10"}]}),
        )
        .expect(200)
        .body;
    // 2.05 USD at 0.9 = 1.845 a unit in the company's currency: 18.45 for ten.
    assert_eq!(body["moves"][0]["unit_cost"], "1.845");
    assert_eq!(body["moves"][0]["total_cost"], "18.45");
}
