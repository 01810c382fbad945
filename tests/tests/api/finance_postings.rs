//! Automatic postings: stock moves post their value to the ledger in their own transaction
//! (perpetual inventory), and the stock account equals the valuation to the last digit, per
//! warehouse's branch and in total, after a random sequence of moves.

use chrono::Datelike;
use erp_tests::builders::{item, Stockroom};
use erp_tests::TestApp;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

/// The current month as (first day, last day): moves are dated when they are posted.
fn this_month() -> (String, String) {
    let today = chrono::Utc::now().date_naive();
    let first = today.with_day(1).unwrap();
    let next = if first.month() == 12 {
        first
            .with_year(first.year() + 1)
            .unwrap()
            .with_month(1)
            .unwrap()
    } else {
        first.with_month(first.month() + 1).unwrap()
    };
    (first.to_string(), next.pred_opt().unwrap().to_string())
}

fn closing(tb: &Value, code: &str) -> String {
    tb["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == code)
        .map_or("0.00".into(), |l| {
            l["closing"].as_str().unwrap().to_string()
        })
}

fn trial_balance(app: &TestApp, admin: &str, branch: Option<&str>) -> Value {
    let (from, to) = this_month();
    let b = branch
        .map(|b| format!("&branch_id={b}"))
        .unwrap_or_default();
    app.get(
        &format!("/api/v1/finance/reports/trial-balance?from={from}&to={to}{b}"),
        admin,
    )
    .expect(200)
    .body
}

fn valuation(app: &TestApp, admin: &str, warehouse: Option<&str>) -> String {
    let w = warehouse
        .map(|w| format!("?warehouse_id={w}"))
        .unwrap_or_default();
    app.get(&format!("/api/v1/inventory/valuation{w}"), admin)
        .expect(200)
        .body["total_value"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Money strings compared as exact decimals ("20.00" and "20.0000" are the same amount).
fn same(a: &str, b: &str) -> bool {
    a.parse::<rust_decimal::Decimal>().unwrap() == b.parse::<rust_decimal::Decimal>().unwrap()
}

#[test]
fn stock_moves_post_their_value_and_the_stock_account_equals_the_valuation() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let hq_room = Stockroom::create(&app, &admin, "HQ1");
    // Before the books are set up, moves post nothing (and still work).
    let early = item(&app, &admin, "EARLY", json!({}));
    erp_tests::builders::receive(&app, &admin, &early, &hq_room.stock, "1", "1.00");
    app.post("/api/v1/finance/setup", &admin, json!({}))
        .expect(200);
    assert!(
        app.get("/api/v1/finance/entries", &admin).expect(200).body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Opening stock for the early item, so the books start equal to the valuation.
    let branches = app.get("/api/v1/org/branches", &admin).expect(200);
    let hq = branches.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let journals = app.get("/api/v1/finance/journals", &admin).expect(200).body;
    let gj = journals["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["code"] == "GJ")
        .unwrap()["id"]
        .clone();
    let accounts = app
        .get("/api/v1/finance/accounts?limit=500", &admin)
        .expect(200)
        .body;
    let acct = |code: &str| {
        accounts["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == code)
            .unwrap()["id"]
            .clone()
    };
    let (_, last_day) = this_month();
    app.post(
        "/api/v1/finance/entries",
        &admin,
        json!({"journal_id": gj, "entry_date": last_day, "post": true, "lines": [
            {"account_id": acct("1300"), "debit": "1.00", "branch_id": hq},
            {"account_id": acct("3200"), "credit": "1.00", "branch_id": hq}]}),
    )
    .expect(201);

    // A receipt, an issue, a scrap and a transfer to another branch, by hand.
    let b2 = app
        .post(
            "/api/v1/org/branches",
            &admin,
            json!({"code": "B2", "name": "Second city"}),
        )
        .expect(201)
        .id();
    let b2_room = Stockroom::create_in(&app, &admin, "B2W", &b2, false);
    let bolt = item(&app, &admin, "BOLT", json!({}));
    let mv = |body: Value| {
        app.post("/api/v1/inventory/stock-moves", &admin, body)
            .expect(201)
            .body
    };
    let receipt = mv(
        json!({"move_type": "receipt", "item_id": bolt, "to_location_id": hq_room.stock, "quantity": "10", "unit_cost": "2.00"}),
    );
    let entry = app
        .get(
            &format!(
                "/api/v1/finance/entries?reference_type=stock_move&reference_id={}",
                receipt["id"].as_str().unwrap()
            ),
            &admin,
        )
        .expect(200)
        .body["items"][0]
        .clone();
    assert_eq!(entry["status"], "posted");
    assert!(entry["number"].as_str().unwrap().starts_with("IJ-"));
    let codes: Vec<(String, String, String)> = entry["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["account_code"].as_str().unwrap().into(),
                l["debit"].as_str().unwrap().into(),
                l["credit"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        codes.contains(&("1300".into(), "20.00".into(), "0.00".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("2100".into(), "0.00".into(), "20.00".into())),
        "{codes:?}"
    );
    mv(
        json!({"move_type": "issue", "item_id": bolt, "from_location_id": hq_room.stock, "quantity": "4"}),
    );
    mv(
        json!({"move_type": "scrap", "item_id": bolt, "from_location_id": hq_room.stock, "quantity": "1"}),
    );
    mv(
        json!({"move_type": "transfer", "item_id": bolt, "from_location_id": hq_room.stock, "to_location_id": b2_room.stock, "quantity": "2"}),
    );
    let tb = trial_balance(&app, &admin, None);
    assert_eq!(closing(&tb, "5000"), "8.00");
    assert_eq!(closing(&tb, "5200"), "2.00");
    assert_eq!(closing(&tb, "2100"), "-20.00");
    assert!(same(&closing(&tb, "1300"), &valuation(&app, &admin, None)));
    assert_eq!(
        closing(&trial_balance(&app, &admin, Some(&b2)), "1300"),
        "4.00"
    );

    // Random moves with costs to the fourth place: the stock account follows the valuation
    // exactly, per branch and in total.
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261201);
    let items: Vec<String> = (0..3)
        .map(|i| {
            let valuation = if i == 2 { "fifo" } else { "moving_average" };
            item(
                &app,
                &admin,
                &format!("R{i}"),
                json!({"valuation": valuation}),
            )
        })
        .collect();
    let rooms = [&hq_room, &b2_room];
    for _ in 0..120 {
        let it = &items[rng.random_range(0..items.len())];
        let room = rooms[rng.random_range(0..2)];
        let other = if std::ptr::eq(room, rooms[0]) {
            rooms[1]
        } else {
            rooms[0]
        };
        let qty = rng.random_range(1..6).to_string();
        let body = match rng.random_range(0..10) {
            0..=3 => {
                let cost = format!(
                    "{}.{:04}",
                    rng.random_range(0..20),
                    rng.random_range(0..10_000)
                );
                json!({"move_type": "receipt", "item_id": it, "to_location_id": room.stock, "quantity": qty, "unit_cost": cost})
            }
            4..=6 => {
                json!({"move_type": "issue", "item_id": it, "from_location_id": room.stock, "quantity": qty})
            }
            7 => {
                json!({"move_type": "scrap", "item_id": it, "from_location_id": room.stock, "quantity": qty})
            }
            _ => {
                json!({"move_type": "transfer", "item_id": it, "from_location_id": room.stock, "to_location_id": other.stock, "quantity": qty})
            }
        };
        let r = app.post("/api/v1/inventory/stock-moves", &admin, body);
        assert!(r.status == 201 || r.status == 409, "{}", r.text);
    }
    let tb = trial_balance(&app, &admin, None);
    assert_eq!(tb["total_debit"], tb["total_credit"]);
    assert!(
        same(&closing(&tb, "1300"), &valuation(&app, &admin, None)),
        "stock account {} against valuation {}",
        closing(&tb, "1300"),
        valuation(&app, &admin, None)
    );
    // Every account's cache (the trial balance) equals the sum of its lines (its ledger).
    let (from, to) = this_month();
    for line in tb["lines"].as_array().unwrap() {
        let ledger = app
            .get(
                &format!(
                    "/api/v1/finance/accounts/{}/ledger?from={from}&to={to}",
                    line["account_id"].as_str().unwrap()
                ),
                &admin,
            )
            .expect(200)
            .body;
        assert!(
            same(
                ledger["closing"].as_str().unwrap(),
                line["closing"].as_str().unwrap()
            ),
            "{}: ledger {} against cache {}",
            line["code"],
            ledger["closing"],
            line["closing"]
        );
    }
    for (branch, room) in [(&hq, &hq_room), (&b2, &b2_room)] {
        let tb = trial_balance(&app, &admin, Some(branch));
        assert!(
            same(
                &closing(&tb, "1300"),
                &valuation(&app, &admin, Some(&room.warehouse))
            ),
            "branch {branch}: {} against {}",
            closing(&tb, "1300"),
            valuation(&app, &admin, Some(&room.warehouse))
        );
    }
}

#[test]
fn a_stock_move_into_a_closed_period_is_refused_with_nothing_written() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W");
    let bolt = item(&app, &admin, "BOLT", json!({}));
    app.post("/api/v1/finance/setup", &admin, json!({}))
        .expect(200);
    let (first, _) = this_month();
    let year: i32 = first[..4].parse().unwrap();
    let month: i64 = first[5..7].parse().unwrap();
    let period = app
        .get(
            &format!("/api/v1/finance/periods?fiscal_year={year}"),
            &admin,
        )
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["number"] == month)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        &format!("/api/v1/finance/periods/{period}/close"),
        &admin,
        json!({}),
    )
    .expect(200);
    app.post(
        "/api/v1/inventory/stock-moves",
        &admin,
        json!({"move_type": "receipt", "item_id": bolt, "to_location_id": room.stock, "quantity": "5", "unit_cost": "1.00"}),
    )
    .expect_problem(409, "period_closed");
    assert_eq!(valuation(&app, &admin, None), "0.00");
    let moves = app.get("/api/v1/inventory/stock-moves", &admin).expect(200);
    assert!(moves.body["items"].as_array().unwrap().is_empty());
}

#[test]
fn a_warehouse_with_its_own_stock_account_posts_there_and_the_others_to_the_default() {
    let b = erp_tests::finance::books();
    let (app, admin) = (&*b.app, &b.admin);
    let consigned = app
        .post(
            "/api/v1/finance/accounts",
            admin,
            json!({"code": "1320", "name": "Consigned stock", "account_type": "asset"}),
        )
        .expect(201)
        .id();
    let account = app
        .get(&format!("/api/v1/finance/accounts/{consigned}"), admin)
        .expect(200)
        .body;
    assert_eq!(
        (account["code"].as_str(), account["account_type"].as_str()),
        (Some("1320"), Some("asset")),
        "{account}"
    );
    let main = Stockroom::create(app, admin, "MAIN");
    let cons = Stockroom::create(app, admin, "CONS");
    let rule =
        |body: Value| erp_tests::builders::put(app, "/api/v1/finance/account-rules", admin, body);
    let expense = &b.accounts["5000"];
    for (body, field) in [
        (
            json!({"event": "stock.inventory", "scope": "warehouse", "scope_id": cons.warehouse, "account_id": expense}),
            "account_id",
        ),
        (
            json!({"event": "stock.inventory", "scope": "default", "scope_id": cons.warehouse, "account_id": consigned}),
            "scope_id",
        ),
        (
            json!({"event": "stock.inventory", "scope": "warehouse", "account_id": consigned}),
            "scope_id",
        ),
    ] {
        let r = rule(body).expect_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), [field], "{}", r.text);
    }
    let set = rule(json!({"event": "stock.inventory", "scope": "warehouse", "scope_id": cons.warehouse, "account_id": consigned}))
        .expect(200)
        .body;
    assert_eq!(set["account_code"], "1320", "{set}");
    let rules = app
        .get("/api/v1/finance/account-rules", admin)
        .expect(200)
        .body;
    let stock_rules: Vec<(&str, &str)> = rules["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["event"] == "stock.inventory")
        .map(|r| {
            (
                r["scope"].as_str().unwrap(),
                r["account_code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        stock_rules.len(),
        2,
        "the default and the warehouse's: {rules}"
    );
    assert!(
        stock_rules.contains(&("default", "1300")) && stock_rules.contains(&("warehouse", "1320"))
    );

    let bolt = item(app, admin, "BOLT", json!({}));
    erp_tests::builders::receive(app, admin, &bolt, &main.stock, "10", "3.00");
    erp_tests::builders::receive(app, admin, &bolt, &cons.stock, "5", "2.00");
    let tb = trial_balance(app, admin, None);
    assert!(same(&closing(&tb, "1300"), "30.00"), "{tb}");
    assert!(same(&closing(&tb, "1320"), "10.00"), "{tb}");
}

#[test]
fn books_half_set_up_refuse_a_move_they_cannot_post_and_keep_the_stock_as_it_was() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "MAIN");
    let bolt = item(&app, &admin, "BOLT", json!({}));
    // A stock account and its rule, but no rule for the other side of a receipt.
    let stock = app
        .post(
            "/api/v1/finance/accounts",
            &admin,
            json!({"code": "1300", "name": "Stock", "account_type": "asset"}),
        )
        .expect(201)
        .id();
    erp_tests::builders::put(
        &app,
        "/api/v1/finance/account-rules",
        &admin,
        json!({"event": "stock.inventory", "scope": "default", "account_id": stock}),
    )
    .expect(200);
    let r = app
        .post(
            "/api/v1/inventory/stock-moves",
            &admin,
            json!({"item_id": bolt, "move_type": "receipt", "to_location_id": room.stock, "quantity": "5", "unit_cost": "2.00"}),
        )
        .expect_problem(422, "posting_not_configured");
    assert!(r.text.contains("stock.receipt"), "{}", r.text);
    assert_eq!(
        erp_tests::builders::on_hand(&app, &admin, &bolt, &room.stock),
        Value::Null,
        "nothing was received"
    );
}
