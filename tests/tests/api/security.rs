//! Hostile input and hostile users: the text policy, password guessing, tokens that die with
//! their session, authentication before parsing, races on one order, strict decimals and dates.

use std::sync::Arc;

use erp_tests::builders::{crm_seller, item, receive, Stockroom, UserBuilder};
use erp_tests::{Req, TestApp, ADMIN_PASSWORD};
use serde_json::json;

#[test]
fn control_characters_are_refused_with_the_field_on_every_backend() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let r = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": "Nul Co", "notes": "a\u{0}b"}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "notes");
    let r = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": "Bell\u{7}Co"}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "name");
    // Line ends and tabs pass in multi-line text.
    app.post(
        "/api/v1/partners",
        &admin,
        json!({"kind": "organisation", "name": "Lines", "notes": "first\nsecond\tend"}),
    )
    .expect(201);
    for path in [
        "/api/v1/partners?q=%00",
        "/api/v1/inventory/items?barcode=%00",
        "/api/v1/inventory/stock?lot=a%00b",
        "/api/v1/partners?q=%0A",
    ] {
        let r = app
            .get(path, &admin)
            .expect_problem(422, "validation_failed");
        assert!(
            ["q", "barcode", "lot"].contains(&r.body["errors"][0]["field"].as_str().unwrap()),
            "{path}: {}",
            r.text
        );
    }
    let names: Vec<String> = app.get("/api/v1/partners", &admin).expect(200).body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Lines"], "nothing else was written");
}

#[test]
fn text_is_stored_in_nfc_so_equal_looking_values_match() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    // "Müller" typed with a combining diaeresis is stored precomposed and found either way.
    let p = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": "Mu\u{308}ller"}),
        )
        .expect(201);
    assert_eq!(p.body["name"], "M\u{fc}ller");
    let found = app
        .get("/api/v1/partners?q=M%C3%BCller", &admin)
        .expect(200);
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1);
    let found = app
        .get("/api/v1/partners?q=Mu%CC%88ller", &admin)
        .expect(200);
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1);
    // Unique names compare the same way: the decomposed spelling is the same role name.
    app.post(
        "/api/v1/iam/roles",
        &admin,
        json!({"name": "Pr\u{fc}fer", "permissions": ["partner.read"]}),
    )
    .expect(201);
    app.post(
        "/api/v1/iam/roles",
        &admin,
        json!({"name": "Pru\u{308}fer", "permissions": ["partner.read"]}),
    )
    .expect_problem(409, "duplicate_name");
}

#[test]
fn decimals_and_dates_are_parsed_as_strictly_as_the_contract_says() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W");
    let bolt = item(&app, &admin, "BOLT", json!({}));
    for bad in [" 1 ", "1e2", "1.", ".5", "1,5", "0x10"] {
        let r = app
            .post(
                "/api/v1/inventory/stock-moves",
                &admin,
                json!({"move_type": "receipt", "item_id": bolt, "to_location_id": room.stock, "quantity": bad, "unit_cost": "1.00"}),
            )
            .expect_problem(422, "validation_failed");
        assert_eq!(
            r.body["errors"][0]["field"], "quantity",
            "{bad}: {}",
            r.text
        );
    }
    let supplier = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": "S", "roles": ["supplier"]}),
        )
        .expect(201)
        .id();
    for bad in ["0000-01-01", "+12026-01-01", "-0001-01-01"] {
        let r = app
            .post(
                "/api/v1/inventory/purchase-orders",
                &admin,
                json!({"supplier_id": supplier, "warehouse_id": room.warehouse, "order_date": bad,
                       "lines": [{"item_id": bolt, "quantity": "1", "unit_price": "1.00"}]}),
            )
            .expect_problem(422, "validation_failed");
        assert_eq!(
            r.body["errors"][0]["field"], "order_date",
            "{bad}: {}",
            r.text
        );
    }
    app.get(
        "/api/v1/inventory/stock-moves?from=0000-01-01T00:00:00Z",
        &admin,
    )
    .expect_problem(422, "validation_failed");
    let moves = app.get("/api/v1/inventory/stock-moves", &admin).expect(200);
    assert!(moves.body["items"].as_array().unwrap().is_empty());
}

#[test]
fn password_guessing_is_locked_out_and_an_administrator_can_unlock() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let victim = UserBuilder::new("victim").create(&app, &admin);
    let login = |user: &str, pw: &str| app.login_response(user, pw);
    for _ in 0..5 {
        login("victim", "wrong-password").expect_problem(401, "unauthenticated");
    }
    // The sixth guess, and even the right password, wait out the lock.
    let r = login("victim", "wrong-password").expect_problem(429, "too_many_login_attempts");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    login("victim", &victim.password).expect_problem(429, "too_many_login_attempts");
    // The lock is in the audit trail.
    let events = app
        .get(
            &format!(
                "/api/v1/audit/events?entity_id={}&action=login_locked",
                victim.id
            ),
            &admin,
        )
        .expect(200);
    assert_eq!(events.body["items"].as_array().unwrap().len(), 1);
    // Other accounts are not locked by it.
    app.login("admin", ADMIN_PASSWORD);
    // An administrator lifts it; the right password works again.
    app.post(
        &format!("/api/v1/iam/users/{}/unlock", victim.id),
        &admin,
        json!({}),
    )
    .expect(200);
    login("victim", &victim.password).expect(200);
}

#[test]
fn spraying_one_address_over_many_accounts_is_locked_too() {
    let app = TestApp::spawn();
    for i in 0..20 {
        app.login_response(&format!("nobody{i}"), "guess-guess")
            .expect_problem(401, "unauthenticated");
    }
    app.login_response("nobody20", "guess-guess")
        .expect_problem(429, "too_many_login_attempts");
}

#[test]
fn a_token_dies_with_its_session_at_once() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let anna = UserBuilder::new("anna")
        .permissions(&["partner.read"])
        .create(&app, &admin);
    // Logout ends the access token of that session, not only its refresh token.
    let s = app.login_response("anna", &anna.password).expect(200);
    let access = s.body["access_token"].as_str().unwrap().to_string();
    let other = app.login("anna", &anna.password);
    app.get("/api/v1/partners", &access).expect(200);
    app.post(
        "/api/v1/auth/logout",
        &access,
        json!({"refresh_token": s.body["refresh_token"]}),
    )
    .expect(204);
    app.get("/api/v1/partners", &access)
        .expect_problem(401, "unauthenticated");
    app.get("/api/v1/partners", &other).expect(200);
    // A password change ends every session at once, within the same second too.
    app.post(
        "/api/v1/auth/password",
        &other,
        json!({"current_password": anna.password, "new_password": "new-password-22"}),
    )
    .expect(204);
    app.get("/api/v1/partners", &other)
        .expect_problem(401, "unauthenticated");
    // So does a reset by an administrator, and disabling; enabling again revives nothing.
    let t1 = app.login("anna", "new-password-22");
    app.post(
        &format!("/api/v1/iam/users/{}/password", anna.id),
        &admin,
        json!({"new_password": "reset-password-33"}),
    )
    .expect(200);
    app.get("/api/v1/partners", &t1)
        .expect_problem(401, "unauthenticated");
    let t2 = app.login("anna", "reset-password-33");
    app.post(
        &format!("/api/v1/iam/users/{}/disable", anna.id),
        &admin,
        json!({}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/iam/users/{}/enable", anna.id),
        &admin,
        json!({}),
    )
    .expect(200);
    app.get("/api/v1/partners", &t2)
        .expect_problem(401, "unauthenticated");
}

#[test]
fn authentication_comes_before_any_body_or_query_is_read() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let anna = UserBuilder::new("anna")
        .permissions(&["partner.read", "partner.write", "iam.api_key.write"])
        .create(&app, &admin);
    let key = app
        .post("/api/v1/iam/api-keys", &anna.token, json!({"name": "k"}))
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let key_id = app
        .get("/api/v1/iam/api-keys", &anna.token)
        .expect(200)
        .body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        &format!("/api/v1/iam/api-keys/{key_id}/revoke"),
        &anna.token,
        json!({}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/iam/users/{}/disable", anna.id),
        &admin,
        json!({}),
    )
    .expect(200);
    let bad_body = json!({"kind": "nonsense", "unknown": 1});
    // A disabled user's token, a revoked key, no credential at all: 401, whatever the body.
    for (token, via_key) in [
        (anna.token.as_str(), false),
        (key.as_str(), true),
        ("", false),
    ] {
        let headers = if via_key {
            vec![("X-API-Key".to_string(), token.to_string())]
        } else if token.is_empty() {
            vec![]
        } else {
            vec![("Authorization".to_string(), format!("Bearer {token}"))]
        };
        let req = Req {
            headers,
            ..Req::default()
        };
        app.send("POST", "/api/v1/partners", None, Some(&bad_body), &req)
            .expect_problem(401, "unauthenticated");
        app.send("GET", "/api/v1/partners?limit=banana", None, None, &req)
            .expect_problem(401, "unauthenticated");
        let raw = Req {
            raw_body: Some(("application/json".into(), "{not json".into())),
            ..req.clone()
        };
        app.send("POST", "/api/v1/partners", None, None, &raw)
            .expect_problem(401, "unauthenticated");
    }
}

#[test]
fn racing_transitions_of_one_order_get_its_state_not_a_spurious_conflict() {
    let app = Arc::new(TestApp::spawn());
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "SHOP");
    let beam = item(&app, &admin, "BEAM", json!({}));
    receive(&app, &admin, &beam, &room.stock, "100", "5.00");
    let seller = crm_seller(&app, &admin, "sam");
    let customer = app
        .post(
            "/api/v1/crm/customers",
            &seller.token,
            json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    let order = app
        .post(
            "/api/v1/crm/sales-orders",
            &seller.token,
            json!({"customer_id": customer, "location_id": room.stock, "lines": [{"item_id": beam, "quantity": "3", "unit_price": "9.00"}]}),
        )
        .expect(201)
        .id();
    let race = |action: &str| -> Vec<erp_tests::Resp> {
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (app, token) = (app.clone(), seller.token.clone());
                let path = format!("/api/v1/crm/sales-orders/{order}/{action}");
                std::thread::spawn(move || app.post(&path, &token, json!({})))
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    };
    for (action, state) in [("confirm", "confirmed"), ("deliver", "delivered")] {
        let answers = race(action);
        let won = answers.iter().filter(|r| r.status == 200).count();
        assert_eq!(won, 1, "{action}: exactly one wins");
        for r in answers.iter().filter(|r| r.status != 200) {
            assert_eq!(r.status, 409, "{action}: {}", r.text);
            assert_eq!(r.body["code"], "invalid_state", "{action}: {}", r.text);
            assert_eq!(r.body["current_state"], state, "{action}: {}", r.text);
        }
    }
    let stock = app
        .get(
            &format!(
                "/api/v1/inventory/stock?item_id={beam}&location_id={}",
                room.stock
            ),
            &admin,
        )
        .expect(200);
    assert_eq!(stock.body["items"][0]["on_hand"], "97");
    assert_eq!(stock.body["items"][0]["reserved"], "0");
}

#[test]
fn concurrent_repeats_of_one_key_wait_for_the_first_and_replay_it() {
    let app = Arc::new(TestApp::spawn());
    let admin = app.admin_token();
    let body = json!({"kind": "organisation", "name": "Once", "roles": ["customer"]});
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (app, admin, body) = (app.clone(), admin.clone(), body.clone());
            std::thread::spawn(move || {
                app.send(
                    "POST",
                    "/api/v1/partners",
                    Some(&admin),
                    Some(&body),
                    &Req {
                        headers: vec![("Idempotency-Key".into(), "same-key".into())],
                        ..Req::default()
                    },
                )
            })
        })
        .collect();
    let answers: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    for a in &answers {
        assert_eq!(a.status, 201, "{}", a.text);
        assert_eq!(a.body["id"], answers[0].body["id"]);
    }
    let replays = answers
        .iter()
        .filter(|a| a.header("idempotent-replayed") == Some("true"))
        .count();
    assert_eq!(replays, 7, "one ran, seven replayed it");
    let list = app.get("/api/v1/partners", &admin).expect(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
}
