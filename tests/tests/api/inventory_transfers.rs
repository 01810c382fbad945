//! Transfers between branches: shipped into transit, received in part, difference reported.

use erp_tests::builders::{item, on_hand, receive, Stockroom, UserBuilder};
use erp_tests::TestApp;
use serde_json::json;

#[test]
fn goods_travel_between_branches_and_the_difference_is_reported() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let north = app
        .post(
            "/api/v1/org/branches",
            &admin,
            json!({"code": "N", "name": "North"}),
        )
        .expect(201)
        .id();
    let south = app
        .post(
            "/api/v1/org/branches",
            &admin,
            json!({"code": "S", "name": "South"}),
        )
        .expect(201)
        .id();
    let wn = Stockroom::create_in(&app, &admin, "WN", &north, false);
    let ws = Stockroom::create_in(&app, &admin, "WS", &south, false);
    let id = item(&app, &admin, "PALLET", json!({}));
    receive(&app, &admin, &id, &wn.stock, "10", "4");
    let sender = UserBuilder::new("sender")
        .permissions(&["inventory.transfer.write", "inventory.stock.read"])
        .branches(&[&north])
        .create(&app, &admin);
    let receiver = UserBuilder::new("receiver")
        .permissions(&[
            "inventory.transfer.receive",
            "inventory.stock.read",
            "inventory.warehouse.read",
        ])
        .branches(&[&south])
        .create(&app, &admin);

    let t = app
        .post("/api/v1/inventory/transfers", &sender.token, json!({"from_warehouse_id": wn.warehouse, "to_warehouse_id": ws.warehouse, "lines": [{"item_id": id, "quantity": "10"}]}))
        .expect(201);
    assert!(t.body["number"].as_str().unwrap().starts_with("TR-"));
    let path = format!("/api/v1/inventory/transfers/{}", t.id());
    let line = t.body["lines"][0]["id"].as_str().unwrap().to_string();
    app.post(
        &format!("{path}/receive"),
        &receiver.token,
        json!({"lines": [{"line_id": line, "quantity": "1"}]}),
    )
    .expect_problem(409, "invalid_state");
    let shipped = app
        .post(&format!("{path}/ship"), &sender.token, json!({}))
        .expect(200);
    assert_eq!(shipped.body["transfer"]["status"], "shipped");
    assert_eq!(on_hand(&app, &admin, &id, &wn.transit)["on_hand"], "10");
    assert_eq!(on_hand(&app, &admin, &id, &wn.stock)["on_hand"], "0");
    app.post(&format!("{path}/ship"), &sender.token, json!({}))
        .expect_problem(409, "invalid_state");

    // The receiver cannot see the North warehouse, yet receives from its transit location.
    app.get(
        &format!("/api/v1/inventory/warehouses/{}", wn.warehouse),
        &receiver.token,
    )
    .expect_problem(404, "not_found");
    let got = app
        .post(
            &format!("{path}/receive"),
            &receiver.token,
            json!({"lines": [{"line_id": line, "quantity": "7"}]}),
        )
        .expect(200);
    assert_eq!(got.body["transfer"]["status"], "partially_received");
    assert_eq!(got.body["transfer"]["lines"][0]["difference"], "3");
    assert_eq!(
        got.body["moves"][0]["total_cost"], "28.00",
        "value travels with the goods"
    );
    assert_eq!(on_hand(&app, &admin, &id, &ws.receiving)["on_hand"], "7");
    app.post(
        &format!("{path}/receive"),
        &receiver.token,
        json!({"lines": [{"line_id": line, "quantity": "4"}]}),
    )
    .expect_problem(409, "over_receipt");
    app.post(&format!("{path}/ship"), &receiver.token, json!({}))
        .expect_problem(403, "forbidden");

    let closed = app
        .post(
            &format!("{path}/close"),
            &sender.token,
            json!({"write_off_difference": true}),
        )
        .expect(200);
    assert_eq!(closed.body["transfer"]["status"], "closed");
    assert_eq!(
        closed.body["transfer"]["lines"][0]["written_off_quantity"],
        "3"
    );
    assert_eq!(closed.body["transfer"]["lines"][0]["difference"], "0");
    assert_eq!(on_hand(&app, &admin, &id, &wn.transit)["on_hand"], "0");
    assert_eq!(on_hand(&app, &admin, &id, &wn.scrap)["on_hand"], "3");
    let north_value = app
        .get(
            &format!("/api/v1/inventory/valuation?warehouse_id={}", wn.warehouse),
            &admin,
        )
        .expect(200);
    assert_eq!(north_value.body["total_value"], "0.00");
    let south_value = app
        .get(
            &format!("/api/v1/inventory/valuation?warehouse_id={}", ws.warehouse),
            &admin,
        )
        .expect(200);
    assert_eq!(south_value.body["total_value"], "28.00");
    let listed = app
        .get("/api/v1/inventory/transfers?status=closed", &receiver.token)
        .expect(200);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
}

#[test]
fn a_transfer_cannot_ship_more_than_there_is() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = Stockroom::create(&app, &admin, "A");
    let b = Stockroom::create(&app, &admin, "B");
    let id = item(&app, &admin, "X", json!({}));
    receive(&app, &admin, &id, &a.stock, "2", "1");
    app.post("/api/v1/inventory/transfers", &admin, json!({"from_warehouse_id": a.warehouse, "to_warehouse_id": a.warehouse, "lines": [{"item_id": id, "quantity": "1"}]}))
        .expect_problem(422, "validation_failed");
    let t = app
        .post("/api/v1/inventory/transfers", &admin, json!({"from_warehouse_id": a.warehouse, "to_warehouse_id": b.warehouse, "lines": [{"item_id": id, "quantity": "3"}]}))
        .expect(201);
    app.post(
        &format!("/api/v1/inventory/transfers/{}/ship", t.id()),
        &admin,
        json!({}),
    )
    .expect_problem(409, "insufficient_stock");
    let after = app
        .get(&format!("/api/v1/inventory/transfers/{}", t.id()), &admin)
        .expect(200);
    assert_eq!(
        after.body["status"], "draft",
        "the refused shipment changed nothing"
    );
    app.post(
        &format!("/api/v1/inventory/transfers/{}/cancel", t.id()),
        &admin,
        json!({}),
    )
    .expect(200);
}

#[test]
fn a_transfer_receipt_needs_lines_with_positive_quantities() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = Stockroom::create(&app, &admin, "A");
    let b = Stockroom::create(&app, &admin, "B");
    let id = item(&app, &admin, "Y", json!({}));
    receive(&app, &admin, &id, &a.stock, "2", "1");
    let t = app
        .post("/api/v1/inventory/transfers", &admin, json!({"from_warehouse_id": a.warehouse, "to_warehouse_id": b.warehouse, "lines": [{"item_id": id, "quantity": "2"}]}))
        .expect(201);
    let path = format!("/api/v1/inventory/transfers/{}", t.id());
    app.post(&format!("{path}/ship"), &admin, json!({}))
        .expect(200);
    let line = t.body["lines"][0]["id"].as_str().unwrap().to_string();
    app.post(&format!("{path}/receive"), &admin, json!({"lines": []}))
        .expect_problem(422, "validation_failed");
    app.post(
        &format!("{path}/receive"),
        &admin,
        json!({"lines": [{"line_id": line, "quantity": "-1"}]}),
    )
    .expect_problem(422, "validation_failed");
    assert_eq!(app.get(&path, &admin).body["status"], "shipped");
}
