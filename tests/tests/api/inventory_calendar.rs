//! Stock on the calendar: moves with a business date, backdated moves that re-cost what
//! followed (textbook figures under moving average and FIFO, with the ledger following),
//! specific identification by lot, the limits on dates, the CSV date column, and the
//! moving-average reversal that used to leave value at zero units.

use chrono::{Duration, SecondsFormat, Utc};
use erp_tests::builders::{item, partner, post_move, receive, Stockroom};
use erp_tests::finance::books;
use erp_tests::TestApp;
use serde_json::{json, Value};

/// An instant `days` days back (plus `hours`), as the API takes it.
fn ago(days: i64, hours: i64) -> String {
    (Utc::now() - Duration::days(days) + Duration::hours(hours))
        .to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn dated(app: &TestApp, token: &str, mut body: Value, at: &str) -> Value {
    body["effective_at"] = json!(at);
    post_move(app, token, body)
}

fn receipt(item: &str, loc: &str, qty: &str, cost: &str) -> Value {
    json!({"move_type": "receipt", "item_id": item, "to_location_id": loc, "quantity": qty, "unit_cost": cost})
}

fn issue(item: &str, loc: &str, qty: &str) -> Value {
    json!({"move_type": "issue", "item_id": item, "from_location_id": loc, "quantity": qty})
}

fn get_move(app: &TestApp, token: &str, m: &Value) -> Value {
    app.get(
        &format!(
            "/api/v1/inventory/stock-moves/{}",
            m["id"].as_str().unwrap()
        ),
        token,
    )
    .expect(200)
    .body
}

fn valuation(app: &TestApp, token: &str, item: &str, as_of: Option<&str>) -> Value {
    let at = as_of.map(|t| format!("&as_of={t}")).unwrap_or_default();
    app.get(
        &format!("/api/v1/inventory/valuation?item_id={item}{at}"),
        token,
    )
    .expect(200)
    .body
}

#[test]
fn a_late_receipt_re_costs_the_issue_after_it_under_moving_average() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "MA-LATE", json!({}));
    // Day 1: 10 @ 1.00. Day 3: 5 issued, at 1.00 then.
    dated(
        &app,
        &admin,
        receipt(&id, &room.stock, "10", "1.00"),
        &ago(10, 0),
    );
    let sale = dated(&app, &admin, issue(&id, &room.stock, "5"), &ago(8, 0));
    assert_eq!(sale["total_cost"], "5.00");
    // The truck of day 2 is recorded late: 10 @ 2.00. Dated right, the average on day 3
    // was 30.00 / 20 = 1.50, so the issue cost 7.50.
    let late = dated(
        &app,
        &admin,
        receipt(&id, &room.stock, "10", "2.00"),
        &ago(9, 0),
    );
    assert_eq!(
        late["effective_at"].as_str().unwrap()[..10],
        ago(9, 0)[..10]
    );
    let sale = get_move(&app, &admin, &sale);
    assert_eq!(sale["total_cost"], "7.50");
    assert_eq!(sale["unit_cost"], "1.50");
    let now = valuation(&app, &admin, &id, None);
    assert_eq!(now["items"][0]["quantity"], "15");
    assert_eq!(now["total_value"], "22.50", "10 + 20 - 7.50");
    // As of any instant, by business date.
    let between = valuation(&app, &admin, &id, Some(&ago(8, -2)));
    assert_eq!(between["items"][0]["quantity"], "20");
    assert_eq!(between["total_value"], "30.00");
    let first_day = valuation(&app, &admin, &id, Some(&ago(9, -2)));
    assert_eq!(first_day["total_value"], "10.00");
    // The stock card reads in business-date order.
    let card = app
        .get(&format!("/api/v1/inventory/items/{id}/stock-card"), &admin)
        .expect(200)
        .body;
    let kinds: Vec<(&str, &str)> = card["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["move_type"].as_str().unwrap(),
                l["balance"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [("receipt", "10"), ("receipt", "20"), ("issue", "15")]
    );
    // An issue posted now costs from the restated average: 22.50 / 15 = 1.50.
    let today = post_move(&app, &admin, issue(&id, &room.stock, "3"));
    assert_eq!(today["total_cost"], "4.50");
}

#[test]
fn a_late_receipt_takes_its_place_among_the_fifo_layers() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "FIFO-LATE", json!({"valuation": "fifo"}));
    let first = dated(
        &app,
        &admin,
        receipt(&id, &room.stock, "10", "1.00"),
        &ago(10, 0),
    );
    dated(
        &app,
        &admin,
        receipt(&id, &room.stock, "10", "3.00"),
        &ago(6, 0),
    );
    let sale = dated(&app, &admin, issue(&id, &room.stock, "15"), &ago(4, 0));
    assert_eq!(sale["total_cost"], "25.00", "10 × 1.00 + 5 × 3.00");
    assert_eq!(sale["layers"].as_array().unwrap().len(), 2);
    // A receipt of day 8 recorded late: it is older than the 3.00 layer, so the issue
    // takes 10 × 1.00 + 5 × 2.00 = 20.00.
    let late = dated(
        &app,
        &admin,
        receipt(&id, &room.stock, "10", "2.00"),
        &ago(8, 0),
    );
    let sale = get_move(&app, &admin, &sale);
    assert_eq!(sale["total_cost"], "20.00");
    let layers: Vec<(&str, &str, &str)> = sale["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["receipt_move_id"].as_str().unwrap(),
                l["quantity"].as_str().unwrap(),
                l["cost"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        layers,
        [
            (first["id"].as_str().unwrap(), "10", "10.00"),
            (late["id"].as_str().unwrap(), "5", "10.00")
        ]
    );
    assert_eq!(valuation(&app, &admin, &id, None)["total_value"], "40.00");
    // What is left: 5 @ 2.00, then 10 @ 3.00.
    let next = post_move(&app, &admin, issue(&id, &room.stock, "7"));
    assert_eq!(next["total_cost"], "16.00", "5 × 2.00 + 2 × 3.00");
    // A backdated issue the layers of its date cannot cover is refused, and changes nothing.
    let r = app.post(
        "/api/v1/inventory/stock-moves",
        &admin,
        json!({"move_type": "issue", "item_id": id, "from_location_id": room.stock, "quantity": "5", "effective_at": ago(11, 0)}),
    );
    r.expect_problem(409, "fifo_layers_exhausted");
    assert_eq!(valuation(&app, &admin, &id, None)["total_value"], "24.00");
}

#[test]
fn re_costing_posts_its_difference_to_the_ledger_dated_as_the_re_costed_issue() {
    let b = books();
    let (app, admin) = (&b.app, &b.admin);
    let room = Stockroom::create(app, admin, "W1");
    let id = item(app, admin, "LEDGER-LATE", json!({}));
    dated(
        app,
        admin,
        receipt(&id, &room.stock, "10", "1.00"),
        &ago(6, 0),
    );
    dated(app, admin, issue(&id, &room.stock, "5"), &ago(3, 0));
    let late = dated(
        app,
        admin,
        receipt(&id, &room.stock, "10", "2.00"),
        &ago(5, 0),
    );
    let entries = app
        .get(
            &format!(
                "/api/v1/finance/entries?reference_type=stock_move&reference_id={}",
                late["id"].as_str().unwrap()
            ),
            admin,
        )
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        entries.len(),
        2,
        "the late receipt's own entry and the re-costing it caused"
    );
    let recost = entries
        .iter()
        .find(|e| e["description"].as_str().unwrap().starts_with("re-costing"))
        .expect("a re-costing entry");
    assert_eq!(recost["entry_date"], ago(3, 0)[..10]);
    let line = |code: &str| {
        recost["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["account_code"] == code)
            .map(|l| {
                (
                    l["debit"].as_str().unwrap().to_string(),
                    l["credit"].as_str().unwrap().to_string(),
                )
            })
    };
    assert_eq!(line("1300"), Some(("0.00".into(), "2.50".into())));
    assert_eq!(line("5000"), Some(("2.50".into(), "0.00".into())));
    // The stock account equals the valuation to the cent.
    let periods = app
        .get("/api/v1/finance/periods?limit=100", admin)
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .clone();
    let first = periods[0]["starts_on"].as_str().unwrap();
    let last = periods[periods.len() - 1]["ends_on"].as_str().unwrap();
    let tb = b.trial_balance(first, last);
    let stock = tb["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "1300")
        .unwrap()["closing"]
        .as_str()
        .unwrap()
        .parse::<rust_decimal::Decimal>()
        .unwrap();
    let value = valuation(app, admin, &id, None)["total_value"]
        .as_str()
        .unwrap()
        .parse::<rust_decimal::Decimal>()
        .unwrap();
    assert_eq!(stock, value);
    assert_eq!(value.to_string(), "22.50");

    // A move dated into a closed period is refused.
    let day = ago(20, 0)[..10].to_string();
    let period = periods
        .iter()
        .find(|p| {
            p["starts_on"].as_str().unwrap() <= day.as_str()
                && p["ends_on"].as_str().unwrap() >= day.as_str()
        })
        .unwrap();
    app.post(
        &format!(
            "/api/v1/finance/periods/{}/close",
            period["id"].as_str().unwrap()
        ),
        admin,
        json!({}),
    )
    .expect(200);
    let other = item(app, admin, "LEDGER-CLOSED", json!({}));
    app.post(
        "/api/v1/inventory/stock-moves",
        admin,
        json!({"move_type": "receipt", "item_id": other, "to_location_id": room.stock, "quantity": "1", "unit_cost": "1", "effective_at": ago(20, 0)}),
    )
    .expect_problem(409, "period_closed");
    assert_eq!(
        valuation(app, admin, &other, None)["total_value"],
        "0.00",
        "nothing was posted"
    );
}

#[test]
fn business_dates_have_limits() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "LIMITS", json!({}));
    let post = |at: String| {
        app.post(
            "/api/v1/inventory/stock-moves",
            &admin,
            json!({"move_type": "receipt", "item_id": id, "to_location_id": room.stock, "quantity": "1", "unit_cost": "1", "effective_at": at}),
        )
    };
    let future = post(ago(0, 1)).expect_problem(422, "validation_failed");
    assert_eq!(future.body["errors"][0]["field"], "effective_at");
    let old = post(ago(40, 0)).expect_problem(422, "validation_failed");
    assert!(old.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("31 days"));
    // The company allows more.
    let company = &app.get("/api/v1/org/companies", &admin).expect(200).body["items"][0];
    assert_eq!(company["stock_backdate_days"], 31);
    let cid = company["id"].as_str().unwrap();
    let v = company["version"].as_i64().unwrap();
    app.patch(
        &format!("/api/v1/org/companies/{cid}"),
        &admin,
        v,
        json!({"stock_backdate_days": 4000}),
    )
    .expect_problem(422, "validation_failed");
    app.patch(
        &format!("/api/v1/org/companies/{cid}"),
        &admin,
        v,
        json!({"stock_backdate_days": 60}),
    )
    .expect(200);
    let m = post(ago(40, 0)).expect(201);
    assert_eq!(
        m.body["effective_at"].as_str().unwrap()[..10],
        ago(40, 0)[..10]
    );
    assert_ne!(m.body["posted_at"], m.body["effective_at"]);
    // A backdated issue that finds no stock on its date (the warehouse does not allow
    // negative stock) is refused, though there is stock now.
    post(ago(2, 0)).expect(201);
    let r = app.post(
        "/api/v1/inventory/stock-moves",
        &admin,
        json!({"move_type": "issue", "item_id": id, "from_location_id": room.stock, "quantity": "2", "effective_at": ago(41, 0)}),
    );
    r.expect_problem(409, "insufficient_stock_at_date");
    // A reversal is not dated before the move it reverses.
    app.post(
        &format!(
            "/api/v1/inventory/stock-moves/{}/reverse",
            m.body["id"].as_str().unwrap()
        ),
        &admin,
        json!({"effective_at": ago(45, 0)}),
    )
    .expect_problem(422, "validation_failed");
}

#[test]
fn reversing_a_moving_average_receipt_never_leaves_value_at_zero_units() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "MA-REV", json!({}));
    receive(&app, &admin, &id, &room.stock, "10", "1.00");
    let second = receive(&app, &admin, &id, &room.stock, "10", "3.00");
    let sale = post_move(&app, &admin, issue(&id, &room.stock, "10"));
    assert_eq!(sale["total_cost"], "20.00");
    let back = app
        .post(
            &format!(
                "/api/v1/inventory/stock-moves/{}/reverse",
                second["id"].as_str().unwrap()
            ),
            &admin,
            json!({}),
        )
        .expect(201);
    assert_eq!(
        back.body["total_cost"], "30.00",
        "the receipt goes back at its value"
    );
    let v = valuation(&app, &admin, &id, None);
    assert_eq!(
        v["total_value"], "0.00",
        "no -10.00 left at zero units: {v}"
    );
    // The next receipt starts clean.
    receive(&app, &admin, &id, &room.stock, "4", "2.00");
    let next = post_move(&app, &admin, issue(&id, &room.stock, "1"));
    assert_eq!(next["total_cost"], "2.00");
}

#[test]
fn specific_identification_costs_an_issue_at_its_lot() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    app.post(
        "/api/v1/inventory/items",
        &admin,
        json!({"sku": "SPEC-NONE", "name": "x", "base_uom_id": erp_tests::builders::uom(&app, &admin, "ea"), "valuation": "specific_identification"}),
    )
    .expect_problem(422, "validation_failed");
    let id = item(
        &app,
        &admin,
        "SPEC",
        json!({"valuation": "specific_identification", "tracking": "lot"}),
    );
    let lot = |l: &str, cost: &str| {
        let mut b = receipt(&id, &room.stock, "5", cost);
        b["lot"] = json!(l);
        post_move(&app, &admin, b)
    };
    lot("A", "1.00");
    let b = lot("B", "2.00");
    let mut out = issue(&id, &room.stock, "2");
    out["lot"] = json!("B");
    let sale = post_move(&app, &admin, out);
    assert_eq!(
        sale["total_cost"], "4.00",
        "lot B's cost, not the oldest layer's"
    );
    assert_eq!(sale["layers"][0]["receipt_move_id"], b["id"]);
    assert_eq!(sale["layers"][0]["lot"], "B");
    assert_eq!(valuation(&app, &admin, &id, None)["total_value"], "11.00");
    // A backdated receipt of lot A does not touch the issue of lot B.
    let mut early = receipt(&id, &room.stock, "5", "0.50");
    early["lot"] = json!("A");
    dated(&app, &admin, early, &ago(3, 0));
    assert_eq!(get_move(&app, &admin, &sale)["total_cost"], "4.00");
}

#[test]
fn a_transfer_re_costed_carries_the_difference_into_the_receiving_warehouse() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = Stockroom::create(&app, &admin, "A");
    let b = Stockroom::create(&app, &admin, "B");
    let id = item(&app, &admin, "CASCADE", json!({}));
    dated(
        &app,
        &admin,
        receipt(&id, &a.stock, "10", "1.00"),
        &ago(10, 0),
    );
    let moved = dated(
        &app,
        &admin,
        json!({"move_type": "transfer", "item_id": id, "from_location_id": a.stock, "to_location_id": b.stock, "quantity": "4"}),
        &ago(8, 0),
    );
    assert_eq!(moved["total_cost"], "4.00");
    let sold_in_b = dated(&app, &admin, issue(&id, &b.stock, "2"), &ago(6, 0));
    assert_eq!(sold_in_b["total_cost"], "2.00");
    // Late: 10 @ 3.00 into A on day 9. The transfer now carries 4 × 2.00 = 8.00 into B, and
    // B's issue costs 2 × 2.00 = 4.00.
    dated(
        &app,
        &admin,
        receipt(&id, &a.stock, "10", "3.00"),
        &ago(9, 0),
    );
    assert_eq!(get_move(&app, &admin, &moved)["total_cost"], "8.00");
    assert_eq!(get_move(&app, &admin, &sold_in_b)["total_cost"], "4.00");
    let by_warehouse = |w: &str| {
        app.get(
            &format!("/api/v1/inventory/valuation?item_id={id}&warehouse_id={w}"),
            &admin,
        )
        .expect(200)
        .body["total_value"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(by_warehouse(&a.warehouse), "32.00", "16 units at 2.00");
    assert_eq!(by_warehouse(&b.warehouse), "4.00", "2 units at 2.00");
}

#[test]
fn an_issue_near_a_midpoint_is_rounded_once() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "MIDPOINT", json!({}));
    // 3,999,999,999,999.999998 units worth 4,000,000.0001.
    receive(
        &app,
        &admin,
        &id,
        &room.stock,
        "3999999999999.999997",
        "0.000001",
    );
    receive(&app, &admin, &id, &room.stock, "0.000001", "100");
    assert_eq!(
        valuation(&app, &admin, &id, None)["total_value"],
        "4000000.0001"
    );
    // Exactly 2,770,963.70464999...: rounded once, .7046.
    let out = post_move(
        &app,
        &admin,
        issue(&id, &room.stock, "2770963704580.725906"),
    );
    assert_eq!(out["total_cost"], "2770963.7046");
}

#[test]
fn a_transfer_is_received_on_its_own_date_but_not_before_it_was_shipped() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = Stockroom::create(&app, &admin, "A");
    let b = Stockroom::create(&app, &admin, "B");
    let id = item(&app, &admin, "TR-DATE", json!({}));
    dated(
        &app,
        &admin,
        receipt(&id, &a.stock, "10", "2.00"),
        &ago(5, 0),
    );
    let t = app
        .post(
            "/api/v1/inventory/transfers",
            &admin,
            json!({"from_warehouse_id": a.warehouse, "to_warehouse_id": b.warehouse, "lines": [{"item_id": id, "quantity": "4"}]}),
        )
        .expect(201);
    let path = format!("/api/v1/inventory/transfers/{}", t.id());
    let line = t.body["lines"][0]["id"].clone();
    app.post(&format!("{path}/ship"), &admin, json!({}))
        .expect(200);
    let early = app
        .post(
            &format!("{path}/receive"),
            &admin,
            json!({"lines": [{"line_id": line, "quantity": "4"}], "effective_at": ago(1, 0)}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(early.body["errors"][0]["field"], "effective_at");
    let soon = (Utc::now() + Duration::seconds(30)).to_rfc3339_opts(SecondsFormat::Micros, true);
    let got = app
        .post(
            &format!("{path}/receive"),
            &admin,
            json!({"lines": [{"line_id": line, "quantity": "4"}], "effective_at": soon}),
        )
        .expect(200);
    let arrived = &got.body["moves"][0];
    assert_eq!(arrived["total_cost"], "8.00");
    assert!(arrived["effective_at"].as_str().unwrap() <= soon.as_str());
}

#[test]
fn a_purchase_receipt_recorded_late_re_costs_the_sale_made_from_it() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let acme = app
        .post("/api/v1/partners", &admin, partner("Acme", &["supplier"]))
        .expect(201)
        .id();
    let id = item(&app, &admin, "PO-LATE", json!({}));
    dated(
        &app,
        &admin,
        receipt(&id, &room.stock, "10", "1.00"),
        &ago(4, 0),
    );
    let sale = dated(&app, &admin, issue(&id, &room.stock, "4"), &ago(2, 0));
    assert_eq!(sale["total_cost"], "4.00");
    let po = app
        .post(
            "/api/v1/inventory/purchase-orders",
            &admin,
            json!({"supplier_id": acme, "warehouse_id": room.warehouse, "lines": [{"item_id": id, "quantity": "10", "unit_price": "4.00"}]}),
        )
        .expect(201);
    let line = po.body["lines"][0]["id"].clone();
    let path = format!("/api/v1/inventory/purchase-orders/{}", po.id());
    app.post(&format!("{path}/confirm"), &admin, json!({}))
        .expect(200);
    // The goods came the day before the sale; the receipt is entered today.
    let got = app
        .post(
            &format!("{path}/receive"),
            &admin,
            json!({"lines": [{"line_id": line, "quantity": "10"}], "effective_at": ago(3, 0)}),
        )
        .expect(200);
    assert_eq!(
        got.body["moves"][0]["effective_at"].as_str().unwrap()[..10],
        ago(3, 0)[..10]
    );
    // Average on the day of the sale: (10 + 40) / 20 = 2.50.
    assert_eq!(get_move(&app, &admin, &sale)["total_cost"], "10.00");
}

#[test]
fn a_sales_delivery_recorded_late_keeps_its_day() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "SHOP");
    let id = item(&app, &admin, "SO-LATE", json!({}));
    dated(
        &app,
        &admin,
        receipt(&id, &room.stock, "10", "1.00"),
        &ago(6, 0),
    );
    let customer = app
        .post(
            "/api/v1/crm/customers",
            &admin,
            json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    let order = app
        .post(
            "/api/v1/crm/sales-orders",
            &admin,
            json!({"customer_id": customer, "location_id": room.stock, "lines": [
                {"item_id": id, "quantity": "4", "unit_price": "5.00"}]}),
        )
        .expect(201)
        .id();
    let path = format!("/api/v1/crm/sales-orders/{order}");
    app.post(&format!("{path}/confirm"), &admin, json!({}))
        .expect(200);
    app.post(
        &format!("{path}/deliver"),
        &admin,
        json!({"effective_at": ago(2, 0)}),
    )
    .expect(200);
    // A receipt of day 4 recorded after the delivery re-costs it: (10 + 30) / 20 = 2.00.
    dated(
        &app,
        &admin,
        receipt(&id, &room.stock, "10", "3.00"),
        &ago(4, 0),
    );
    let moves = app
        .get(
            &format!("/api/v1/inventory/stock-moves?item_id={id}&reference_id={order}"),
            &admin,
        )
        .expect(200)
        .body;
    let delivery = &moves["items"][0];
    assert_eq!(delivery["move_type"], "issue");
    assert_eq!(
        delivery["effective_at"].as_str().unwrap()[..10],
        ago(2, 0)[..10]
    );
    assert_eq!(delivery["total_cost"], "8.00");
}

#[test]
fn a_count_as_of_month_end_compares_with_stock_then_and_is_dated_then() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "COUNT-ASOF", json!({}));
    dated(
        &app,
        &admin,
        receipt(&id, &room.stock, "10", "1.00"),
        &ago(5, 0),
    );
    // Month end was 3 days ago; 4 more units arrived since.
    dated(
        &app,
        &admin,
        receipt(&id, &room.stock, "4", "1.00"),
        &ago(1, 0),
    );
    let count = app
        .post(
            "/api/v1/inventory/counts",
            &admin,
            json!({"warehouse_id": room.warehouse, "kind": "full", "as_of": ago(3, 0)}),
        )
        .expect(201);
    assert_eq!(
        count.body["lines"][0]["expected_quantity"], "10",
        "on hand as of the count's instant, not the 14 of now"
    );
    let path = format!("/api/v1/inventory/counts/{}", count.id());
    app.post(
        &format!("{path}/entries"),
        &admin,
        json!({"entries": [{"item_id": id, "location_id": room.stock, "counted_quantity": "9"}]}),
    )
    .expect(200);
    let approved = app
        .post(&format!("{path}/approve"), &admin, json!({}))
        .expect(200);
    let adj = &approved.body["moves"][0];
    assert_eq!(
        adj["quantity"], "1",
        "9 counted against 10 then, not 14 now"
    );
    assert_eq!(adj["effective_at"].as_str().unwrap()[..10], ago(3, 0)[..10]);
    let stock = erp_tests::builders::on_hand(&app, &admin, &id, &room.stock);
    assert_eq!(stock["on_hand"], "13", "the 4 received since are kept");
    // A count may not reach further back than a move may.
    let old = app
        .post(
            "/api/v1/inventory/counts",
            &admin,
            json!({"warehouse_id": room.warehouse, "kind": "full", "as_of": ago(400, 0)}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(old.body["errors"][0]["field"], "as_of");
}

#[test]
fn the_value_left_at_zero_units_is_written_off_in_the_ledger() {
    let b = books();
    let (app, admin) = (&b.app, &b.admin);
    let room = Stockroom::create(app, admin, "W1");
    let id = item(app, admin, "MA-REV-BOOKS", json!({}));
    receive(app, admin, &id, &room.stock, "10", "1.00");
    let second = receive(app, admin, &id, &room.stock, "10", "3.00");
    post_move(app, admin, issue(&id, &room.stock, "10"));
    let back = app
        .post(
            &format!(
                "/api/v1/inventory/stock-moves/{}/reverse",
                second["id"].as_str().unwrap()
            ),
            admin,
            json!({}),
        )
        .expect(201);
    let entries = app
        .get(
            &format!(
                "/api/v1/finance/entries?reference_type=stock_move&reference_id={}",
                back.body["id"].as_str().unwrap()
            ),
            admin,
        )
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .clone();
    let residue = entries
        .iter()
        .find(|e| e["description"].as_str().unwrap().starts_with("value left"))
        .expect("a residue entry");
    let line = |code: &str| {
        residue["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["account_code"] == code)
            .map(|l| {
                (
                    l["debit"].as_str().unwrap().to_string(),
                    l["credit"].as_str().unwrap().to_string(),
                )
            })
    };
    // 10 issued at 2.00 though only the 1.00 units stayed: 10.00 back from stock adjustments.
    assert_eq!(line("1300"), Some(("10.00".into(), "0.00".into())));
    assert_eq!(line("5200"), Some(("0.00".into(), "10.00".into())));
    assert_eq!(valuation(app, admin, &id, None)["total_value"], "0.00");
}
