//! Reservations and the race for the last units.

use std::sync::Arc;

use erp_tests::builders::{item, on_hand, post_move, receive, Stockroom};
use erp_tests::TestApp;
use serde_json::json;

#[test]
fn reservations_hold_stock_until_issued_or_released() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "RES", json!({}));
    receive(&app, &admin, &id, &room.stock, "10", "1");
    let reserve = |qty: &str| {
        app.post("/api/v1/inventory/reservations", &admin, json!({"item_id": id, "location_id": room.stock, "quantity": qty, "reference_type": "sales_order", "reference_id": "SO-7"}))
    };
    let r = reserve("6").expect(201);
    assert_eq!(r.body["remaining"], "6");
    let stock = on_hand(&app, &admin, &id, &room.stock);
    assert_eq!(
        (
            stock["on_hand"].clone(),
            stock["reserved"].clone(),
            stock["available"].clone()
        ),
        (json!("10"), json!("6"), json!("4"))
    );
    let refused = reserve("5").expect_problem(409, "insufficient_stock");
    assert_eq!(refused.body["available"], "4");
    // Unreserved stock cannot be issued past what is free.
    app.post("/api/v1/inventory/stock-moves", &admin, json!({"move_type": "issue", "item_id": id, "from_location_id": room.stock, "quantity": "5"}))
        .expect_problem(409, "insufficient_stock");

    let rid = r.id();
    post_move(
        &app,
        &admin,
        json!({"move_type": "issue", "item_id": id, "from_location_id": room.stock, "quantity": "4", "reservation_id": rid}),
    );
    let after = app
        .get(&format!("/api/v1/inventory/reservations/{rid}"), &admin)
        .expect(200);
    assert_eq!(
        (
            after.body["consumed"].clone(),
            after.body["remaining"].clone()
        ),
        (json!("4"), json!("2"))
    );
    app.post("/api/v1/inventory/stock-moves", &admin, json!({"move_type": "issue", "item_id": id, "from_location_id": room.stock, "quantity": "3", "reservation_id": rid}))
        .expect_problem(422, "validation_failed");

    let released = app
        .post(
            &format!("/api/v1/inventory/reservations/{rid}/release"),
            &admin,
            json!({}),
        )
        .expect(200);
    assert_eq!(released.body["status"], "released");
    let r2 = app
        .post(
            &format!("/api/v1/inventory/reservations/{rid}/release"),
            &admin,
            json!({}),
        )
        .expect_problem(409, "invalid_state");
    assert_eq!(r2.body["current_state"], "released");
    let stock = on_hand(&app, &admin, &id, &room.stock);
    assert_eq!(
        (stock["on_hand"].clone(), stock["reserved"].clone()),
        (json!("6"), json!("0"))
    );

    let full = reserve("6").expect(201).id();
    post_move(
        &app,
        &admin,
        json!({"move_type": "issue", "item_id": id, "from_location_id": room.stock, "quantity": "6", "reservation_id": full}),
    );
    assert_eq!(
        app.get(&format!("/api/v1/inventory/reservations/{full}"), &admin)
            .body["status"],
        "consumed"
    );
    app.post(
        "/api/v1/inventory/reservations",
        &admin,
        json!({"item_id": id, "location_id": room.scrap, "quantity": "1"}),
    )
    .expect_problem(422, "validation_failed");
    let listed = app
        .get(
            "/api/v1/inventory/reservations?reference_id=SO-7&status=released",
            &admin,
        )
        .expect(200);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
}

#[test]
fn negative_stock_only_where_the_warehouse_allows_it() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let branch = app.get("/api/v1/org/branches", &admin).body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let lax = Stockroom::create_in(&app, &admin, "LAX", &branch, true);
    let id = item(&app, &admin, "NEG", json!({"standard_cost": "2"}));
    receive(&app, &admin, &id, &lax.stock, "1", "3");
    let m = post_move(
        &app,
        &admin,
        json!({"move_type": "issue", "item_id": id, "from_location_id": lax.stock, "quantity": "3"}),
    );
    assert_eq!(
        m["total_cost"], "9.00",
        "the shortfall is costed at the average"
    );
    assert_eq!(on_hand(&app, &admin, &id, &lax.stock)["on_hand"], "-2");
    let fifo = item(&app, &admin, "NEG-FIFO", json!({"valuation": "fifo"}));
    receive(&app, &admin, &fifo, &lax.stock, "1", "3");
    app.post("/api/v1/inventory/stock-moves", &admin, json!({"move_type": "issue", "item_id": fifo, "from_location_id": lax.stock, "quantity": "2"}))
        .expect_problem(409, "fifo_layers_exhausted");
    assert_eq!(
        on_hand(&app, &admin, &fifo, &lax.stock)["on_hand"],
        "1",
        "the refused issue changed nothing"
    );
}

/// Dozens of clients on two server processes race to issue and reserve the last units:
/// exactly the available quantity succeeds, and the ledger and balances agree afterwards.
#[test]
fn racing_clients_never_oversell() {
    let first = Arc::new(TestApp::spawn());
    let second = Arc::new(first.another_on_same_database());
    let admin = first.admin_token();
    let room = Stockroom::create(&first, &admin, "RACE");
    let id = item(&first, &admin, "LAST", json!({"valuation": "fifo"}));
    receive(&first, &admin, &id, &room.stock, "7", "1.25");
    receive(&first, &admin, &id, &room.stock, "5", "1.75");

    let clients: Vec<_> = (0..40)
        .map(|i| {
            let app = if i % 2 == 0 { first.clone() } else { second.clone() };
            let (admin, id, stock) = (admin.clone(), id.clone(), room.stock.clone());
            std::thread::spawn(move || {
                let r = if i % 3 == 0 {
                    app.post("/api/v1/inventory/reservations", &admin, json!({"item_id": id, "location_id": stock, "quantity": "1"}))
                } else {
                    app.post("/api/v1/inventory/stock-moves", &admin, json!({"move_type": "issue", "item_id": id, "from_location_id": stock, "quantity": "1"}))
                };
                (i % 3 == 0, r.status, r.body["code"].clone())
            })
        })
        .collect();
    let results: Vec<_> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let won = results.iter().filter(|(_, s, _)| *s == 201).count();
    let reserved = results.iter().filter(|(r, s, _)| *r && *s == 201).count();
    assert_eq!(
        won, 12,
        "exactly the 12 units on hand were taken: {results:?}"
    );
    assert!(
        results
            .iter()
            .all(|(_, s, c)| *s == 201 || (*s == 409 && c == "insufficient_stock")),
        "{results:?}"
    );

    let stock = on_hand(&first, &admin, &id, &room.stock);
    assert_eq!(stock["on_hand"], (12 - (won - reserved)).to_string());
    assert_eq!(stock["reserved"], reserved.to_string());
    assert_eq!(stock["available"], "0");
    // The ledger says the same as the balance, and the value is what was left unissued.
    let moves = first
        .get(
            &format!("/api/v1/inventory/stock-moves?item_id={id}&limit=500"),
            &admin,
        )
        .expect(200);
    let issued = moves.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["move_type"] == "issue")
        .count();
    assert_eq!(issued, won - reserved);
    let value = first
        .get(&format!("/api/v1/inventory/valuation?item_id={id}"), &admin)
        .expect(200);
    let cost_out: rust_decimal::Decimal = moves.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["move_type"] == "issue")
        .map(|m| {
            m["total_cost"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .sum();
    let expected = rust_decimal::Decimal::new(1750, 2) - cost_out;
    assert_eq!(
        value.body["total_value"]
            .as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap(),
        expected
    );
}
