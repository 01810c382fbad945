//! CRM as a sales team uses it every day: one caller is one customer however the number is
//! dialled, contact people and deals corrected (each change on the history), meetings with
//! their date, cards that lack data listed to fix them, and the whole life of quotes and
//! orders on the timeline with who did each step.

use erp_tests::builders::{crm_seller, item, receive, Stockroom, UserBuilder};
use erp_tests::TestApp;
use serde_json::{json, Value};

/// Sets the company's country, which national phone numbers are read in.
fn company_in(app: &TestApp, admin: &str, country: &str) {
    let company = app.get("/api/v1/org/companies", admin).expect(200).body["items"][0].clone();
    let id = company["id"].as_str().unwrap();
    let version = company["version"].as_i64().unwrap();
    app.patch(
        &format!("/api/v1/org/companies/{id}"),
        admin,
        version,
        json!({"address": {"city": "Hamburg", "country": country}}),
    )
    .expect(200);
}

/// An API key for the telephony system.
fn telephony_key(app: &TestApp, admin: &str) -> String {
    app.post(
        "/api/v1/iam/api-keys",
        admin,
        json!({"name": "telephony", "scopes": ["crm.inbound"]}),
    )
    .expect(201)
    .body["key"]
        .as_str()
        .unwrap()
        .to_string()
}

fn card(app: &TestApp, token: &str, body: Value) -> String {
    app.post("/api/v1/crm/customers", token, body)
        .expect(201)
        .id()
}

fn count(app: &TestApp, token: &str, path: &str) -> usize {
    app.get(path, token).expect(200).body["items"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn one_caller_is_one_customer_however_the_number_is_dialled() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    company_in(&app, &admin, "DE");
    let nord = card(
        &app,
        &admin,
        json!({"partner": {"kind": "organisation", "name": "Nord", "phones": [{"value": "+49 40 555 0199"}]}}),
    );
    let key = telephony_key(&app, &admin);
    // International with + or 00, national with the trunk 0, with spaces, dashes, brackets.
    for dialled in [
        "+49 40 555 0199",
        "0049 40 5550199",
        "040 5550199",
        "(040) 555-0199",
        "+49 (0)40 555 01 99",
    ] {
        let logged = app
            .post(
                "/api/v1/crm/inbound/calls",
                &key,
                json!({"phone": dialled, "direction": "inbound", "duration_seconds": 30}),
            )
            .expect(201)
            .body;
        assert_eq!(logged["customer_id"], nord.as_str(), "{dialled}");
        assert_eq!(logged["created_lead"], false, "{dialled}");
    }
    assert_eq!(count(&app, &admin, "/api/v1/crm/customers"), 1);
    // The partner search reads the number the same way; the card keeps it as entered.
    let found = app
        .get("/api/v1/partners?phone=040%205550199", &admin)
        .expect(200)
        .body;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["items"][0]["phones"][0]["value"], "+49 40 555 0199");
    // A CSV row with the number in another form is the same customer.
    let report = app
        .send(
            "POST",
            "/api/v1/crm/customers/import",
            Some(&admin),
            None,
            &erp_tests::Req {
                raw_body: Some((
                    "text/csv".into(),
                    "name,phone\nNord Hamburg,040/555 0199\n".into(),
                )),
                ..Default::default()
            },
        )
        .expect(200)
        .body;
    assert_eq!(report["created"], 0, "{report}");
    assert_eq!(report["merged"][0]["matched_on"], "phone");
    // What is no phone number is refused by field, and nothing is written.
    for bad in ["+49 12", "call me", "0"] {
        let r = app
            .post(
                "/api/v1/crm/customers",
                &admin,
                json!({"partner": {"kind": "organisation", "name": "X", "phones": [{"value": bad}]}}),
            )
            .expect_problem(422, "validation_failed");
        assert_eq!(
            r.body["errors"][0]["field"], "partner.phones[0].value",
            "{bad}"
        );
    }
    assert_eq!(count(&app, &admin, "/api/v1/crm/customers"), 1);
}

#[test]
fn contact_people_and_deals_are_corrected_and_each_change_is_on_their_history() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    company_in(&app, &admin, "DE");
    let ann = crm_seller(&app, &admin, "ann");
    let bob = crm_seller(&app, &admin, "bob");
    let nord = card(
        &app,
        &ann.token,
        json!({"partner": {"kind": "organisation", "name": "Nord"},
               "contacts": [{"name": "Anna Berg", "job_title": "buyer", "phone": "040 5550101"}]}),
    );
    let path = format!("/api/v1/crm/customers/{nord}");
    let contact = app.get(&path, &ann.token).expect(200).body["contacts"][0].clone();
    let contact_path = format!("{path}/contacts/{}", contact["id"].as_str().unwrap());

    // Personal data is corrected under its own right.
    app.patch(
        &contact_path,
        &ann.token,
        1,
        json!({"job_title": "head of purchasing"}),
    )
    .expect_problem(403, "forbidden");
    let operator = UserBuilder::new("olga")
        .permissions(&[
            "crm.customer.read",
            "crm.personal_data.read",
            "crm.personal_data.write",
        ])
        .create(&app, &admin);
    let fixed = app
        .patch(
            &contact_path,
            &operator.token,
            1,
            json!({"name": "Anna Berg-Meyer", "job_title": "head of purchasing", "phone": "+49 40 555 0102", "email": "anna@nord.example"}),
        )
        .expect(200)
        .body;
    assert_eq!(
        (&fixed["name"], &fixed["job_title"], &fixed["version"]),
        (
            &json!("Anna Berg-Meyer"),
            &json!("head of purchasing"),
            &json!(2)
        )
    );
    app.patch(&contact_path, &operator.token, 1, json!({"notes": "stale"}))
        .expect_problem(412, "version_mismatch");
    let r = app
        .patch(
            &contact_path,
            &operator.token,
            2,
            json!({"phone": "call me"}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "phone");
    // null clears a field.
    let cleared = app
        .patch(
            &contact_path,
            &operator.token,
            2,
            json!({"job_title": null}),
        )
        .expect(200)
        .body;
    assert!(cleared["job_title"].is_null());
    let audit = app
        .get(
            &format!(
                "/api/v1/audit/events?entity_type=customer_contact&entity_id={}",
                contact["id"].as_str().unwrap()
            ),
            &admin,
        )
        .expect(200)
        .body;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["update", "update"], "{audit}");
    // A met contact is removed from the card; the meeting keeps its record.
    app.post(
        &format!("{path}/interactions"),
        &ann.token,
        json!({"kind": "meeting", "occurred_at": "2026-11-02T10:00:00Z", "contact_id": contact["id"],
               "topic": "prices", "result": "wants a quote"}),
    )
    .expect(201);
    app.delete(&contact_path, &operator.token).expect(204);
    let after = app.get(&path, &ann.token).expect(200).body;
    assert_eq!(after["contacts"], json!([]));
    app.delete(&contact_path, &operator.token)
        .expect_problem(404, "not_found");
    assert_eq!(count(&app, &ann.token, &format!("{path}/interactions")), 1);

    // A deal changes its value, close date, title and owner; each change is on its history.
    let deal = app
        .post(
            "/api/v1/crm/deals",
            &ann.token,
            json!({"customer_id": nord, "title": "Beams", "value": "1000.00"}),
        )
        .expect(201)
        .body;
    let deal_path = format!("/api/v1/crm/deals/{}", deal["id"].as_str().unwrap());
    let changed = app
        .patch(
            &deal_path,
            &ann.token,
            1,
            json!({"value": "1250.00", "expected_close": "2027-02-15", "title": "Beams and bolts"}),
        )
        .expect(200)
        .body;
    assert_eq!(changed["value"], "1250.00");
    assert_eq!(changed["weighted_value"], "125.00");
    let fields: Vec<(&str, Option<&str>, Option<&str>)> = changed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap(),
                c["from"].as_str(),
                c["to"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("title", Some("Beams"), Some("Beams and bolts")),
            ("value", Some("1000.00"), Some("1250.00")),
            ("expected_close", None, Some("2027-02-15")),
        ]
    );
    assert_eq!(changed["changes"][0]["user_id"], ann.id.as_str());
    app.patch(&deal_path, &ann.token, 1, json!({"value": "1.00"}))
        .expect_problem(412, "version_mismatch");
    app.send(
        "PATCH",
        &deal_path,
        Some(&ann.token),
        Some(&json!({"value": "1.00"})),
        &Default::default(),
    )
    .expect_problem(428, "precondition_required");
    // A manager hands deals only to users they reach: Bob is not on Ann's team.
    let r = app
        .patch(&deal_path, &ann.token, 2, json!({"owner_id": bob.id}))
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "owner_id");
    let handed = app
        .patch(&deal_path, &admin, 2, json!({"owner_id": bob.id}))
        .expect(200)
        .body;
    assert_eq!(handed["owner_id"], bob.id.as_str());
    // A closed deal no longer changes.
    app.post(&format!("{deal_path}/win"), &admin, json!({}))
        .expect(200);
    app.patch(&deal_path, &admin, 4, json!({"value": "2.00"}))
        .expect_problem(409, "invalid_state");
    let timeline = app
        .get(&format!("{path}/timeline"), &admin)
        .expect(200)
        .body;
    let kinds: Vec<&str> = timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "deal_changed").count(),
        4,
        "{kinds:?}"
    );
}

#[test]
fn meetings_need_their_date_and_cards_missing_data_are_listed() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let full = card(
        &app,
        &admin,
        json!({"partner": {"kind": "organisation", "name": "Full", "phones": [{"value": "+49 40 5550199"}],
                           "emails": [{"value": "a@full.example"}]},
               "contacts": [{"name": "Ada"}]}),
    );
    let no_phone = card(
        &app,
        &admin,
        json!({"partner": {"kind": "organisation", "name": "No phone", "emails": [{"value": "b@x.example"}]},
               "contacts": [{"name": "Bo"}]}),
    );
    let bare = card(
        &app,
        &admin,
        json!({"partner": {"kind": "organisation", "name": "Bare"}}),
    );
    let ids = |missing: &str| -> Vec<String> {
        let mut v: Vec<String> = app
            .get(&format!("/api/v1/crm/customers?missing={missing}"), &admin)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(ids("phone"), sorted(vec![no_phone.clone(), bare.clone()]));
    assert_eq!(ids("email"), vec![bare.clone()]);
    assert_eq!(ids("contacts"), vec![bare.clone()]);
    app.get("/api/v1/crm/customers?missing=fax", &admin)
        .expect_problem(422, "validation_failed");

    // A meeting without a date is refused, naming it; a call defaults to now.
    let person = app
        .get(&format!("/api/v1/crm/customers/{full}"), &admin)
        .expect(200)
        .body["contacts"][0]["id"]
        .clone();
    let path = format!("/api/v1/crm/customers/{full}/interactions");
    let r = app
        .post(
            &path,
            &admin,
            json!({"kind": "meeting", "contact_id": person, "topic": "prices", "result": "ok"}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "occurred_at");
    app.post(
        &path,
        &admin,
        json!({"kind": "visit", "contact_id": person, "topic": "site", "result": "ok"}),
    )
    .expect_problem(422, "validation_failed");
    app.post(
        &path,
        &admin,
        json!({"kind": "meeting", "occurred_at": "2026-11-02T10:00:00Z", "contact_id": person,
               "topic": "prices", "result": "ok"}),
    )
    .expect(201);
    app.post(
        &path,
        &admin,
        json!({"kind": "call", "direction": "outbound", "duration_seconds": 60, "outcome": "done"}),
    )
    .expect(201);
}

#[test]
fn the_timeline_has_every_step_of_quotes_and_orders_with_who_took_it() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "SHOP");
    let beam = item(&app, &admin, "BEAM", json!({}));
    receive(&app, &admin, &beam, &room.stock, "50", "10.00");
    let ann = crm_seller(&app, &admin, "ann");
    let nord = card(
        &app,
        &ann.token,
        json!({"partner": {"kind": "organisation", "name": "Nord"}}),
    );
    let deal = app
        .post(
            "/api/v1/crm/deals",
            &ann.token,
            json!({"customer_id": nord, "title": "Beams", "value": "500.00"}),
        )
        .expect(201)
        .id();
    let quote = |app: &TestApp| {
        app.post(
            &format!("/api/v1/crm/deals/{deal}/quotes"),
            &ann.token,
            json!({"lines": [{"item_id": beam, "quantity": "10", "unit_price": "19.00"}]}),
        )
        .expect(201)
        .id()
    };
    let rejected = quote(&app);
    for step in ["send", "reject"] {
        app.post(
            &format!("/api/v1/crm/quotes/{rejected}/{step}"),
            &ann.token,
            json!({}),
        )
        .expect(200);
    }
    let accepted = quote(&app);
    for step in ["send", "accept"] {
        app.post(
            &format!("/api/v1/crm/quotes/{accepted}/{step}"),
            &ann.token,
            json!({}),
        )
        .expect(200);
    }
    let order = app
        .post(
            &format!("/api/v1/crm/quotes/{accepted}/order"),
            &ann.token,
            json!({"location_id": room.stock}),
        )
        .expect(201)
        .id();
    let step = |what: &str, body: Value| {
        app.post(
            &format!("/api/v1/crm/sales-orders/{order}/{what}"),
            &admin,
            body,
        )
        .expect(200)
    };
    step("confirm", json!({}));
    step(
        "deliver",
        json!({"lines": [{"line_no": 1, "quantity": "4"}]}),
    );
    step("deliver", json!({}));
    let timeline = app
        .get(&format!("/api/v1/crm/customers/{nord}/timeline"), &admin)
        .expect(200)
        .body;
    let steps: Vec<(&str, &str)> = timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reference_type"] == "quote" || e["reference_type"] == "sales_order")
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["user_id"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    let (a, boss) = (ann.id.as_str(), admin_id(&app, &admin));
    assert_eq!(
        steps,
        [
            ("quote_created", a),
            ("quote_sent", a),
            ("quote_rejected", a),
            ("quote_created", a),
            ("quote_sent", a),
            ("quote_accepted", a),
            ("order", a),
            ("quote_ordered", a),
            ("order_confirmed", boss.as_str()),
            ("order_partially_delivered", boss.as_str()),
            ("order_delivered", boss.as_str()),
        ]
    );
}

fn admin_id(app: &TestApp, admin: &str) -> String {
    app.get("/api/v1/auth/me", admin).expect(200).body["user_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn numbers_stored_before_are_keyed_anew_at_the_next_start() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    company_in(&app, &admin, "DE");
    let nord = card(
        &app,
        &admin,
        json!({"partner": {"kind": "organisation", "name": "Nord", "phones": [{"value": "040 5550199"}]},
               "contacts": [{"name": "Anna", "phone": "0170 5550101"}]}),
    );
    // As an earlier version keyed them: digits only.
    {
        use diesel::RunQueryDsl;
        let db = app.db();
        let mut c = db.get().expect("connection");
        for sql in [
            "UPDATE partner_contacts SET normalized = '0405550199' WHERE channel = 'phone'",
            "UPDATE crm_contacts SET phone_normalized = '01705550101'",
            "INSERT INTO pending_data_migrations (name) VALUES ('partner_phones_e164')",
            "INSERT INTO pending_data_migrations (name) VALUES ('contact_phones_e164')",
        ] {
            diesel::sql_query(sql).execute(&mut *c).expect(sql);
        }
    }
    let restarted = app.another_on_same_database();
    let key = telephony_key(&restarted, &admin);
    for dialled in ["+49 40 5550199", "+49 170 5550101"] {
        let logged = restarted
            .post(
                "/api/v1/crm/inbound/calls",
                &key,
                json!({"phone": dialled, "direction": "inbound", "duration_seconds": 5}),
            )
            .expect(201)
            .body;
        assert_eq!(logged["customer_id"], nord.as_str(), "{dialled}");
    }
}
