//! Valuation through the API: moving average and FIFO worked by hand, value carried across
//! warehouses, value at a past instant, and exactness after many random moves.

use erp_tests::builders::{item, post_move, receive, Stockroom};
use erp_tests::TestApp;
use rand::Rng;
use rust_decimal::Decimal;
use serde_json::json;

fn dec(v: &serde_json::Value) -> Decimal {
    v.as_str().unwrap().parse().unwrap()
}

fn issue(app: &TestApp, t: &str, item: &str, loc: &str, qty: &str) -> serde_json::Value {
    post_move(
        app,
        t,
        json!({"move_type": "issue", "item_id": item, "from_location_id": loc, "quantity": qty}),
    )
}

#[test]
fn moving_average_worked_by_hand() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "MA", json!({}));
    receive(&app, &admin, &id, &room.stock, "10", "1.00");
    receive(&app, &admin, &id, &room.stock, "20", "1.30");
    assert_eq!(
        issue(&app, &admin, &id, &room.stock, "7")["total_cost"],
        "8.40"
    );
    let v = app
        .get(&format!("/api/v1/inventory/valuation?item_id={id}"), &admin)
        .expect(200);
    assert_eq!(v.body["items"][0]["quantity"], "23");
    assert_eq!(v.body["items"][0]["value"], "27.60");
    assert_eq!(v.body["items"][0]["average_unit_cost"], "1.20");
    // An adjustment without a cost comes in at the current average.
    let adj = post_move(
        &app,
        &admin,
        json!({"move_type": "adjustment", "item_id": id, "to_location_id": room.stock, "quantity": "2"}),
    );
    assert_eq!(adj["total_cost"], "2.40");
}

#[test]
fn fifo_worked_by_hand() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "FIFO", json!({"valuation": "fifo"}));
    receive(&app, &admin, &id, &room.stock, "10", "1.00");
    receive(&app, &admin, &id, &room.stock, "5", "1.50");
    receive(&app, &admin, &id, &room.stock, "5", "2.00");
    assert_eq!(
        issue(&app, &admin, &id, &room.stock, "12")["total_cost"],
        "13.00",
        "10 × 1.00 + 2 × 1.50"
    );
    assert_eq!(
        issue(&app, &admin, &id, &room.stock, "4")["total_cost"],
        "6.50",
        "3 × 1.50 + 1 × 2.00"
    );
    let v = app
        .get(&format!("/api/v1/inventory/valuation?item_id={id}"), &admin)
        .expect(200);
    assert_eq!(v.body["total_value"], "8.00");
    // Scrap leaves the value of stock like an issue.
    let s = post_move(
        &app,
        &admin,
        json!({"move_type": "scrap", "item_id": id, "from_location_id": room.stock, "quantity": "1"}),
    );
    assert_eq!(s["total_cost"], "2.00");
    assert_eq!(
        app.get(&format!("/api/v1/inventory/valuation?item_id={id}"), &admin)
            .body["total_value"],
        "6.00"
    );
}

#[test]
fn value_travels_with_goods_between_warehouses_and_is_known_for_the_past() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = Stockroom::create(&app, &admin, "A");
    let b = Stockroom::create(&app, &admin, "B");
    let id = item(&app, &admin, "T", json!({}));
    receive(&app, &admin, &id, &a.stock, "4", "2.50");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let before = chrono::Utc::now()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        .replace('+', "%2B");
    std::thread::sleep(std::time::Duration::from_millis(20));
    // Ship to B through A's transit location, then receive.
    post_move(
        &app,
        &admin,
        json!({"move_type": "transfer", "item_id": id, "from_location_id": a.stock, "to_location_id": a.transit, "quantity": "3"}),
    );
    let value_of = |w: &str, extra: &str| {
        let r = app
            .get(
                &format!("/api/v1/inventory/valuation?item_id={id}&warehouse_id={w}{extra}"),
                &admin,
            )
            .expect(200);
        r.body["total_value"].as_str().unwrap().to_string()
    };
    assert_eq!(
        value_of(&a.warehouse, ""),
        "10.00",
        "goods in transit stay in the shipping warehouse's value"
    );
    let arrived = post_move(
        &app,
        &admin,
        json!({"move_type": "transfer", "item_id": id, "from_location_id": a.transit, "to_location_id": b.stock, "quantity": "3"}),
    );
    assert_eq!(arrived["total_cost"], "7.50");
    assert_eq!(value_of(&a.warehouse, ""), "2.50");
    assert_eq!(value_of(&b.warehouse, ""), "7.50");
    assert_eq!(value_of(&a.warehouse, &format!("&as_of={before}")), "10.00");
    assert_eq!(value_of(&b.warehouse, &format!("&as_of={before}")), "0.00");
}

#[test]
fn value_of_stock_is_receipts_minus_issued_cost_after_many_random_moves() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = Stockroom::create(&app, &admin, "A");
    let b = Stockroom::create(&app, &admin, "B");
    let mut rng = rand::rng();
    for (sku, method) in [("RND-MA", "moving_average"), ("RND-FIFO", "fifo")] {
        let id = item(&app, &admin, sku, json!({"valuation": method}));
        let (mut received, mut issued) = (Decimal::ZERO, Decimal::ZERO);
        let mut held = [Decimal::ZERO, Decimal::ZERO];
        let locs = [&a.stock, &b.stock];
        for _ in 0..150 {
            let w = rng.random_range(0..2);
            let qty = Decimal::new(rng.random_range(1..5_000_000), 6);
            let roll = rng.random_range(0..10);
            if roll < 5 || held[w] < qty {
                let cost = Decimal::new(rng.random_range(1..9_999_999), 6);
                let m = receive(
                    &app,
                    &admin,
                    &id,
                    locs[w],
                    &qty.to_string(),
                    &cost.to_string(),
                );
                received += dec(&m["total_cost"]);
                held[w] += qty;
            } else if roll < 8 {
                let m = issue(&app, &admin, &id, locs[w], &qty.to_string());
                issued += dec(&m["total_cost"]);
                held[w] -= qty;
            } else {
                post_move(
                    &app,
                    &admin,
                    json!({"move_type": "transfer", "item_id": id, "from_location_id": locs[w], "to_location_id": locs[1 - w], "quantity": qty.to_string()}),
                );
                held[w] -= qty;
                held[1 - w] += qty;
            }
        }
        let v = app
            .get(&format!("/api/v1/inventory/valuation?item_id={id}"), &admin)
            .expect(200);
        assert_eq!(
            dec(&v.body["total_value"]),
            received - issued,
            "{method}: value = receipts - issued cost"
        );
        let qty: Decimal = v.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| dec(&l["quantity"]))
            .sum();
        assert_eq!(
            qty,
            held[0] + held[1],
            "{method}: quantity valued = quantity held"
        );
    }
}
