//! Sales orders: confirm reserves stock (all lines or none), deliver issues it in part or
//! whole, cancel releases what is reserved; the order shows on the customer's timeline.

use erp_tests::builders::{crm_seller, item, on_hand, receive, Stockroom};
use erp_tests::TestApp;
use serde_json::json;

#[test]
fn an_order_reserves_on_confirm_ships_in_parts_and_cancels_cleanly() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "SHOP");
    let bolt = item(&app, &admin, "BOLT", json!({}));
    let nut = item(&app, &admin, "NUT", json!({}));
    receive(&app, &admin, &bolt, &room.stock, "100", "0.50");
    receive(&app, &admin, &nut, &room.stock, "10", "0.10");
    let ann = crm_seller(&app, &admin, "ann");
    let c = app
        .post(
            "/api/v1/crm/customers",
            &ann.token,
            json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    let order = app
        .post(
            "/api/v1/crm/sales-orders",
            &ann.token,
            json!({"customer_id": c, "location_id": room.stock, "lines": [
                {"item_id": bolt, "quantity": "40", "unit_price": "1.25", "discount_percent": "10"},
                {"item_id": nut, "quantity": "5", "unit_price": "0.30"}
            ]}),
        )
        .expect(201)
        .body;
    assert!(order["number"].as_str().unwrap().starts_with("SO-"));
    // 40 × 1.25 less 10% = 45.00; 5 × 0.30 = 1.50.
    assert_eq!(order["total"], "46.50");
    let id = order["id"].as_str().unwrap().to_string();
    let confirmed = app
        .post(
            &format!("/api/v1/crm/sales-orders/{id}/confirm"),
            &ann.token,
            json!({}),
        )
        .expect(200)
        .body;
    assert_eq!(confirmed["status"], "confirmed");
    assert_eq!(on_hand(&app, &admin, &bolt, &room.stock)["reserved"], "40");
    let part = app
        .post(
            &format!("/api/v1/crm/sales-orders/{id}/deliver"),
            &ann.token,
            json!({"lines": [{"line_no": 1, "quantity": "15"}]}),
        )
        .expect(200)
        .body;
    assert_eq!(part["status"], "partially_delivered");
    let b = on_hand(&app, &admin, &bolt, &room.stock);
    assert_eq!(
        (b["on_hand"].as_str(), b["reserved"].as_str()),
        (Some("85"), Some("25"))
    );
    app.post(
        &format!("/api/v1/crm/sales-orders/{id}/deliver"),
        &ann.token,
        json!({"lines": [{"line_no": 1, "quantity": "26"}]}),
    )
    .expect_problem(422, "validation_failed");
    let done = app
        .post(
            &format!("/api/v1/crm/sales-orders/{id}/deliver"),
            &ann.token,
            json!({}),
        )
        .expect(200)
        .body;
    assert_eq!(done["status"], "delivered");
    assert_eq!(on_hand(&app, &admin, &nut, &room.stock)["on_hand"], "5");
    app.post(
        &format!("/api/v1/crm/sales-orders/{id}/cancel"),
        &ann.token,
        json!({}),
    )
    .expect_problem(409, "invalid_state");

    // Too much of one line: nothing is reserved.
    let big = app
        .post(
            "/api/v1/crm/sales-orders",
            &ann.token,
            json!({"customer_id": c, "location_id": room.stock, "lines": [
                {"item_id": bolt, "quantity": "10", "unit_price": "1.00"},
                {"item_id": nut, "quantity": "50", "unit_price": "1.00"}
            ]}),
        )
        .expect(201)
        .id();
    app.post(
        &format!("/api/v1/crm/sales-orders/{big}/confirm"),
        &ann.token,
        json!({}),
    )
    .expect_problem(409, "insufficient_stock");
    assert_eq!(on_hand(&app, &admin, &bolt, &room.stock)["reserved"], "0");
    // Confirmed, then cancelled: the reservation goes back.
    let small = app
        .post("/api/v1/crm/sales-orders", &ann.token, json!({"customer_id": c, "location_id": room.stock, "lines": [{"item_id": bolt, "quantity": "7", "unit_price": "1.00"}]}))
        .expect(201)
        .id();
    app.post(
        &format!("/api/v1/crm/sales-orders/{small}/confirm"),
        &ann.token,
        json!({}),
    )
    .expect(200);
    assert_eq!(on_hand(&app, &admin, &bolt, &room.stock)["reserved"], "7");
    let cancelled = app
        .post(
            &format!("/api/v1/crm/sales-orders/{small}/cancel"),
            &ann.token,
            json!({}),
        )
        .expect(200)
        .body;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(on_hand(&app, &admin, &bolt, &room.stock)["reserved"], "0");

    let timeline = app
        .get(&format!("/api/v1/crm/customers/{c}/timeline"), &ann.token)
        .expect(200)
        .body;
    let orders = timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "order")
        .count();
    assert_eq!(orders, 3);
    let listed = app
        .get(
            &format!("/api/v1/crm/sales-orders?customer_id={c}&status=cancelled"),
            &ann.token,
        )
        .expect(200)
        .body;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    // Another manager neither sees nor ships Ann's orders.
    let bob = crm_seller(&app, &admin, "bob");
    app.get(&format!("/api/v1/crm/sales-orders/{id}"), &bob.token)
        .expect_problem(404, "not_found");
    assert!(app
        .get("/api/v1/crm/sales-orders", &bob.token)
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .is_empty());
    app.post("/api/v1/crm/sales-orders", &bob.token, json!({"customer_id": c, "location_id": room.stock, "lines": [{"item_id": bolt, "quantity": "1", "unit_price": "1.00"}]}))
        .expect_problem(422, "validation_failed");
    app.post("/api/v1/crm/sales-orders", &ann.token, json!({"customer_id": c, "location_id": room.stock, "lines": [{"item_id": bolt, "quantity": "0", "unit_price": "-1.00", "discount_percent": "120"}]}))
        .expect_problem(422, "validation_failed");
}

#[test]
fn many_sellers_confirming_at_once_never_sell_more_than_there_is() {
    use std::sync::Arc;
    let app = Arc::new(TestApp::spawn());
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "SHOP");
    let beam = item(&app, &admin, "BEAM", json!({}));
    receive(&app, &admin, &beam, &room.stock, "10", "5.00");
    // 16 sellers, each with a customer and a draft order for 3 beams: only 3 orders fit.
    let drafts: Vec<(String, String)> = (0..16)
        .map(|i| {
            let s = crm_seller(&app, &admin, &format!("seller{i}"));
            let c = app
                .post(
                    "/api/v1/crm/customers",
                    &s.token,
                    json!({"partner": {"kind": "organisation", "name": format!("C{i}")}}),
                )
                .expect(201)
                .id();
            let o = app
                .post(
                    "/api/v1/crm/sales-orders",
                    &s.token,
                    json!({"customer_id": c, "location_id": room.stock, "lines": [{"item_id": beam, "quantity": "3", "unit_price": "9.00"}]}),
                )
                .expect(201)
                .id();
            (s.token, o)
        })
        .collect();
    let threads: Vec<_> = drafts
        .into_iter()
        .map(|(token, order)| {
            let app = app.clone();
            std::thread::spawn(move || {
                app.post(
                    &format!("/api/v1/crm/sales-orders/{order}/confirm"),
                    &token,
                    json!({}),
                )
            })
        })
        .collect();
    let mut confirmed = 0;
    for t in threads {
        let r = t.join().expect("seller thread");
        match r.status {
            200 => confirmed += 1,
            409 => assert_eq!(r.body["code"], "insufficient_stock", "{}", r.text),
            other => panic!("confirm answered {other}: {}", r.text),
        }
    }
    assert_eq!(confirmed, 3);
    let b = on_hand(&app, &admin, &beam, &room.stock);
    assert_eq!(
        (b["on_hand"].as_str(), b["reserved"].as_str()),
        (Some("10"), Some("9"))
    );
}

/// An order may name the warehouse it ships from instead of one of its locations (its STOCK
/// location), and take each item's sales price where a line names no price.
#[test]
fn an_order_takes_the_warehouse_and_the_items_sales_price_when_not_given() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "SHOP");
    let bolt = item(&app, &admin, "BOLT", json!({"sales_price": "1.25"}));
    let nut = item(&app, &admin, "NUT", json!({}));
    let got = app
        .get(&format!("/api/v1/inventory/items/{bolt}"), &admin)
        .expect(200);
    assert_eq!(got.body["sales_price"], "1.25");
    let ann = crm_seller(&app, &admin, "ann");
    let c = app
        .post(
            "/api/v1/crm/customers",
            &ann.token,
            json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    let order = |body: serde_json::Value| app.post("/api/v1/crm/sales-orders", &ann.token, body);

    let o = order(
        json!({"customer_id": c, "warehouse_id": room.warehouse, "lines": [
            {"item_id": bolt, "quantity": "40", "discount_percent": "10"},
            {"item_id": nut, "quantity": "5", "unit_price": "0.30"}
        ]}),
    )
    .expect(201)
    .body;
    assert_eq!(
        o["location_id"],
        room.stock.as_str(),
        "the warehouse's STOCK location"
    );
    assert_eq!(
        o["lines"][0]["unit_price"], "1.25",
        "the item's sales price"
    );
    assert_eq!(o["total"], "46.50");

    let r = order(
        json!({"customer_id": c, "warehouse_id": room.warehouse, "lines": [
            {"item_id": nut, "quantity": "5"}
        ]}),
    )
    .expect_problem(422, "validation_failed");
    assert_eq!(
        r.error_fields(),
        ["lines[0].unit_price"],
        "the nut has no sales price"
    );
    let r = order(json!({"customer_id": c, "lines": [{"item_id": bolt, "quantity": "1"}]}))
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["location_id"]);
    let r = order(
        json!({"customer_id": c, "location_id": room.stock, "warehouse_id": room.warehouse,
        "lines": [{"item_id": bolt, "quantity": "1"}]}),
    )
    .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["warehouse_id"]);
    let r = order(
        json!({"customer_id": c, "warehouse_id": uuid::Uuid::now_v7(),
        "lines": [{"item_id": bolt, "quantity": "1"}]}),
    )
    .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["warehouse_id"]);
    app.patch(
        &format!("/api/v1/inventory/items/{bolt}"),
        &admin,
        got.body["version"].as_i64().unwrap(),
        json!({"sales_price": "-1"}),
    )
    .expect_problem(422, "validation_failed");
}
