//! The customer portal and customer notifications: a portal account sees only its
//! customer's orders and tickets and opens tickets; order status changes reach the customer
//! through message templates and the SMS gateway (a test receiver); portal and staff tokens
//! do not open each other's doors.

use std::net::TcpListener;

use erp_tests::builders::{crm_seller, item, put, receive, Stockroom, TestUser};
use erp_tests::receiver::{receiver, wait_for};
use erp_tests::TestApp;
use serde_json::{json, Value};

/// A shop: a stockroom with ten beams, and Ann who sells them.
fn shop(app: &TestApp, admin: &str) -> (Stockroom, String, TestUser) {
    let room = Stockroom::create(app, admin, "SHOP");
    let beam = item(app, admin, "BEAM", json!({}));
    receive(app, admin, &beam, &room.stock, "10", "5.00");
    (room, beam, crm_seller(app, admin, "ann"))
}

fn listening() -> (TcpListener, String) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}/", l.local_addr().unwrap().port());
    (l, url)
}

#[test]
fn order_status_reaches_the_customer_through_templates_and_the_gateway() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let (room, beam, ann) = shop(&app, &admin);
    let (gateway, gateway_url) = listening();
    let sms = receiver(gateway);
    let (everything, everything_url) = listening();
    let all_events = receiver(everything);
    app.post(
        "/api/v1/crm/webhooks",
        &admin,
        json!({"url": gateway_url, "event_types": ["notification.sms"], "secret": "gateway-secret-1234"}),
    )
    .expect(201);
    app.post(
        "/api/v1/crm/webhooks",
        &admin,
        json!({"url": everything_url, "event_types": ["*"], "secret": "everything-secret-1"}),
    )
    .expect(201);
    let template = |body: Value| put(&app, "/api/v1/crm/message-templates", &admin, body);
    template(json!({"event": "order.confirmed", "channel": "sms", "body": "Hello {{customer_name}}, order {{order_number}} is confirmed: {{order_total}} {{currency}}."})).expect(200);
    template(json!({"event": "order.delivered", "channel": "email", "subject": "Order {{order_number}} delivered", "body": "All there."})).expect(200);
    template(json!({"event": "order.confirmed", "channel": "sms", "body": "Your password is {{password}}"}))
        .expect_problem(422, "validation_failed");
    template(json!({"event": "order.delivered", "channel": "email", "body": "No subject"}))
        .expect_problem(422, "validation_failed");
    let r = template(json!({"event": "order.lost", "channel": "sms", "body": "x"}))
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["event"]);
    let templates = app
        .get("/api/v1/crm/message-templates", &admin)
        .expect(200)
        .body;
    let mut kept: Vec<(&str, &str)> = templates["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["event"].as_str().unwrap(), t["channel"].as_str().unwrap()))
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        [("order.confirmed", "sms"), ("order.delivered", "email")],
        "the refused ones are not kept: {templates}"
    );
    let hooks = app.get("/api/v1/crm/webhooks", &admin).expect(200).body;
    let urls: Vec<&str> = hooks["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls.len(), 2, "{hooks}");
    assert!(urls.contains(&gateway_url.as_str()) && urls.contains(&everything_url.as_str()));
    assert!(
        !hooks.to_string().contains("gateway-secret-1234"),
        "a webhook's secret is not shown again: {hooks}"
    );
    put(
        &app,
        "/api/v1/crm/message-templates",
        &ann.token,
        json!({"event": "order.confirmed", "channel": "sms", "body": "x"}),
    )
    .expect_problem(403, "forbidden");
    let c = app
        .post(
            "/api/v1/crm/customers",
            &ann.token,
            json!({"partner": {"kind": "organisation", "name": "Nord", "phones": [{"value": "+49 30 1234567"}]}}),
        )
        .expect(201)
        .id();
    let order = app
        .post(
            "/api/v1/crm/sales-orders",
            &ann.token,
            json!({"customer_id": c, "location_id": room.stock, "currency": "EUR", "lines": [{"item_id": beam, "quantity": "4", "unit_price": "12.50"}]}),
        )
        .expect(201)
        .body;
    let id = order["id"].as_str().unwrap();
    let number = order["number"].as_str().unwrap();
    app.post(
        &format!("/api/v1/crm/sales-orders/{id}/confirm"),
        &ann.token,
        json!({}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/crm/sales-orders/{id}/deliver"),
        &ann.token,
        json!({}),
    )
    .expect(200);
    wait_for("the SMS at the gateway", || !sms.lock().unwrap().is_empty());
    let (_, signature, body) = sms.lock().unwrap()[0].clone();
    assert!(signature.starts_with("sha256="));
    let msg: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(msg["type"], "notification.sms");
    assert_eq!(msg["data"]["to"], "+49 30 1234567");
    assert_eq!(
        msg["data"]["body"],
        format!("Hello Nord, order {number} is confirmed: 50.00 EUR.")
    );
    // The log on the customer: the SMS delivered, the e-mail skipped (no address, no gateway).
    wait_for("the delivery to be recorded", || {
        app.get(
            &format!("/api/v1/crm/notifications?customer_id={c}"),
            &ann.token,
        )
        .expect(200)
        .body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["status"] == "delivered")
    });
    let log = app
        .get(
            &format!("/api/v1/crm/notifications?order_id={id}"),
            &ann.token,
        )
        .expect(200)
        .body;
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let email = items.iter().find(|n| n["channel"] == "email").unwrap();
    assert_eq!(email["status"], "skipped");
    assert_eq!(email["subject"], format!("Order {number} delivered"));
    assert!(email["skipped_reason"]
        .as_str()
        .unwrap()
        .contains("no e-mail"));
    // Subscribers to every event get the order events, not the customers' messages.
    wait_for("the order events", || all_events.lock().unwrap().len() >= 2);
    std::thread::sleep(std::time::Duration::from_millis(600));
    assert!(all_events
        .lock()
        .unwrap()
        .iter()
        .all(|(_, _, b)| !b.contains("notification.")));
    assert_eq!(sms.lock().unwrap().len(), 1, "one SMS, once");
}

#[test]
fn a_portal_account_sees_its_customer_only_and_opens_tickets() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let (room, beam, ann) = shop(&app, &admin);
    let bob = crm_seller(&app, &admin, "bob");
    let customer = |token: &str, name: &str| {
        app.post(
            "/api/v1/crm/customers",
            token,
            json!({"partner": {"kind": "organisation", "name": name}}),
        )
        .expect(201)
        .id()
    };
    let nord = customer(&ann.token, "Nord");
    let sud = customer(&ann.token, "Sud");
    let order = |c: &str, confirm: bool| {
        let id = app
            .post(
                "/api/v1/crm/sales-orders",
                &ann.token,
                json!({"customer_id": c, "location_id": room.stock, "lines": [{"item_id": beam, "quantity": "1", "unit_price": "9.90"}]}),
            )
            .expect(201)
            .id();
        if confirm {
            app.post(
                &format!("/api/v1/crm/sales-orders/{id}/confirm"),
                &ann.token,
                json!({}),
            )
            .expect(200);
        }
        id
    };
    let mine = order(&nord, true);
    order(&nord, false);
    let theirs = order(&sud, true);
    let accounts = format!("/api/v1/crm/customers/{nord}/portal-accounts");
    app.post(
        &accounts,
        &ann.token,
        json!({"login": "buyer@nord.example", "name": "Eve", "password": "short"}),
    )
    .expect_problem(422, "validation_failed");
    app.post(
        &accounts,
        &bob.token,
        json!({"login": "buyer@nord.example", "name": "Eve", "password": "portal-pass-1"}),
    )
    .expect_problem(404, "not_found");
    let account = app
        .post(
            &accounts,
            &ann.token,
            json!({"login": "Buyer@Nord.example", "name": "Eve", "password": "portal-pass-1"}),
        )
        .expect(201)
        .body;
    assert_eq!(account["login"], "buyer@nord.example");
    let listed = app.get(&accounts, &ann.token).expect(200).body;
    assert_eq!(listed["items"][0]["login"], "buyer@nord.example");
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert!(!listed.to_string().contains("portal-pass-1"));
    app.get(&accounts, &bob.token)
        .expect_problem(404, "not_found");
    app.post(
        &format!("/api/v1/crm/customers/{sud}/portal-accounts"),
        &ann.token,
        json!({"login": "buyer@nord.example", "name": "Other", "password": "portal-pass-1"}),
    )
    .expect_problem(409, "login_taken");
    let login = |password: &str| {
        app.send(
            "POST",
            "/api/v1/portal/login",
            None,
            Some(&json!({"login": "buyer@nord.example", "password": password})),
            &Default::default(),
        )
    };
    login("wrong-password").expect_problem(401, "unauthenticated");
    let token = login("portal-pass-1").expect(200).body["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let me = app.get("/api/v1/portal/me", &token).expect(200).body;
    assert_eq!(me["customer_name"], "Nord");
    // Its customer's orders, not drafts, not other customers'.
    let orders = app.get("/api/v1/portal/orders", &token).expect(200).body;
    let listed: Vec<&str> = orders["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [mine.as_str()]);
    assert_eq!(orders["items"][0]["status"], "confirmed");
    assert_eq!(orders["items"][0]["lines"][0]["sku"], "BEAM");
    let one = app
        .get(&format!("/api/v1/portal/orders/{mine}"), &token)
        .expect(200)
        .body;
    assert_eq!(one["lines"][0]["sku"], "BEAM");
    assert_eq!(one["status"], "confirmed");
    app.get(&format!("/api/v1/portal/orders/{theirs}"), &token)
        .expect_problem(404, "not_found");
    // Its order on paper; another customer's is 404 there too.
    let (status, content_type, pdf) =
        app.get_bytes(&format!("/api/v1/portal/orders/{mine}/pdf"), &token);
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    let pieces = erp_tests::pdf::text_pieces(&pdf);
    for shown in [
        orders["items"][0]["number"].as_str().unwrap(),
        "Nord",
        "9.90",
    ] {
        assert!(
            pieces.iter().any(|p| p == shown),
            "{shown} not in {pieces:?}"
        );
    }
    app.get(&format!("/api/v1/portal/orders/{theirs}/pdf"), &token)
        .expect_problem(404, "not_found");
    // The portal token opens no staff route; a staff token no portal route.
    app.get("/api/v1/crm/customers", &token)
        .expect_problem(401, "unauthenticated");
    app.get("/api/v1/portal/orders", &ann.token)
        .expect_problem(401, "unauthenticated");
    // A ticket from the portal goes to the customer's manager.
    app.post(
        "/api/v1/portal/tickets",
        &token,
        json!({"kind": "complaint", "subject": "Scratched", "cause": "damaged", "order_id": theirs}),
    )
    .expect_problem(422, "validation_failed");
    app.post(
        "/api/v1/portal/tickets",
        &token,
        json!({"kind": "complaint", "subject": "Scratched"}),
    )
    .expect_problem(422, "validation_failed");
    let t = app
        .post(
            "/api/v1/portal/tickets",
            &token,
            json!({"kind": "complaint", "subject": "Scratched", "cause": "damaged", "order_id": mine}),
        )
        .expect(201)
        .body;
    assert_eq!(t["owner_id"], ann.id.as_str());
    let staff = app.get("/api/v1/crm/tickets", &ann.token).expect(200).body;
    assert_eq!(staff["items"][0]["subject"], "Scratched");
    assert_eq!(
        app.get("/api/v1/portal/tickets", &token).expect(200).body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Five wrong passwords in a row lock the account: then even the right one is refused.
    for _ in 0..5 {
        login("wrong-password").expect_problem(401, "unauthenticated");
    }
    let locked = login("portal-pass-1").expect_problem(401, "unauthenticated");
    assert!(locked.text.contains("locked until"), "{}", locked.text);
    app.get("/api/v1/portal/me", &token).expect(200);
    // Ending the account ends its sessions at once.
    app.post(
        &format!(
            "/api/v1/crm/portal-accounts/{}/deactivate",
            account["id"].as_str().unwrap()
        ),
        &ann.token,
        json!({}),
    )
    .expect(200);
    app.get("/api/v1/portal/me", &token)
        .expect_problem(401, "unauthenticated");
    login("portal-pass-1").expect_problem(401, "unauthenticated");
}
