//! Quotes from a deal: priced lines, sent, accepted or rejected, turned into a sales order
//! with the same lines, and suggestions of what to add.

use erp_tests::builders::{crm_seller, item, receive, Stockroom};
use erp_tests::TestApp;
use serde_json::json;

fn deal_for(app: &TestApp, token: &str, name: &str) -> (String, String) {
    let c = app
        .post(
            "/api/v1/crm/customers",
            token,
            json!({"partner": {"kind": "organisation", "name": name}}),
        )
        .expect(201)
        .id();
    let d = app
        .post(
            "/api/v1/crm/deals",
            token,
            json!({"customer_id": c, "title": "Spring order", "value": "500.00"}),
        )
        .expect(201)
        .id();
    (c, d)
}

#[test]
fn a_quote_is_priced_sent_accepted_and_becomes_an_order_with_its_lines() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "SHOP");
    let beam = item(&app, &admin, "BEAM", json!({}));
    let bolt = item(&app, &admin, "BOLT", json!({}));
    receive(&app, &admin, &beam, &room.stock, "50", "10.00");
    let ann = crm_seller(&app, &admin, "ann");
    let (customer, deal) = deal_for(&app, &ann.token, "Nord");
    let quote = app
        .post(
            &format!("/api/v1/crm/deals/{deal}/quotes"),
            &ann.token,
            json!({"valid_until": chrono::Utc::now().date_naive() + chrono::Duration::days(14), "lines": [
                {"item_id": beam, "quantity": "3", "unit_price": "19.99", "discount_percent": "5"},
                {"item_id": bolt, "quantity": "7", "unit_price": "0.333333"}
            ]}),
        )
        .expect(201)
        .body;
    assert!(quote["number"].as_str().unwrap().starts_with("QT-"));
    assert_eq!(quote["status"], "draft");
    // 3 × 19.99 less 5% = 56.9715 exactly; 7 × 0.333333 = 2.333331 → 2.3333 (money keeps
    // four places; the invoice rounds to the currency).
    assert_eq!(quote["lines"][0]["line_total"], "56.9715");
    assert_eq!(quote["lines"][1]["line_total"], "2.3333");
    assert_eq!(quote["total"], "59.3048");
    assert_eq!(quote["customer_id"], customer.as_str());
    let id = quote["id"].as_str().unwrap().to_string();
    // Accepting is for a sent or draft quote; a rejected one cannot be accepted.
    let sent = app
        .post(
            &format!("/api/v1/crm/quotes/{id}/send"),
            &ann.token,
            json!({}),
        )
        .expect(200)
        .body;
    assert_eq!(sent["status"], "sent");
    app.post(
        &format!("/api/v1/crm/quotes/{id}/send"),
        &ann.token,
        json!({}),
    )
    .expect_problem(409, "invalid_state");
    app.post(
        &format!("/api/v1/crm/quotes/{id}/accept"),
        &ann.token,
        json!({}),
    )
    .expect(200);
    let order = app
        .post(
            &format!("/api/v1/crm/quotes/{id}/order"),
            &ann.token,
            json!({"location_id": room.stock}),
        )
        .expect(201)
        .body;
    assert_eq!(order["status"], "draft");
    assert_eq!(order["total"], "59.3048");
    assert_eq!(order["deal_id"], deal.as_str());
    assert_eq!(order["lines"][0]["discount_percent"], "5");
    assert_eq!(order["lines"][1]["unit_price"], "0.333333");
    let after = app
        .get(&format!("/api/v1/crm/quotes/{id}"), &ann.token)
        .expect(200)
        .body;
    assert_eq!(after["status"], "ordered");
    assert_eq!(after["order_id"], order["id"]);
    // Ordered once only; the deal's quotes list it.
    app.post(
        &format!("/api/v1/crm/quotes/{id}/order"),
        &ann.token,
        json!({"location_id": room.stock}),
    )
    .expect_problem(409, "invalid_state");
    let listed = app
        .get(&format!("/api/v1/crm/quotes?deal_id={deal}"), &ann.token)
        .expect(200)
        .body;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
}

#[test]
fn quotes_refuse_bad_lines_and_stay_with_their_manager() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let beam = item(&app, &admin, "BEAM", json!({}));
    let ann = crm_seller(&app, &admin, "ann");
    let bob = crm_seller(&app, &admin, "bob");
    let (_, deal) = deal_for(&app, &ann.token, "Nord");
    let bad = app
        .post(
            &format!("/api/v1/crm/deals/{deal}/quotes"),
            &ann.token,
            json!({"valid_until": "2001-01-01", "lines": [
                {"item_id": beam, "quantity": "0", "unit_price": "-1", "discount_percent": "101"}
            ]}),
        )
        .expect_problem(422, "validation_failed")
        .body;
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "valid_until",
        "lines[0].quantity",
        "lines[0].unit_price",
        "lines[0].discount_percent",
    ] {
        assert!(fields.contains(&f), "{f} is named in {fields:?}");
    }
    app.post(
        &format!("/api/v1/crm/deals/{deal}/quotes"),
        &ann.token,
        json!({"lines": [{"item_id": uuid::Uuid::now_v7(), "quantity": "1", "unit_price": "1"}]}),
    )
    .expect_problem(422, "validation_failed");
    app.post(
        &format!("/api/v1/crm/deals/{deal}/quotes"),
        &ann.token,
        json!({"lines": []}),
    )
    .expect_problem(422, "validation_failed");
    // Someone else's deal and quote do not exist for bob.
    app.post(
        &format!("/api/v1/crm/deals/{deal}/quotes"),
        &bob.token,
        json!({"lines": [{"item_id": beam, "quantity": "1", "unit_price": "1"}]}),
    )
    .expect_problem(404, "not_found");
    let q = app
        .post(
            &format!("/api/v1/crm/deals/{deal}/quotes"),
            &ann.token,
            json!({"lines": [{"item_id": beam, "quantity": "1", "unit_price": "1"}]}),
        )
        .expect(201)
        .id();
    app.get(&format!("/api/v1/crm/quotes/{q}"), &bob.token)
        .expect_problem(404, "not_found");
    assert!(
        app.get("/api/v1/crm/quotes", &bob.token).expect(200).body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    app.post(
        &format!("/api/v1/crm/quotes/{q}/reject"),
        &ann.token,
        json!({}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/crm/quotes/{q}/accept"),
        &ann.token,
        json!({}),
    )
    .expect_problem(409, "invalid_state");
    // A won deal takes no new quotes.
    app.post(
        &format!("/api/v1/crm/deals/{deal}/win"),
        &ann.token,
        json!({}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/crm/deals/{deal}/quotes"),
        &ann.token,
        json!({"lines": [{"item_id": beam, "quantity": "1", "unit_price": "1"}]}),
    )
    .expect_problem(409, "invalid_state");
}

#[test]
fn a_quote_gets_suggestions_of_what_is_bought_with_its_items() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "SHOP");
    let beam = item(&app, &admin, "BEAM", json!({}));
    let bolt = item(&app, &admin, "BOLT", json!({}));
    let glue = item(&app, &admin, "GLUE", json!({}));
    let ann = crm_seller(&app, &admin, "ann");
    // Two past orders put beams with bolts, one beams with glue.
    for (name, other) in [("A", &bolt), ("B", &bolt), ("C", &glue)] {
        let c = app
            .post(
                "/api/v1/crm/customers",
                &ann.token,
                json!({"partner": {"kind": "organisation", "name": name}}),
            )
            .expect(201)
            .id();
        app.post(
            "/api/v1/crm/sales-orders",
            &ann.token,
            json!({"customer_id": c, "location_id": room.stock, "lines": [
                {"item_id": beam, "quantity": "1", "unit_price": "1"},
                {"item_id": other, "quantity": "1", "unit_price": "1"}
            ]}),
        )
        .expect(201);
    }
    let (_, deal) = deal_for(&app, &ann.token, "Nord");
    let q = app
        .post(
            &format!("/api/v1/crm/deals/{deal}/quotes"),
            &ann.token,
            json!({"lines": [{"item_id": beam, "quantity": "2", "unit_price": "20"}]}),
        )
        .expect(201)
        .id();
    let s = app
        .get(&format!("/api/v1/crm/quotes/{q}/suggestions"), &ann.token)
        .expect(200)
        .body;
    let skus: Vec<&str> = s["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["sku"].as_str().unwrap())
        .collect();
    assert_eq!(skus, ["BOLT", "GLUE"]);
    assert_eq!(s["items"][0]["together"], 2);
}
