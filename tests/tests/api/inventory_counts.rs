//! Stock counts: expected quantities, entered counts, differences posted on approval.

use erp_tests::builders::{item, on_hand, receive, Stockroom, UserBuilder};
use erp_tests::TestApp;
use serde_json::json;

#[test]
fn an_approved_count_posts_its_differences() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let (a, b, c) = (
        item(&app, &admin, "A", json!({})),
        item(&app, &admin, "B", json!({})),
        item(&app, &admin, "C", json!({})),
    );
    receive(&app, &admin, &a, &room.stock, "10", "5");
    receive(&app, &admin, &b, &room.stock, "4", "1");
    let counter = UserBuilder::new("counter")
        .permissions(&["inventory.count.write", "inventory.stock.read"])
        .create(&app, &admin);

    let count = app
        .post(
            "/api/v1/inventory/counts",
            &counter.token,
            json!({"warehouse_id": room.warehouse, "kind": "full"}),
        )
        .expect(201);
    assert!(count.body["number"].as_str().unwrap().starts_with("CNT-"));
    assert_eq!(count.body["lines"].as_array().unwrap().len(), 2);
    let path = format!("/api/v1/inventory/counts/{}", count.id());
    let entered = app
        .post(
            &format!("{path}/entries"),
            &counter.token,
            json!({"entries": [
                {"item_id": a, "location_id": room.stock, "counted_quantity": "12"},
                {"item_id": c, "location_id": room.stock, "counted_quantity": "1"},
            ]}),
        )
        .expect(200);
    let lines = entered.body["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 3, "the unexpected find adds a line");
    let line_a = lines.iter().find(|l| l["item_id"] == a.as_str()).unwrap();
    assert_eq!(line_a["difference"], "2");
    app.post(
        &format!("{path}/entries"),
        &counter.token,
        json!({"entries": [{"item_id": b, "location_id": room.stock, "counted_quantity": "3"}]}),
    )
    .expect(200);
    app.post(
        &format!("{path}/entries"),
        &counter.token,
        json!({"entries": [{"item_id": b, "location_id": room.scrap, "counted_quantity": "3"}]}),
    )
    .expect_problem(422, "validation_failed");
    // Counting and approving are separate rights.
    app.post(&format!("{path}/approve"), &counter.token, json!({}))
        .expect_problem(403, "forbidden");

    let approved = app
        .post(&format!("{path}/approve"), &admin, json!({}))
        .expect(200);
    assert_eq!(approved.body["count"]["status"], "approved");
    assert_eq!(approved.body["moves"].as_array().unwrap().len(), 3);
    assert_eq!(on_hand(&app, &admin, &a, &room.stock)["on_hand"], "12");
    assert_eq!(on_hand(&app, &admin, &b, &room.stock)["on_hand"], "3");
    assert_eq!(on_hand(&app, &admin, &c, &room.stock)["on_hand"], "1");
    let gain = approved.body["moves"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["item_id"] == a.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        gain["total_cost"], "10.00",
        "a surplus comes in at the current average"
    );
    assert_eq!(gain["reference_id"], approved.body["count"]["number"]);
    app.post(&format!("{path}/approve"), &admin, json!({}))
        .expect_problem(409, "invalid_state");
    let read = app.get(&path, &counter.token).expect(200).body;
    assert_eq!(read["status"], "approved");
    assert_eq!(read["lines"].as_array().unwrap().len(), 3, "{read}");
    app.post(
        &format!("{path}/entries"),
        &counter.token,
        json!({"entries": [{"item_id": a, "location_id": room.stock, "counted_quantity": "1"}]}),
    )
    .expect_problem(409, "invalid_state");
}

#[test]
fn a_cycle_count_of_class_a_counts_the_valuable_items() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let gold = item(&app, &admin, "GOLD", json!({}));
    let sand = item(&app, &admin, "SAND", json!({}));
    receive(&app, &admin, &gold, &room.stock, "2", "1000");
    receive(&app, &admin, &sand, &room.stock, "100", "0.5");
    let count = app
        .post(
            "/api/v1/inventory/counts",
            &admin,
            json!({"warehouse_id": room.warehouse, "kind": "cycle", "abc_class": "a"}),
        )
        .expect(201);
    let items: Vec<_> = count.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["item_id"].clone())
        .collect();
    assert_eq!(items, [json!(gold)]);
    app.post(
        "/api/v1/inventory/counts",
        &admin,
        json!({"warehouse_id": room.warehouse, "kind": "full", "abc_class": "a"}),
    )
    .expect_problem(422, "validation_failed");
    let cancelled = app
        .post(
            &format!("/api/v1/inventory/counts/{}/cancel", count.id()),
            &admin,
            json!({}),
        )
        .expect(200);
    assert_eq!(cancelled.body["status"], "cancelled");
}
