//! The stock ledger through the API: every kind of move, units, lots, reversals, the stock
//! card, stock at a past instant.

use erp_tests::builders::{item, on_hand, post_move, receive, uom, Stockroom};
use erp_tests::TestApp;
use serde_json::json;

#[test]
fn receipts_issues_transfers_adjustments_and_scrap_keep_the_balances() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "WIDGET", json!({}));

    let r = receive(&app, &admin, &id, &room.receiving, "100", "2.50");
    assert_eq!(r["total_cost"], "250.00");
    post_move(
        &app,
        &admin,
        json!({"move_type": "transfer", "item_id": id, "from_location_id": room.receiving, "to_location_id": room.stock, "quantity": "80"}),
    );
    post_move(
        &app,
        &admin,
        json!({"move_type": "issue", "item_id": id, "from_location_id": room.stock, "quantity": "30", "reference_type": "sales_order", "reference_id": "SO-1"}),
    );
    post_move(
        &app,
        &admin,
        json!({"move_type": "adjustment", "item_id": id, "from_location_id": room.stock, "quantity": "2", "note": "count difference"}),
    );
    let scrap = post_move(
        &app,
        &admin,
        json!({"move_type": "scrap", "item_id": id, "from_location_id": room.stock, "quantity": "3"}),
    );
    assert_eq!(
        scrap["to_location_id"],
        room.scrap.as_str(),
        "scrap goes to the warehouse's scrap location"
    );

    assert_eq!(on_hand(&app, &admin, &id, &room.receiving)["on_hand"], "20");
    let stock = on_hand(&app, &admin, &id, &room.stock);
    assert_eq!(stock["on_hand"], "45");
    assert_eq!(stock["available"], "45");
    let scrapped = on_hand(&app, &admin, &id, &room.scrap);
    assert_eq!(scrapped["on_hand"], "3");
    assert_eq!(scrapped["available"], "0", "scrap is not available");

    // Overselling is refused with what was asked and what there is; nothing changes.
    let r = app
        .post("/api/v1/inventory/stock-moves", &admin, json!({"move_type": "issue", "item_id": id, "from_location_id": room.stock, "quantity": "46"}))
        .expect_problem(409, "insufficient_stock");
    assert_eq!(r.body["requested"], "46");
    assert_eq!(r.body["available"], "45");
    assert_eq!(on_hand(&app, &admin, &id, &room.stock)["on_hand"], "45");

    let by_reference = app
        .get(
            "/api/v1/inventory/stock-moves?reference_type=sales_order&reference_id=SO-1",
            &admin,
        )
        .expect(200);
    assert_eq!(by_reference.body["items"].as_array().unwrap().len(), 1);
}

#[test]
fn moves_are_checked_before_anything_is_written() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "A", json!({}));
    let service = item(&app, &admin, "SRV", json!({"item_type": "service"}));
    let post = |body: serde_json::Value| app.post("/api/v1/inventory/stock-moves", &admin, body);

    post(json!({"move_type": "receipt", "item_id": id, "from_location_id": room.stock, "to_location_id": room.stock, "quantity": "1"}))
        .expect_problem(422, "validation_failed");
    post(json!({"move_type": "receipt", "item_id": id, "to_location_id": room.scrap, "quantity": "1"})).expect_problem(422, "validation_failed");
    post(json!({"move_type": "issue", "item_id": id, "quantity": "1"}))
        .expect_problem(422, "validation_failed");
    post(json!({"move_type": "transfer", "item_id": id, "from_location_id": room.stock, "to_location_id": room.stock, "quantity": "1"}))
        .expect_problem(422, "validation_failed");
    post(json!({"move_type": "receipt", "item_id": id, "to_location_id": room.stock, "quantity": "0"})).expect_problem(422, "validation_failed");
    post(json!({"move_type": "receipt", "item_id": id, "to_location_id": room.stock, "quantity": "-5"})).expect_problem(422, "validation_failed");
    post(json!({"move_type": "receipt", "item_id": id, "to_location_id": room.stock, "quantity": "1.0000001"})).expect_problem(422, "validation_failed");
    post(json!({"move_type": "receipt", "item_id": service, "to_location_id": room.stock, "quantity": "1"})).expect_problem(422, "validation_failed");
    post(json!({"move_type": "reversal", "item_id": id, "to_location_id": room.stock, "quantity": "1"})).expect_problem(422, "validation_failed");
    post(json!({"move_type": "receipt", "item_id": id, "to_location_id": uuid::Uuid::now_v7(), "quantity": "1"})).expect_problem(422, "validation_failed");
    post(json!({"move_type": "receipt", "item_id": id, "to_location_id": room.stock, "quantity": "1", "lot": "L1"})).expect_problem(422, "validation_failed");
    post(json!({"move_type": "teleport", "item_id": id, "to_location_id": room.stock, "quantity": "1"})).expect_problem(422, "validation_failed");
    let moves = app.get("/api/v1/inventory/stock-moves", &admin).expect(200);
    assert_eq!(moves.body["items"].as_array().unwrap().len(), 0);
}

#[test]
fn quantities_in_other_units_are_converted_exactly() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let (ea, boxu, kg, g) = (
        uom(&app, &admin, "ea"),
        uom(&app, &admin, "box"),
        uom(&app, &admin, "kg"),
        uom(&app, &admin, "g"),
    );
    app.post(
        "/api/v1/inventory/uom-conversions",
        &admin,
        json!({"from_uom_id": kg, "to_uom_id": g, "factor": "1000"}),
    )
    .expect(200);
    let conversions = app
        .get("/api/v1/inventory/uom-conversions", &admin)
        .expect(200)
        .body;
    assert_eq!(
        conversions["items"],
        json!([{"from_uom_id": kg, "to_uom_id": g, "factor": "1000"}]),
        "{conversions}"
    );
    let screws = item(
        &app,
        &admin,
        "SCREW",
        json!({"base_uom_id": ea, "units": [{"uom_id": boxu, "factor": "12"}]}),
    );
    let flour = item(&app, &admin, "FLOUR", json!({"base_uom_id": kg}));
    // A page of items lists each one's own units.
    let page = app.get("/api/v1/inventory/items", &admin).expect(200).body;
    let units_of = |id: &str| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()["units"]
            .clone()
    };
    assert_eq!(units_of(&screws), json!([{"uom_id": boxu, "factor": "12"}]));
    assert_eq!(units_of(&flour), json!([]));

    let m = post_move(
        &app,
        &admin,
        json!({"move_type": "receipt", "item_id": screws, "to_location_id": room.stock, "quantity": "2", "uom_id": boxu, "unit_cost": "0.1"}),
    );
    assert_eq!(m["quantity"], "24");
    assert_eq!(m["entered_quantity"], "2");
    let m = post_move(
        &app,
        &admin,
        json!({"move_type": "receipt", "item_id": flour, "to_location_id": room.stock, "quantity": "1500", "uom_id": g, "unit_cost": "2"}),
    );
    assert_eq!(
        m["quantity"], "1.5",
        "1500 g are 1.5 kg through the inverse of kg -> g"
    );
    assert_eq!(m["total_cost"], "3.00");
    app.post("/api/v1/inventory/stock-moves", &admin, json!({"move_type": "issue", "item_id": flour, "from_location_id": room.stock, "quantity": "0.0001", "uom_id": g}))
        .expect_problem(422, "validation_failed");
    app.post("/api/v1/inventory/stock-moves", &admin, json!({"move_type": "issue", "item_id": screws, "from_location_id": room.stock, "quantity": "1", "uom_id": kg}))
        .expect_problem(422, "validation_failed");
}

#[test]
fn lots_and_serial_numbers_are_tracked() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let milk = item(&app, &admin, "MILK", json!({"tracking": "lot"}));
    let laptop = item(&app, &admin, "LAPTOP", json!({"tracking": "serial"}));
    app.post("/api/v1/inventory/stock-moves", &admin, json!({"move_type": "receipt", "item_id": milk, "to_location_id": room.stock, "quantity": "10"}))
        .expect_problem(422, "validation_failed");
    for lot in ["L-01", "L-02"] {
        post_move(
            &app,
            &admin,
            json!({"move_type": "receipt", "item_id": milk, "to_location_id": room.stock, "quantity": "10", "lot": lot}),
        );
    }
    post_move(
        &app,
        &admin,
        json!({"move_type": "issue", "item_id": milk, "from_location_id": room.stock, "quantity": "4", "lot": "L-02"}),
    );
    let l2 = app
        .get(
            &format!("/api/v1/inventory/stock?item_id={milk}&lot=L-02"),
            &admin,
        )
        .expect(200);
    assert_eq!(l2.body["items"][0]["on_hand"], "6");
    app.post("/api/v1/inventory/stock-moves", &admin, json!({"move_type": "issue", "item_id": milk, "from_location_id": room.stock, "quantity": "11", "lot": "L-01"}))
        .expect_problem(409, "insufficient_stock");

    post_move(
        &app,
        &admin,
        json!({"move_type": "receipt", "item_id": laptop, "to_location_id": room.stock, "quantity": "1", "lot": "SN-1"}),
    );
    app.post("/api/v1/inventory/stock-moves", &admin, json!({"move_type": "receipt", "item_id": laptop, "to_location_id": room.stock, "quantity": "1", "lot": "SN-1"}))
        .expect_problem(409, "duplicate_serial");
    app.post("/api/v1/inventory/stock-moves", &admin, json!({"move_type": "receipt", "item_id": laptop, "to_location_id": room.stock, "quantity": "2", "lot": "SN-2"}))
        .expect_problem(422, "validation_failed");
}

#[test]
fn a_reversal_undoes_a_move_once() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "R", json!({}));
    let first = receive(&app, &admin, &id, &room.stock, "10", "3");
    let mistake = receive(&app, &admin, &id, &room.stock, "5", "4");
    let path = format!(
        "/api/v1/inventory/stock-moves/{}/reverse",
        mistake["id"].as_str().unwrap()
    );
    let rev = app
        .post(&path, &admin, json!({"note": "typed the wrong quantity"}))
        .expect(201);
    assert_eq!(rev.body["move_type"], "reversal");
    assert_eq!(rev.body["reversal_of_id"], mistake["id"]);
    assert_eq!(rev.body["total_cost"], "20.00");
    assert_eq!(on_hand(&app, &admin, &id, &room.stock)["on_hand"], "10");
    let value = app
        .get(&format!("/api/v1/inventory/valuation?item_id={id}"), &admin)
        .expect(200);
    assert_eq!(
        value.body["total_value"], "30.00",
        "the reversal took out exactly what came in"
    );
    let r = app
        .post(&path, &admin, json!({}))
        .expect_problem(409, "invalid_state");
    assert_eq!(r.body["current_state"], "reversed");
    app.post(
        &format!("/api/v1/inventory/stock-moves/{}/reverse", rev.id()),
        &admin,
        json!({}),
    )
    .expect_problem(409, "invalid_state");

    // Reversing a receipt whose stock was issued would go below zero.
    post_move(
        &app,
        &admin,
        json!({"move_type": "issue", "item_id": id, "from_location_id": room.stock, "quantity": "10"}),
    );
    app.post(
        &format!(
            "/api/v1/inventory/stock-moves/{}/reverse",
            first["id"].as_str().unwrap()
        ),
        &admin,
        json!({}),
    )
    .expect_problem(409, "insufficient_stock");
    app.post(
        &format!(
            "/api/v1/inventory/stock-moves/{}/reverse",
            uuid::Uuid::now_v7()
        ),
        &admin,
        json!({}),
    )
    .expect_problem(404, "not_found");
}

#[test]
fn the_stock_card_and_stock_at_a_past_instant_agree_with_the_ledger() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "CARD", json!({}));
    receive(&app, &admin, &id, &room.stock, "10", "1");
    post_move(
        &app,
        &admin,
        json!({"move_type": "issue", "item_id": id, "from_location_id": room.stock, "quantity": "4"}),
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mid = chrono::Utc::now();
    std::thread::sleep(std::time::Duration::from_millis(20));
    receive(&app, &admin, &id, &room.stock, "7", "1");
    post_move(
        &app,
        &admin,
        json!({"move_type": "transfer", "item_id": id, "from_location_id": room.stock, "to_location_id": room.receiving, "quantity": "2"}),
    );

    let card = app
        .get(
            &format!(
                "/api/v1/inventory/items/{id}/stock-card?location_id={}",
                room.stock
            ),
            &admin,
        )
        .expect(200);
    let balances: Vec<_> = card.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["balance"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(balances, ["10", "6", "13", "11"]);
    assert_eq!(card.body["closing_balance"], "11");

    let mid_s = mid
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        .replace('+', "%2B");
    let later = app
        .get(
            &format!(
                "/api/v1/inventory/items/{id}/stock-card?location_id={}&from={mid_s}",
                room.stock
            ),
            &admin,
        )
        .expect(200);
    assert_eq!(later.body["opening_balance"], "6");
    assert_eq!(later.body["lines"].as_array().unwrap().len(), 2);
    // Warehouse scope: the transfer between two of its locations changes nothing.
    let whole = app
        .get(
            &format!(
                "/api/v1/inventory/items/{id}/stock-card?warehouse_id={}",
                room.warehouse
            ),
            &admin,
        )
        .expect(200);
    assert_eq!(whole.body["closing_balance"], "13");

    let past = app
        .get(
            &format!("/api/v1/inventory/stock?item_id={id}&as_of={mid_s}"),
            &admin,
        )
        .expect(200);
    let lines = past.body["items"].as_array().unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["on_hand"], "6");
    assert!(
        lines[0]["reserved"].is_null(),
        "reservations are not known for the past"
    );
}

#[test]
fn an_inactive_warehouse_takes_no_moves() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "OLD");
    let id = item(&app, &admin, "Z", json!({}));
    receive(&app, &admin, &id, &room.stock, "3", "1");
    app.patch(
        &format!("/api/v1/inventory/warehouses/{}", room.warehouse),
        &admin,
        1,
        json!({"active": false}),
    )
    .expect(200);
    let r = app
        .post("/api/v1/inventory/stock-moves", &admin, json!({"move_type": "issue", "item_id": id, "from_location_id": room.stock, "quantity": "1"}))
        .expect_problem(422, "validation_failed");
    assert!(r.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("not active"));
    assert_eq!(on_hand(&app, &admin, &id, &room.stock)["on_hand"], "3");
}

#[test]
fn a_warehouse_opening_stock_is_one_request_all_or_nothing() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "WH1");
    let other = Stockroom::create(&app, &admin, "WH2");
    let bolt = item(&app, &admin, "BOLT", json!({"standard_cost": "0.10"}));
    let nut = item(&app, &admin, "NUT", json!({}));
    let milk = item(&app, &admin, "MILK", json!({"tracking": "lot"}));

    // A line in another warehouse's location and a lot-tracked item without its lot: refused,
    // each named, and the good first line is not posted either.
    let r = app
        .post(
            "/api/v1/inventory/opening-balances",
            &admin,
            json!({"warehouse_id": room.warehouse, "lines": [
                {"item_id": bolt, "quantity": "500", "unit_cost": "0.12"},
                {"item_id": nut, "quantity": "300", "location_id": other.stock},
                {"item_id": milk, "quantity": "20"}
            ]}),
        )
        .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert_eq!(fields[0], "lines[1].location_id", "{}", r.body);
    assert!(fields[1].starts_with("lines[2]"), "{}", r.body);
    assert_eq!(fields.len(), 2, "{}", r.body);
    let ledger = app
        .get(
            &format!("/api/v1/inventory/stock-moves?item_id={bolt}"),
            &admin,
        )
        .expect(200);
    assert_eq!(ledger.body["items"], json!([]), "nothing was posted");

    // Corrected: every line posted as an opening-balance receipt, at the given cost or the
    // item's standard cost, into STOCK or the location named.
    let done = app
        .post(
            "/api/v1/inventory/opening-balances",
            &admin,
            json!({"warehouse_id": room.warehouse, "lines": [
                {"item_id": bolt, "quantity": "500", "unit_cost": "0.12"},
                {"item_id": nut, "quantity": "300", "location_id": room.receiving},
                {"item_id": milk, "quantity": "20", "lot": "L-1"}
            ]}),
        )
        .expect(201);
    let moves = done.body["moves"].as_array().unwrap();
    assert_eq!(moves.len(), 3);
    assert!(moves
        .iter()
        .all(|m| m["move_type"] == "receipt" && m["reference_type"] == "opening_balance"));
    assert_eq!(on_hand(&app, &admin, &bolt, &room.stock)["on_hand"], "500");
    assert_eq!(
        on_hand(&app, &admin, &nut, &room.receiving)["on_hand"],
        "300"
    );
    assert_eq!(on_hand(&app, &admin, &milk, &room.stock)["on_hand"], "20");
    let valued = app
        .get(
            &format!(
                "/api/v1/inventory/stock-moves/{}",
                moves[0]["id"].as_str().unwrap()
            ),
            &admin,
        )
        .expect(200);
    assert_eq!(valued.body["unit_cost"], "0.12", "{}", valued.body);

    app.post(
        "/api/v1/inventory/opening-balances",
        &admin,
        json!({"warehouse_id": uuid::Uuid::now_v7(), "lines": [{"item_id": bolt, "quantity": "1"}]}),
    )
    .expect_problem(422, "validation_failed");
}

#[test]
fn a_filter_naming_a_record_that_does_not_exist_is_not_found_on_every_inventory_list() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let bolt = item(&app, &admin, "BOLT", json!({}));
    receive(&app, &admin, &bolt, &room.stock, "3", "1.00");
    let nothing = uuid::Uuid::now_v7();
    for list in [
        "/api/v1/inventory/stock",
        "/api/v1/inventory/availability",
        "/api/v1/inventory/stock-moves",
        "/api/v1/inventory/reservations",
        "/api/v1/inventory/valuation",
        "/api/v1/inventory/supplier-prices",
    ] {
        // The item that exists filters; one that does not is 404, never an empty answer.
        let found = app
            .get(&format!("{list}?item_id={bolt}"), &admin)
            .expect(200);
        assert!(found.body.is_object(), "{list}: {}", found.text);
        let r = app
            .get(&format!("{list}?item_id={nothing}"), &admin)
            .expect_problem(404, "not_found");
        assert!(r.text.contains("item"), "{list}: {}", r.text);
    }
    let (status, _, _) = app.get_bytes(
        &format!("/api/v1/inventory/valuation.svg?item_id={nothing}"),
        &admin,
    );
    assert_eq!(status, 404);
    let (status, _, _) = app.get_bytes(
        &format!("/api/v1/inventory/export/stock?item_id={nothing}"),
        &admin,
    );
    assert_eq!(status, 404);
    let on_hand = app
        .get(&format!("/api/v1/inventory/stock?item_id={bolt}"), &admin)
        .expect(200)
        .body;
    assert_eq!(on_hand["items"][0]["on_hand"], "3");
    // The same for the other id filters: a category, a supplier.
    for (list, found) in [
        ("/api/v1/inventory/items?category_id", "category"),
        ("/api/v1/inventory/supplier-prices?supplier_id", "partner"),
        ("/api/v1/inventory/purchase-orders?supplier_id", "partner"),
    ] {
        let r = app
            .get(&format!("{list}={nothing}"), &admin)
            .expect_problem(404, "not_found");
        assert!(r.text.contains(found), "{list}: {}", r.text);
    }
    let supplier = app
        .post(
            "/api/v1/partners",
            &admin,
            erp_tests::builders::partner("Acme", &["supplier"]),
        )
        .expect(201)
        .id();
    let orders = app
        .get(
            &format!("/api/v1/inventory/purchase-orders?supplier_id={supplier}"),
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(
        orders["items"],
        json!([]),
        "a supplier with no orders has none"
    );
}
