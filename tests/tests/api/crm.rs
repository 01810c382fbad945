//! CRM through the API: the customer card in one request, access rights, interactions with
//! their minimum record, the pipeline with stage history, tasks, and the customer timeline.

use erp_tests::builders::{check_id_filter, UserBuilder};
use erp_tests::TestApp;
use serde_json::{json, Value};

use erp_tests::builders::crm_manager as manager;

fn customer(app: &TestApp, token: &str, name: &str) -> Value {
    app.post(
        "/api/v1/crm/customers",
        token,
        json!({
            "partner": {"kind": "organisation", "name": name, "phones": [{"value": "+49 30 1234567"}], "emails": [{"value": "buyer@example.com"}]},
            "source": "fair 2027",
            "tags": ["VIP", "metal", "vip"],
            "segment": "industry",
            "region": "Berlin",
            "attributes": {"prefers": "morning calls", "loyal_to": ["Bosch"]},
            "contacts": [{"name": "Anna Berg", "job_title": "buyer", "phone": "+49 170 555 0101", "email": "anna@example.com"}]
        }),
    )
    .expect(201)
    .body
}

#[test]
fn a_customer_card_is_one_request_and_managers_see_only_their_own() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let bob = manager(&app, &admin, "bob");
    let lead = UserBuilder::new("lead")
        .permissions(&[
            "crm.customer.read",
            "crm.customer.write",
            "crm.all",
            "crm.personal_data.read",
        ])
        .create(&app, &admin);
    let c = customer(&app, &ann.token, "Stahlbau Nord");
    let id = c["id"].as_str().unwrap().to_string();
    assert_eq!(c["status"], "lead");
    assert_eq!(c["owner_id"], ann.id);
    assert_eq!(
        c["tags"],
        json!(["metal", "vip"]),
        "tags are kept once, lowercase"
    );
    assert_eq!(c["attributes"]["prefers"], "morning calls");
    assert_eq!(c["partner"]["roles"], json!(["customer"]));
    assert_eq!(c["contacts"][0]["name"], "Anna Berg");
    assert_eq!(c["partner"]["phones"][0]["value"], "+49 30 1234567");

    // Bob does not see Ann's customer at all; the lead sees everyone's.
    app.get(&format!("/api/v1/crm/customers/{id}"), &bob.token)
        .expect_problem(404, "not_found");
    customer(&app, &bob.token, "Holz Süd");
    let mine = app
        .get("/api/v1/crm/customers", &bob.token)
        .expect(200)
        .body;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    assert_eq!(mine["items"][0]["partner"]["name"], "Holz Süd");
    let all = app
        .get("/api/v1/crm/customers", &lead.token)
        .expect(200)
        .body;
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    let tagged = app
        .get("/api/v1/crm/customers?tag=VIP", &lead.token)
        .expect(200)
        .body;
    assert_eq!(
        tagged["items"].as_array().unwrap().len(),
        2,
        "both carry the tag, in any case"
    );
    let anns = app
        .get(
            &format!("/api/v1/crm/customers?tag=metal&owner_id={}", ann.id),
            &lead.token,
        )
        .expect(200)
        .body;
    assert_eq!(anns["items"].as_array().unwrap().len(), 1);
    let none = app
        .get("/api/v1/crm/customers?tag=wood", &lead.token)
        .expect(200)
        .body;
    assert!(none["items"].as_array().unwrap().is_empty());
    // Bob may not change Ann's card, nor give his own to Ann.
    app.patch(
        &format!("/api/v1/crm/customers/{id}"),
        &bob.token,
        1,
        json!({"status": "prospect"}),
    )
    .expect_problem(404, "not_found");
    let bobs = mine["items"][0]["id"].as_str().unwrap();
    app.patch(
        &format!("/api/v1/crm/customers/{bobs}"),
        &bob.token,
        1,
        json!({"owner_id": ann.id}),
    )
    .expect_problem(403, "forbidden");
    // The lead reassigns Ann's customer to Bob.
    app.patch(
        &format!("/api/v1/crm/customers/{id}"),
        &lead.token,
        1,
        json!({"owner_id": bob.id}),
    )
    .expect(200);
    app.get(&format!("/api/v1/crm/customers/{id}"), &bob.token)
        .expect(200);
    app.get(&format!("/api/v1/crm/customers/{id}"), &ann.token)
        .expect_problem(404, "not_found");
    // Without a CRM permission there is no CRM.
    let clerk = UserBuilder::new("clerk")
        .permissions(&["partner.read"])
        .create(&app, &admin);
    app.get("/api/v1/crm/customers", &clerk.token)
        .expect_problem(403, "forbidden");
}

#[test]
fn personal_data_is_shown_and_changed_only_with_its_permissions() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let c = customer(&app, &ann.token, "Stahlbau Nord");
    let id = c["id"].as_str().unwrap().to_string();
    let partner_version = c["partner"]["version"].as_i64().unwrap();
    // A manager without the personal-data permission sees the card without phones or e-mails.
    let restricted = UserBuilder::new("junior")
        .permissions(&["crm.customer.read", "crm.all"])
        .create(&app, &admin);
    let seen = app
        .get(&format!("/api/v1/crm/customers/{id}"), &restricted.token)
        .expect(200)
        .body;
    assert_eq!(seen["partner"]["phones"], json!([]));
    assert_eq!(seen["contacts"][0]["phone"], Value::Null);
    assert_eq!(seen["contacts"][0]["name"], "Anna Berg");
    // The operator fixes a phone number on anyone's customer, but touches no deals.
    let operator = UserBuilder::new("operator")
        .permissions(&[
            "crm.customer.read",
            "crm.personal_data.read",
            "crm.personal_data.write",
        ])
        .create(&app, &admin);
    let fixed = app
        .patch(
            &format!("/api/v1/crm/customers/{id}/personal-data"),
            &operator.token,
            partner_version,
            json!({"phones": [{"value": "+49 30 7654321"}]}),
        )
        .expect(200)
        .body;
    assert_eq!(fixed["partner"]["phones"][0]["value"], "+49 30 7654321");
    app.post(
        "/api/v1/crm/deals",
        &operator.token,
        json!({"customer_id": id, "title": "x", "value": "1.00"}),
    )
    .expect_problem(403, "forbidden");
    app.patch(
        &format!("/api/v1/crm/customers/{id}"),
        &operator.token,
        1,
        json!({"status": "customer"}),
    )
    .expect_problem(403, "forbidden");
    // Managers cannot use the personal-data route.
    app.patch(
        &format!("/api/v1/crm/customers/{id}/personal-data"),
        &ann.token,
        partner_version + 1,
        json!({"phones": []}),
    )
    .expect_problem(403, "forbidden");
}

#[test]
fn interactions_need_their_minimum_record() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let c = customer(&app, &ann.token, "Stahlbau Nord");
    let id = c["id"].as_str().unwrap().to_string();
    let contact = c["contacts"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/crm/customers/{id}/interactions");
    let r = app
        .post(&path, &ann.token, json!({"kind": "call"}))
        .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert_eq!(fields, vec!["direction", "duration_seconds", "outcome"]);
    let r = app
        .post(
            &path,
            &ann.token,
            json!({"kind": "meeting", "topic": "prices"}),
        )
        .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert_eq!(fields, vec!["occurred_at", "contact_id", "result"]);
    app.post(&path, &ann.token, json!({"kind": "call", "direction": "outbound", "duration_seconds": 120, "outcome": "maybe"}))
        .expect_problem(422, "validation_failed");
    let outcomes = app
        .get("/api/v1/crm/call-outcomes", &ann.token)
        .expect(200)
        .body;
    let codes: Vec<&str> = outcomes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec!["accepted", "call_back", "done", "not_interested"]
    );
    app.post(
        "/api/v1/crm/call-outcomes",
        &ann.token,
        json!({"code": "sent_offer", "label": "Offer sent"}),
    )
    .expect_problem(403, "forbidden");
    app.post(
        "/api/v1/crm/call-outcomes",
        &admin,
        json!({"code": "sent_offer", "label": "Offer sent"}),
    )
    .expect(200);
    let call = app
        .post(&path, &ann.token, json!({"kind": "call", "direction": "outbound", "duration_seconds": 240, "outcome": "sent_offer", "occurred_at": "2026-01-05T09:30:00Z"}))
        .expect(201)
        .body;
    assert_eq!(call["outcome"], "sent_offer");
    app.post(&path, &ann.token, json!({"kind": "meeting", "contact_id": contact, "topic": "prices", "result": "wants a quote", "occurred_at": "2026-01-07T14:00:00Z"}))
        .expect(201);
    let card = app
        .get(&format!("/api/v1/crm/customers/{id}"), &ann.token)
        .expect(200)
        .body;
    assert_eq!(card["last_contact_at"], "2026-01-07T14:00:00Z");
    assert_eq!(card["summary"]["interactions"], 2);
    // A meeting planned ahead needs no result yet and is not a contact until it happens.
    app.post(&path, &ann.token, json!({"kind": "meeting", "contact_id": contact, "topic": "next order", "occurred_at": "2099-01-07T14:00:00Z"}))
        .expect(201);
    let card = app
        .get(&format!("/api/v1/crm/customers/{id}"), &ann.token)
        .expect(200)
        .body;
    assert_eq!(card["last_contact_at"], "2026-01-07T14:00:00Z");
    let meetings = app
        .get(&format!("{path}?kind=meeting"), &ann.token)
        .expect(200)
        .body;
    assert_eq!(meetings["items"].as_array().unwrap().len(), 2);
    // A contact person of another customer is refused.
    let other = customer(&app, &ann.token, "Other");
    let foreign = other["contacts"][0]["id"].as_str().unwrap();
    app.post(
        &path,
        &ann.token,
        json!({"kind": "meeting", "contact_id": foreign, "topic": "t", "result": "r"}),
    )
    .expect_problem(422, "validation_failed");
    // Not contacted since 2026-01-07: the other customer (never) only.
    let quiet = app
        .get(
            "/api/v1/crm/customers?no_contact_since=2026-01-06",
            &ann.token,
        )
        .expect(200)
        .body;
    assert_eq!(quiet["items"].as_array().unwrap().len(), 1);
    assert_eq!(quiet["items"][0]["partner"]["name"], "Other");
}

#[test]
fn deals_move_through_the_pipeline_with_their_history_and_close_won_or_lost() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let c = customer(&app, &ann.token, "Stahlbau Nord");
    let id = c["id"].as_str().unwrap().to_string();
    let stages = app.get("/api/v1/crm/stages", &ann.token).expect(200).body;
    let stage = |code: &str| {
        stages["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == code)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let deal = app
        .post("/api/v1/crm/deals", &ann.token, json!({"customer_id": id, "title": "Beams 2027", "value": "12000.00", "expected_close": "2027-03-31"}))
        .expect(201)
        .body;
    assert_eq!(deal["stage_code"], "qualification");
    assert_eq!(deal["weighted_value"], "1200.00", "10% of 12000");
    let did = deal["id"].as_str().unwrap().to_string();
    let moved = app
        .post(
            &format!("/api/v1/crm/deals/{did}/stage"),
            &ann.token,
            json!({"stage_id": stage("negotiation")}),
        )
        .expect(200)
        .body;
    assert_eq!(moved["weighted_value"], "8400.00");
    assert_eq!(moved["history"].as_array().unwrap().len(), 2);
    assert!(moved["history"][1]["seconds_in_previous"].as_i64().unwrap() >= 0);
    app.post(
        &format!("/api/v1/crm/deals/{did}/stage"),
        &ann.token,
        json!({"stage_id": stage("won")}),
    )
    .expect_problem(422, "validation_failed");
    app.post(
        &format!("/api/v1/crm/deals/{did}/lose"),
        &ann.token,
        json!({"reason": " "}),
    )
    .expect_problem(422, "validation_failed");
    let won = app
        .post(
            &format!("/api/v1/crm/deals/{did}/win"),
            &ann.token,
            json!({}),
        )
        .expect(200)
        .body;
    assert_eq!(
        (won["status"].as_str(), won["stage_code"].as_str()),
        (Some("won"), Some("won"))
    );
    app.post(
        &format!("/api/v1/crm/deals/{did}/lose"),
        &ann.token,
        json!({"reason": "price"}),
    )
    .expect_problem(409, "invalid_state");
    let card = app
        .get(&format!("/api/v1/crm/customers/{id}"), &ann.token)
        .expect(200)
        .body;
    assert_eq!(card["status"], "customer", "a won deal makes a customer");
    assert_eq!(card["summary"]["won_deals"], 1);
    let second = app
        .post(
            "/api/v1/crm/deals",
            &ann.token,
            json!({"customer_id": id, "title": "Rails", "value": "500.00"}),
        )
        .expect(201)
        .body;
    let lost = app
        .post(
            &format!("/api/v1/crm/deals/{}/lose", second["id"].as_str().unwrap()),
            &ann.token,
            json!({"reason": "price too high"}),
        )
        .expect(200)
        .body;
    assert_eq!(lost["lost_reason"], "price too high");
    let open = app
        .get("/api/v1/crm/deals?status=open", &ann.token)
        .expect(200)
        .body;
    assert!(open["items"].as_array().unwrap().is_empty());
    // A page of deals shows each deal's own history and changes, as reading it alone does.
    let listed = app.get("/api/v1/crm/deals", &ann.token).expect(200).body;
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for d in items {
        let alone = app
            .get(
                &format!("/api/v1/crm/deals/{}", d["id"].as_str().unwrap()),
                &ann.token,
            )
            .expect(200)
            .body;
        assert_eq!(d["history"], alone["history"]);
        assert_eq!(d["changes"], alone["changes"]);
    }
    assert_ne!(
        items[0]["history"].as_array().unwrap().len(),
        items[1]["history"].as_array().unwrap().len()
    );
    app.post(
        "/api/v1/crm/deals",
        &ann.token,
        json!({"customer_id": id, "title": "x", "value": "-1.00"}),
    )
    .expect_problem(422, "validation_failed");
    let bob = manager(&app, &admin, "bob");
    app.post(
        "/api/v1/crm/deals",
        &bob.token,
        json!({"customer_id": id, "title": "poach", "value": "1.00"}),
    )
    .expect_problem(422, "validation_failed");
    app.get(&format!("/api/v1/crm/deals/{did}"), &bob.token)
        .expect_problem(404, "not_found");
    // A stage of one's own: the pipeline is configurable.
    let configured = app
        .post(
            "/api/v1/crm/stages",
            &admin,
            json!({"code": "demo", "name": "Demo", "position": 15, "probability": "25"}),
        )
        .expect(200)
        .body;
    let codes: Vec<&str> = configured["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec![
            "qualification",
            "demo",
            "proposal",
            "negotiation",
            "won",
            "lost"
        ]
    );
    app.post(
        "/api/v1/crm/stages",
        &admin,
        json!({"code": "x", "name": "X", "position": 1, "probability": "101"}),
    )
    .expect_problem(422, "validation_failed");
}

#[test]
fn tasks_show_as_overdue_or_due_soon_and_the_timeline_tells_the_whole_story() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let bob = manager(&app, &admin, "bob");
    let c = customer(&app, &ann.token, "Stahlbau Nord");
    let id = c["id"].as_str().unwrap().to_string();
    let now = chrono::Utc::now();
    let at = |h: i64| (now + chrono::Duration::hours(h)).to_rfc3339();
    let late = app.post("/api/v1/crm/tasks", &ann.token, json!({"title": "Send the quote", "due_at": at(-2), "customer_id": id, "priority": "high"})).expect(201).body;
    assert_eq!(late["overdue"], true);
    app.post(
        "/api/v1/crm/tasks",
        &ann.token,
        json!({"title": "Call back", "due_at": at(3), "customer_id": id}),
    )
    .expect(201);
    app.post(
        "/api/v1/crm/tasks",
        &ann.token,
        json!({"title": "Plan visit", "due_at": at(100)}),
    )
    .expect(201);
    let titles = |view: &str| -> Vec<String> {
        app.get(&format!("/api/v1/crm/tasks?view={view}"), &ann.token)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(titles("overdue"), vec!["Send the quote"]);
    assert_eq!(titles("due_soon"), vec!["Call back"]);
    assert_eq!(titles("open").len(), 3);
    // A task no longer needed is cancelled: off the open list, and only once.
    let plan = app
        .get("/api/v1/crm/tasks?view=open", &ann.token)
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Plan visit")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cancel = format!("/api/v1/crm/tasks/{plan}/cancel");
    let cancelled = app.post(&cancel, &ann.token, json!({})).expect(200).body;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(titles("open").len(), 2);
    app.post(&cancel, &ann.token, json!({}))
        .expect_problem(409, "invalid_state");
    app.post(
        &format!(
            "/api/v1/crm/tasks/{}/complete",
            late["id"].as_str().unwrap()
        ),
        &ann.token,
        json!({}),
    )
    .expect(200);
    assert!(titles("overdue").is_empty());
    app.post(
        &format!(
            "/api/v1/crm/tasks/{}/complete",
            late["id"].as_str().unwrap()
        ),
        &ann.token,
        json!({}),
    )
    .expect_problem(409, "invalid_state");
    // Bob neither sees Ann's list nor assigns her work.
    app.get(
        &format!("/api/v1/crm/tasks?assignee_id={}", ann.id),
        &bob.token,
    )
    .expect_problem(403, "forbidden");
    app.post(
        "/api/v1/crm/tasks",
        &bob.token,
        json!({"title": "x", "due_at": at(1), "assignee_id": ann.id}),
    )
    .expect_problem(403, "forbidden");
    app.post(
        "/api/v1/crm/tasks",
        &bob.token,
        json!({"title": "x", "due_at": at(1), "customer_id": id}),
    )
    .expect_problem(422, "validation_failed");

    let path = format!("/api/v1/crm/customers/{id}/interactions");
    app.post(
        &path,
        &ann.token,
        json!({"kind": "note", "body": "met at the fair"}),
    )
    .expect(201);
    let deal = app
        .post(
            "/api/v1/crm/deals",
            &ann.token,
            json!({"customer_id": id, "title": "Beams", "value": "100.00"}),
        )
        .expect(201)
        .body;
    app.post(
        &format!("/api/v1/crm/deals/{}/win", deal["id"].as_str().unwrap()),
        &ann.token,
        json!({}),
    )
    .expect(200);
    let timeline = app
        .get(&format!("/api/v1/crm/customers/{id}/timeline"), &ann.token)
        .expect(200)
        .body;
    let kinds: Vec<&str> = timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "task_created",
            "task_created",
            "task_done",
            "interaction",
            "deal_created",
            "deal_won"
        ],
        "{timeline}"
    );
    let card = app
        .get(&format!("/api/v1/crm/customers/{id}"), &ann.token)
        .expect(200)
        .body;
    assert_eq!(
        (
            card["summary"]["open_tasks"].as_i64(),
            card["summary"]["overdue_tasks"].as_i64()
        ),
        (Some(1), Some(0))
    );
    app.get(&format!("/api/v1/crm/customers/{id}/timeline"), &bob.token)
        .expect_problem(404, "not_found");
}

#[test]
fn customer_cards_load_in_bulk_all_or_nothing() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let card = |name: &str| {
        json!({"partner": {"kind": "organisation", "name": name, "phones": [{"value": "+49 30 1234567"}]},
               "tags": ["bulk"], "contacts": [{"name": format!("Buyer at {name}")}]})
    };
    let mine = |app: &TestApp| {
        app.get("/api/v1/crm/customers?limit=500", &ann.token)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .len()
    };

    let made = app
        .post(
            "/api/v1/crm/customers/batch",
            &ann.token,
            json!({"customers": [card("Alpha"), card("Beta"), card("Gamma")]}),
        )
        .expect(201);
    let cards = made.body["customers"].as_array().unwrap();
    assert_eq!(cards.len(), 3);
    assert_eq!(cards[1]["partner"]["name"], "Beta");
    assert_eq!(cards[1]["owner_id"], ann.id);
    assert_eq!(cards[2]["contacts"][0]["name"], "Buyer at Gamma");
    let one = app
        .get(
            &format!("/api/v1/crm/customers/{}", cards[0]["id"].as_str().unwrap()),
            &ann.token,
        )
        .expect(200);
    assert_eq!(one.body["partner"]["name"], "Alpha");
    assert_eq!(mine(&app), 3);

    let mut nameless = card("");
    nameless["partner"]["name"] = json!("");
    let mut bad_email = card("Delta");
    bad_email["contacts"][0]["email"] = json!("not an address");
    let r = app
        .post(
            "/api/v1/crm/customers/batch",
            &ann.token,
            json!({"customers": [card("Epsilon"), nameless, bad_email]}),
        )
        .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert_eq!(fields.len(), 2, "{}", r.body);
    assert!(fields[0].starts_with("customers[1].partner."), "{}", r.body);
    assert_eq!(fields[1], "customers[2].contacts[0].email", "{}", r.body);
    assert_eq!(mine(&app), 3, "Epsilon was not kept");

    // A card Ann may not make (given to another manager) refuses the whole request.
    let mut given_away = card("Zeta");
    given_away["owner_id"] = json!(uuid::Uuid::now_v7());
    app.post(
        "/api/v1/crm/customers/batch",
        &ann.token,
        json!({"customers": [card("Eta"), given_away]}),
    )
    .expect_problem(403, "forbidden");
    assert_eq!(mine(&app), 3);
}

#[test]
fn a_filter_naming_nothing_or_someone_elses_customer_is_not_found_on_every_crm_list() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let bob = manager(&app, &admin, "bob");
    let c = customer(&app, &ann.token, "Stahlbau Nord");
    let cid = c["id"].as_str().unwrap();
    let deal = app
        .post(
            "/api/v1/crm/deals",
            &ann.token,
            json!({"customer_id": cid, "title": "Beams", "value": "100.00"}),
        )
        .expect(201)
        .id();
    let first_id = |path: &str| -> String {
        app.get(path, &admin).expect(200).body["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let stage = first_id("/api/v1/crm/stages");
    let branch = first_id("/api/v1/org/branches");
    let team = app
        .post(
            "/api/v1/crm/teams",
            &admin,
            json!({"name": "North", "lead_id": ann.id, "member_ids": [bob.id]}),
        )
        .expect(201)
        .id();
    let user = Some(ann.id.as_str());
    let customer = Some(cid);
    let mut filters = vec![
        ("/api/v1/crm/customers", "owner_id", user, "user"),
        ("/api/v1/crm/deals", "customer_id", customer, "customer"),
        ("/api/v1/crm/deals", "owner_id", user, "user"),
        (
            "/api/v1/crm/deals",
            "stage_id",
            Some(stage.as_str()),
            "stage",
        ),
        (
            "/api/v1/crm/notifications",
            "customer_id",
            customer,
            "customer",
        ),
        ("/api/v1/crm/notifications", "order_id", None, "sales_order"),
        ("/api/v1/crm/quotes", "deal_id", Some(deal.as_str()), "deal"),
        ("/api/v1/crm/quotes", "customer_id", customer, "customer"),
        (
            "/api/v1/crm/sales-orders",
            "customer_id",
            customer,
            "customer",
        ),
        ("/api/v1/crm/tasks", "assignee_id", user, "user"),
        ("/api/v1/crm/tasks", "customer_id", customer, "customer"),
        ("/api/v1/crm/tickets", "customer_id", customer, "customer"),
        ("/api/v1/crm/targets/progress", "user_id", user, "user"),
        ("/api/v1/crm/targets/progress.svg", "user_id", None, "user"),
    ];
    for report in [
        "/api/v1/crm/reports/pipeline",
        "/api/v1/crm/reports/pipeline.svg",
        "/api/v1/crm/reports/revenue",
        "/api/v1/crm/reports/revenue.svg",
        "/api/v1/crm/reports/managers",
        "/api/v1/crm/reports/complaints",
    ] {
        let json = !report.ends_with(".svg");
        filters.push((report, "owner_id", user.filter(|_| json), "user"));
        filters.push((
            report,
            "team_id",
            Some(team.as_str()).filter(|_| json),
            "team",
        ));
        filters.push((
            report,
            "branch_id",
            Some(branch.as_str()).filter(|_| json),
            "branch",
        ));
    }
    for (path, param, real, entity) in filters {
        check_id_filter(&app, &admin, path, param, real, entity);
    }
    // Another manager's customer is as absent as one that does not exist.
    app.get(&format!("/api/v1/crm/deals?customer_id={cid}"), &bob.token)
        .expect_problem(404, "not_found");
    app.get(&format!("/api/v1/crm/deals?customer_id={cid}"), &ann.token)
        .expect(200);
}
