//! Segments and campaigns, CSV export of members, and cross-selling suggestions.

use erp_tests::builders::{item, receive, Stockroom, UserBuilder};
use erp_tests::TestApp;
use serde_json::{json, Value};

#[test]
fn segments_select_customers_campaigns_record_responses_and_suggestions_come_from_orders() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = UserBuilder::new("ann")
        .permissions(&[
            "crm.customer.read",
            "crm.customer.write",
            "crm.order.write",
            "crm.personal_data.read",
            "inventory.item.read",
        ])
        .create(&app, &admin);
    let room = Stockroom::create(&app, &admin, "SHOP");
    let (bolt, nut, washer) = (
        item(&app, &admin, "BOLT", json!({})),
        item(&app, &admin, "NUT", json!({})),
        item(&app, &admin, "WASHER", json!({})),
    );
    for i in [&bolt, &nut, &washer] {
        receive(&app, &admin, i, &room.stock, "1000", "0.10");
    }
    let customer = |name: &str, tags: Value, region: &str| -> String {
        app.post(
            "/api/v1/crm/customers",
            &ann.token,
            json!({"partner": {"kind": "organisation", "name": name, "emails": [{"value": format!("{}@x.example", name.to_lowercase())}]}, "tags": tags, "region": region}),
        )
        .expect(201)
        .id()
    };
    let (a, b, c) = (
        customer("Alpha", json!(["vip"]), "north"),
        customer("Beta", json!(["vip"]), "south"),
        customer("Gamma", json!([]), "north"),
    );
    let order = |cust: &str, lines: Value| {
        let id = app
            .post(
                "/api/v1/crm/sales-orders",
                &ann.token,
                json!({"customer_id": cust, "location_id": room.stock, "lines": lines}),
            )
            .expect(201)
            .id();
        app.post(
            &format!("/api/v1/crm/sales-orders/{id}/confirm"),
            &ann.token,
            json!({}),
        )
        .expect(200);
    };
    order(
        &a,
        json!([{"item_id": bolt, "quantity": "10", "unit_price": "10.00"}, {"item_id": nut, "quantity": "10", "unit_price": "1.00"}]),
    );
    order(
        &b,
        json!([{"item_id": bolt, "quantity": "1", "unit_price": "10.00"}, {"item_id": nut, "quantity": "1", "unit_price": "1.00"}, {"item_id": washer, "quantity": "1", "unit_price": "1.00"}]),
    );
    order(
        &c,
        json!([{"item_id": washer, "quantity": "5", "unit_price": "1.00"}]),
    );

    let seg = app
        .post("/api/v1/crm/segments", &ann.token, json!({"name": "VIP buyers of bolts", "filters": {"tags": ["VIP"], "bought_item_id": bolt, "min_order_total": "50.00"}}))
        .expect(201)
        .body;
    let id = seg["id"].as_str().unwrap().to_string();
    let members = app
        .get(&format!("/api/v1/crm/segments/{id}/members"), &ann.token)
        .expect(200)
        .body;
    let names: Vec<&str> = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["Alpha"],
        "Beta bought bolts for 12.00 only, Gamma no bolts"
    );
    assert_eq!(members["items"][0]["email"], "alpha@x.example");
    let north = app
        .post(
            "/api/v1/crm/segments",
            &ann.token,
            json!({"name": "North", "filters": {"region": "north"}}),
        )
        .expect(201)
        .body;
    let csv = app
        .get(
            &format!(
                "/api/v1/crm/segments/{}/members.csv",
                north["id"].as_str().unwrap()
            ),
            &ann.token,
        )
        .expect(200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let rows: Vec<&str> = csv.text.lines().collect();
    assert_eq!(rows[0], "customer_id,name,status,phone,email");
    assert_eq!(rows.len(), 3, "{}", csv.text);
    assert!(csv.text.contains("gamma@x.example"));
    // The members page in the order the customers came, each once.
    let north_members = format!(
        "/api/v1/crm/segments/{}/members",
        north["id"].as_str().unwrap()
    );
    let whole = app.get(&north_members, &ann.token).expect(200).body;
    assert_eq!(whole["next_cursor"], Value::Null);
    let first = app
        .get(&format!("{north_members}?limit=1"), &ann.token)
        .expect(200)
        .body;
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let second = app
        .get(
            &format!("{north_members}?limit=1&cursor={cursor}"),
            &ann.token,
        )
        .expect(200)
        .body;
    assert_eq!(second["next_cursor"], Value::Null, "{second}");
    assert_eq!(
        [first["items"][0].clone(), second["items"][0].clone()],
        [whole["items"][0].clone(), whole["items"][1].clone()]
    );
    assert_eq!(whole["items"].as_array().unwrap().len(), 2);
    let csv_ids: Vec<&str> = rows[1..]
        .iter()
        .map(|r| r.split(',').next().unwrap())
        .collect();
    assert_eq!(
        csv_ids,
        [
            whole["items"][0]["customer_id"].as_str().unwrap(),
            whole["items"][1]["customer_id"].as_str().unwrap()
        ],
        "the export has the same members in the same order"
    );
    app.post(
        "/api/v1/crm/segments",
        &ann.token,
        json!({"name": "x", "filters": {"colour": "red"}}),
    )
    .expect_problem(422, "validation_failed");
    let segments = app.get("/api/v1/crm/segments", &ann.token).expect(200).body;
    let mut names: Vec<&str> = segments["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["North", "VIP buyers of bolts"], "{segments}");

    let campaign = app
        .post(
            "/api/v1/crm/campaigns",
            &ann.token,
            json!({"segment_id": north["id"], "name": "Spring offer", "channel": "email"}),
        )
        .expect(201)
        .body;
    assert_eq!(campaign["members"], 2);
    let cid = campaign["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/crm/campaigns/{cid}/responses"),
        &ann.token,
        json!({"customer_id": a, "response": "Replied"}),
    )
    .expect(200);
    let after = app
        .post(
            &format!("/api/v1/crm/campaigns/{cid}/responses"),
            &ann.token,
            json!({"customer_id": c, "response": "ordered"}),
        )
        .expect(200)
        .body;
    assert_eq!(after["responses"], json!({"ordered": 1, "replied": 1}));
    app.post(
        &format!("/api/v1/crm/campaigns/{cid}/responses"),
        &ann.token,
        json!({"customer_id": b, "response": "replied"}),
    )
    .expect_problem(422, "validation_failed");
    let r = app
        .post(
            "/api/v1/crm/campaigns",
            &ann.token,
            json!({"segment_id": north["id"], "name": "x", "channel": "pigeon"}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["channel"]);
    assert_eq!(
        app.get(&format!("/api/v1/crm/campaigns/{cid}"), &ann.token)
            .expect(200)
            .body["channel"],
        "email"
    );

    // Gamma bought washers; washers went with bolts and nuts in Beta's order.
    let s = app
        .get(
            &format!("/api/v1/crm/customers/{c}/suggestions"),
            &ann.token,
        )
        .expect(200)
        .body;
    let skus: Vec<&str> = s["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["sku"].as_str().unwrap())
        .collect();
    assert_eq!(skus, vec!["BOLT", "NUT"]);
    let basket = app
        .post(
            "/api/v1/crm/suggestions",
            &ann.token,
            json!({"item_ids": [bolt]}),
        )
        .expect(200)
        .body;
    assert_eq!(basket["items"][0]["sku"], "NUT");
    assert_eq!(basket["items"][0]["together"], 2);
}
