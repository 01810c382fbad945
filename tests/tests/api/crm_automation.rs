//! CRM automation, inbound integrations, assignment and workload, and the reports.

use erp_tests::builders::{outbox_len, unheard_webhook, UserBuilder};
use erp_tests::TestApp;
use serde_json::{json, Value};

use erp_tests::builders::crm_manager as manager;

fn customer(app: &TestApp, token: &str, name: &str, phone: &str, email: &str) -> String {
    app.post(
        "/api/v1/crm/customers",
        token,
        json!({"partner": {"kind": "organisation", "name": name, "phones": [{"value": phone}], "emails": [{"value": email}]}}),
    )
    .expect(201)
    .id()
}

fn inbound_key(app: &TestApp, admin: &str) -> String {
    app.post(
        "/api/v1/iam/api-keys",
        admin,
        json!({"name": "telephony and web form", "scopes": ["crm.inbound"]}),
    )
    .expect(201)
    .body["key"]
        .as_str()
        .unwrap()
        .to_string()
}

fn task_titles(app: &TestApp, token: &str) -> Vec<String> {
    app.get("/api/v1/crm/tasks", token).expect(200).body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_deal_entering_a_stage_makes_the_task_the_rule_names() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let stages = app.get("/api/v1/crm/stages", &admin).expect(200).body;
    let proposal = stages["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "proposal")
        .unwrap()["id"]
        .clone();
    app.post("/api/v1/crm/automation/rules", &admin, json!({"trigger": "deal_stage_entered", "stage_id": proposal, "days": 2, "task_title": "Send the proposal"}))
        .expect(201);
    app.post(
        "/api/v1/crm/automation/rules",
        &admin,
        json!({"trigger": "deal_stage_entered", "days": 2}),
    )
    .expect_problem(422, "validation_failed");
    app.post(
        "/api/v1/crm/automation/rules",
        &ann.token,
        json!({"trigger": "unknown_caller", "days": 0}),
    )
    .expect_problem(403, "forbidden");
    let c = customer(&app, &ann.token, "Nord", "+49 30 111111", "a@nord.example");
    let deal = app
        .post(
            "/api/v1/crm/deals",
            &ann.token,
            json!({"customer_id": c, "title": "Beams", "value": "100.00"}),
        )
        .expect(201)
        .body;
    assert!(
        task_titles(&app, &ann.token).is_empty(),
        "qualification has no rule"
    );
    app.post(
        &format!("/api/v1/crm/deals/{}/stage", deal["id"].as_str().unwrap()),
        &ann.token,
        json!({"stage_id": proposal}),
    )
    .expect(200);
    let tasks = app.get("/api/v1/crm/tasks", &ann.token).expect(200).body;
    assert_eq!(tasks["items"][0]["title"], "Send the proposal");
    assert_eq!(tasks["items"][0]["deal_id"], deal["id"]);
    assert_eq!(tasks["items"][0]["customer_id"], c);
}

#[test]
fn a_lead_qualifies_into_a_deal_in_one_request() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let c = customer(&app, &ann.token, "Nord", "+49 30 111111", "a@nord.example");
    let deal = app
        .post(
            &format!("/api/v1/crm/customers/{c}/qualify"),
            &ann.token,
            json!({"title": "First order", "value": "2500.00"}),
        )
        .expect(201)
        .body;
    assert_eq!(deal["stage_code"], "qualification");
    let card = app
        .get(&format!("/api/v1/crm/customers/{c}"), &ann.token)
        .expect(200)
        .body;
    assert_eq!(card["status"], "prospect");
    app.post(
        &format!("/api/v1/crm/customers/{c}/qualify"),
        &ann.token,
        json!({"title": "Again", "value": "1.00"}),
    )
    .expect_problem(409, "invalid_state");
}

#[test]
fn calls_from_the_telephony_system_land_on_the_right_customer_or_make_a_lead() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let bob = manager(&app, &admin, "bob");
    let key = inbound_key(&app, &admin);
    let c = customer(
        &app,
        &ann.token,
        "Nord",
        "+49 (30) 111-111",
        "a@nord.example",
    );
    let logged = app
        .post(
            "/api/v1/crm/inbound/calls",
            &key,
            json!({"phone": "+4930111111", "direction": "inbound", "duration_seconds": 95}),
        )
        .expect(201)
        .body;
    assert_eq!(logged["customer_id"], c);
    assert_eq!(logged["created_lead"], false);
    assert_eq!(logged["interaction"]["outcome"], "done");
    assert_eq!(
        logged["interaction"]["user_id"], ann.id,
        "the call goes to the customer's manager"
    );
    // Unknown numbers are refused until a rule says what to do with them.
    app.post(
        "/api/v1/crm/inbound/calls",
        &key,
        json!({"phone": "+49 40 999999", "direction": "inbound", "duration_seconds": 10}),
    )
    .expect_problem(422, "validation_failed");
    app.post(
        "/api/v1/crm/automation/rules",
        &admin,
        json!({"trigger": "unknown_caller", "days": 0, "task_title": "Call the new lead back"}),
    )
    .expect(201);
    let rules = app
        .get("/api/v1/crm/automation/rules", &admin)
        .expect(200)
        .body;
    let triggers: Vec<&str> = rules["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["trigger"].as_str().unwrap())
        .collect();
    assert_eq!(triggers, ["unknown_caller"], "{rules}");
    app.send(
        "PUT",
        "/api/v1/crm/assignment",
        Some(&admin),
        Some(&json!({"strategy": "round_robin", "members": [bob.id, ann.id]})),
        &Default::default(),
    )
    .expect(200);
    let settings = app.get("/api/v1/crm/assignment", &admin).expect(200).body;
    assert_eq!(settings["strategy"], "round_robin");
    assert_eq!(
        settings["members"],
        json!([bob.id, ann.id]),
        "in turn, in the order given: {settings}"
    );
    let lead = app
        .post(
            "/api/v1/crm/inbound/calls",
            &key,
            json!({"phone": "+49 40 999999", "direction": "inbound", "duration_seconds": 10}),
        )
        .expect(201)
        .body;
    assert_eq!(lead["created_lead"], true);
    let card = app
        .get(
            &format!(
                "/api/v1/crm/customers/{}",
                lead["customer_id"].as_str().unwrap()
            ),
            &bob.token,
        )
        .expect(200)
        .body;
    assert_eq!(
        (card["status"].as_str(), card["source"].as_str()),
        (Some("lead"), Some("telephony"))
    );
    assert_eq!(
        task_titles(&app, &bob.token),
        vec!["Call the new lead back"]
    );
    // The key does nothing else.
    app.get("/api/v1/crm/customers", &key)
        .expect_problem(403, "forbidden");
}

#[test]
fn web_form_leads_are_assigned_in_turn_or_to_the_least_loaded_and_never_duplicated() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let bob = manager(&app, &admin, "bob");
    let key = inbound_key(&app, &admin);
    let put = |body: Value| {
        app.send(
            "PUT",
            "/api/v1/crm/assignment",
            Some(&admin),
            Some(&body),
            &Default::default(),
        )
    };
    put(json!({"strategy": "round_robin", "members": [ann.id, bob.id]})).expect(200);
    let lead = |name: &str, email: &str| -> Value {
        app.post(
            "/api/v1/crm/inbound/leads",
            &key,
            json!({"name": name, "email": email, "message": "please call"}),
        )
        .expect(201)
        .body
    };
    let owners: Vec<Value> = ["a@x.example", "b@x.example", "c@x.example"]
        .iter()
        .map(|e| lead("Someone", e)["owner_id"].clone())
        .collect();
    assert_eq!(owners, vec![json!(ann.id), json!(bob.id), json!(ann.id)]);
    let again = lead("Someone", "B@X.example");
    assert_eq!(
        again["created"], false,
        "the same e-mail is the same customer"
    );
    assert_eq!(again["owner_id"], json!(bob.id));
    // Least loaded: Ann has two leads' worth of open tasks, Bob none.
    for _ in 0..2 {
        app.post(
            "/api/v1/crm/tasks",
            &ann.token,
            json!({"title": "t", "due_at": "2030-01-01T00:00:00Z"}),
        )
        .expect(201);
    }
    put(json!({"strategy": "least_loaded", "members": [ann.id, bob.id]})).expect(200);
    assert_eq!(lead("Other", "d@x.example")["owner_id"], json!(bob.id));
    app.post(
        "/api/v1/crm/inbound/leads",
        &key,
        json!({"name": "No way to answer"}),
    )
    .expect_problem(422, "validation_failed");
    put(json!({"strategy": "round_robin", "members": ["00000000-0000-0000-0000-000000000000"]}))
        .expect_problem(422, "validation_failed");
}

#[test]
fn workload_reassignment_and_follow_ups_after_silence() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let bob = manager(&app, &admin, "bob");
    let c1 = customer(&app, &ann.token, "One", "+49 30 100001", "1@x.example");
    let c2 = customer(&app, &ann.token, "Two", "+49 30 100002", "2@x.example");
    app.post(
        "/api/v1/crm/deals",
        &ann.token,
        json!({"customer_id": c1, "title": "D", "value": "300.00"}),
    )
    .expect(201);
    app.post(
        "/api/v1/crm/tasks",
        &ann.token,
        json!({"title": "late", "due_at": "2020-01-01T00:00:00Z", "customer_id": c2}),
    )
    .expect(201);
    let lead = UserBuilder::new("lead")
        .permissions(&[
            "crm.customer.read",
            "crm.customer.write",
            "crm.all",
            "crm.configure",
        ])
        .create(&app, &admin);
    let w = app
        .get("/api/v1/crm/workload", &lead.token)
        .expect(200)
        .body;
    let anns = w["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["username"] == "ann")
        .unwrap()
        .clone();
    assert_eq!(
        (
            anns["customers"].as_i64(),
            anns["open_deals"].as_i64(),
            anns["overdue_tasks"].as_i64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(anns["open_deals_value"], "300.00");
    // A manager sees their own line only.
    let own = app.get("/api/v1/crm/workload", &ann.token).expect(200).body;
    assert_eq!(own["items"].as_array().unwrap().len(), 1);
    assert_eq!(own["items"][0]["user_id"], ann.id.as_str());
    // Ann leaves: everything goes to Bob.
    let moved = app
        .post(
            &format!("/api/v1/crm/managers/{}/reassign", ann.id),
            &lead.token,
            json!({"to_user_id": bob.id}),
        )
        .expect(200)
        .body;
    assert_eq!(moved, json!({"customers": 2, "deals": 1, "tasks": 1}));
    assert_eq!(
        app.get("/api/v1/crm/customers", &bob.token)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(task_titles(&app, &bob.token), vec!["late"]);
    // A day without contact is too long for this rule: each quiet customer gets one task.
    app.post(
        "/api/v1/crm/automation/rules",
        &lead.token,
        json!({"trigger": "no_contact", "days": 1, "task_title": "Get in touch"}),
    )
    .expect(201);
    {
        use diesel::RunQueryDsl;
        let db = app.db();
        let mut conn = db.get().unwrap();
        diesel::sql_query("UPDATE crm_customers SET created_at = '2020-01-01 00:00:00'")
            .execute(&mut *conn)
            .unwrap();
    }
    app.post(
        &format!("/api/v1/crm/customers/{c1}/interactions"),
        &bob.token,
        json!({"kind": "note", "body": "spoke today"}),
    )
    .expect(201);
    assert_eq!(
        app.post("/api/v1/crm/automation/sweep", &lead.token, json!({}))
            .expect(200)
            .body["tasks_created"],
        1
    );
    assert_eq!(
        app.post("/api/v1/crm/automation/sweep", &lead.token, json!({}))
            .expect(200)
            .body["tasks_created"],
        0,
        "one open follow-up is enough"
    );
    let tasks = app.get("/api/v1/crm/tasks", &bob.token).expect(200).body;
    let follow = tasks["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Get in touch")
        .unwrap();
    assert_eq!(follow["customer_id"], c2);
}

#[test]
fn reports_count_the_pipeline_and_each_managers_results() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let c = customer(&app, &ann.token, "Nord", "+49 30 111111", "a@nord.example");
    let bare = app
        .post(
            "/api/v1/crm/customers",
            &ann.token,
            json!({"partner": {"kind": "person", "first_name": "No", "last_name": "Data"}}),
        )
        .expect(201)
        .id();
    let stages = app.get("/api/v1/crm/stages", &ann.token).expect(200).body;
    let stage = |code: &str| {
        stages["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == code)
            .unwrap()["id"]
            .clone()
    };
    let deal = |title: &str, value: &str| -> String {
        app.post(
            "/api/v1/crm/deals",
            &ann.token,
            json!({"customer_id": c, "title": title, "value": value}),
        )
        .expect(201)
        .id()
    };
    let (d1, d2, d3) = (
        deal("a", "1000.00"),
        deal("b", "500.00"),
        deal("c", "200.00"),
    );
    app.post(
        &format!("/api/v1/crm/deals/{d1}/stage"),
        &ann.token,
        json!({"stage_id": stage("proposal")}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/crm/deals/{d1}/win"),
        &ann.token,
        json!({}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/crm/deals/{d2}/lose"),
        &ann.token,
        json!({"reason": "price"}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/crm/deals/{d3}/stage"),
        &ann.token,
        json!({"stage_id": stage("proposal")}),
    )
    .expect(200);
    let p = app
        .get("/api/v1/crm/reports/pipeline", &ann.token)
        .expect(200)
        .body;
    let line = |code: &str| {
        p["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == code)
            .unwrap()
            .clone()
    };
    // All three entered qualification; two went further (a won, c to proposal).
    assert_eq!(
        (
            line("qualification")["entered"].as_i64(),
            line("qualification")["conversion_percent"].as_str()
        ),
        (Some(3), Some("66.67"))
    );
    assert_eq!(
        (
            line("proposal")["open_deals"].as_i64(),
            line("proposal")["value"].as_str()
        ),
        (Some(1), Some("200.00"))
    );
    assert_eq!(line("proposal")["weighted_value"], "80.00");
    assert_eq!(
        (
            p["won_deals"].as_i64(),
            p["won_value"].as_str(),
            p["lost_deals"].as_i64()
        ),
        (Some(1), Some("1000.00"), Some(1))
    );
    // Back to qualification and forward again: each stage still counts the deal once.
    for code in ["qualification", "proposal"] {
        app.post(
            &format!("/api/v1/crm/deals/{d3}/stage"),
            &ann.token,
            json!({"stage_id": stage(code)}),
        )
        .expect(200);
    }
    let again = app
        .get("/api/v1/crm/reports/pipeline", &ann.token)
        .expect(200)
        .body;
    let entered = |code: &str| {
        again["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == code)
            .map(|s| (s["entered"].as_i64(), s["conversion_percent"].clone()))
    };
    assert_eq!(entered("qualification"), Some((Some(3), json!("66.67"))));
    assert_eq!(entered("proposal").map(|e| e.0), Some(Some(2)));
    app.post(
        &format!("/api/v1/crm/customers/{c}/interactions"),
        &ann.token,
        json!({"kind": "call", "direction": "outbound", "duration_seconds": 60, "outcome": "done"}),
    )
    .expect(201);
    let m = app
        .get("/api/v1/crm/reports/managers", &ann.token)
        .expect(200)
        .body;
    let a = &m["items"][0];
    assert_eq!(
        (
            a["deals_won"].as_i64(),
            a["deals_lost"].as_i64(),
            a["win_rate_percent"].as_str()
        ),
        (Some(1), Some(1), Some("50"))
    );
    assert_eq!(
        (a["revenue"].as_str(), a["calls"].as_i64()),
        (Some("1000.00"), Some(1))
    );
    assert_eq!(
        (
            a["customers_without_phone"].as_i64(),
            a["customers_without_contacts"].as_i64()
        ),
        (Some(1), Some(2))
    );
    let _ = bare;
    let future = app
        .get("/api/v1/crm/reports/managers?from=2100-01-01", &ann.token)
        .expect(200)
        .body;
    assert!(future["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["deals_won"] == 0));
}

/// The managers report reads calls and meetings from per-day counts the database keeps;
/// whatever changes an interaction (its result, its time, its removal, also outside the API)
/// moves them, and a period counts exactly its days.
#[test]
fn managers_report_counts_follow_every_change_to_the_interactions() {
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let c = customer(&app, &ann.token, "Nord", "+49 30 111111", "a@nord.example");
    let person = app
        .post(
            &format!("/api/v1/crm/customers/{c}/contacts"),
            &ann.token,
            json!({"name": "Eve"}),
        )
        .expect(201)
        .id();
    let call = |at: &str| {
        app.post(
            &format!("/api/v1/crm/customers/{c}/interactions"),
            &ann.token,
            json!({"kind": "call", "occurred_at": at, "direction": "outbound",
                   "duration_seconds": 60, "outcome": "done"}),
        )
        .expect(201)
        .id()
    };
    let meeting = |at: &str, result: Option<&str>| {
        app.post(
            &format!("/api/v1/crm/customers/{c}/interactions"),
            &ann.token,
            json!({"kind": "meeting", "occurred_at": at, "contact_id": person,
                   "topic": "Prices", "result": result}),
        )
        .expect(201)
        .id()
    };
    call("2025-03-10T09:00:00Z");
    let late_call = call("2025-03-10T23:59:59Z");
    call("2025-03-12T00:00:00Z");
    meeting("2025-03-11T15:00:00Z", Some("agreed"));
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let planned = meeting(&tomorrow, None);
    let counts = |query: &str| -> (i64, i64, i64) {
        let r = app
            .get(&format!("/api/v1/crm/reports/managers{query}"), &ann.token)
            .expect(200)
            .body;
        let line = r["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["user_id"] == ann.id.as_str())
            .cloned()
            .unwrap_or(Value::Null);
        (
            line["calls"].as_i64().unwrap_or(0),
            line["meetings"].as_i64().unwrap_or(0),
            line["meetings_without_result"].as_i64().unwrap_or(0),
        )
    };
    // The planned meeting counts as a meeting, not yet as one without its result.
    assert_eq!(counts(""), (3, 2, 0));
    assert_eq!(counts("?from=2025-03-10&to=2025-03-11"), (2, 0, 0));
    assert_eq!(counts("?from=2025-03-11&to=2025-03-12"), (0, 1, 0));
    assert_eq!(counts("?from=2025-03-12&to=2025-03-13"), (1, 0, 0));
    // Time passes (written straight into the table): the meeting was three days ago and
    // still has no result.
    let db = app.db();
    let mut conn = db.get().unwrap();
    let three_days_ago = (chrono::Utc::now() - chrono::Duration::days(3))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    conn.batch_execute(&format!(
        "UPDATE crm_interactions SET occurred_at = '{three_days_ago}' WHERE id = '{planned}'"
    ))
    .unwrap();
    assert_eq!(counts(""), (3, 2, 1));
    let day = &three_days_ago[..10];
    assert_eq!(counts(&format!("?from={day}")), (0, 1, 1));
    app.post(
        &format!("/api/v1/crm/interactions/{planned}/result"),
        &ann.token,
        json!({"result": "They want a discount"}),
    )
    .expect(200);
    assert_eq!(counts(""), (3, 2, 0));
    // A call removed is no longer counted, on its day or in all.
    conn.batch_execute(&format!(
        "DELETE FROM crm_interactions WHERE id = '{late_call}'"
    ))
    .unwrap();
    assert_eq!(counts(""), (2, 2, 0));
    assert_eq!(counts("?from=2025-03-10&to=2025-03-11"), (1, 0, 0));
    // The cards' data quality follows their phones, e-mails and people.
    let lacking = || -> (i64, i64, i64) {
        let r = app
            .get("/api/v1/crm/reports/managers", &ann.token)
            .expect(200)
            .body;
        let l = &r["items"][0];
        (
            l["customers_without_phone"].as_i64().unwrap(),
            l["customers_without_email"].as_i64().unwrap(),
            l["customers_without_contacts"].as_i64().unwrap(),
        )
    };
    assert_eq!(lacking(), (0, 0, 0));
    let version = app
        .get(&format!("/api/v1/crm/customers/{c}"), &admin)
        .expect(200)
        .body["partner"]["version"]
        .as_i64()
        .unwrap();
    app.patch(
        &format!("/api/v1/crm/customers/{c}/personal-data"),
        &admin,
        version,
        json!({"phones": []}),
    )
    .expect(200);
    assert_eq!(lacking(), (1, 0, 0));
    app.delete(
        &format!("/api/v1/crm/customers/{c}/contacts/{person}"),
        &admin,
    )
    .expect(204);
    assert_eq!(lacking(), (1, 0, 1));
    // The customer list names the same cards.
    let listed = |missing: &str| -> usize {
        app.get(
            &format!("/api/v1/crm/customers?missing={missing}"),
            &ann.token,
        )
        .expect(200)
        .body["items"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(
        (listed("phone"), listed("email"), listed("contacts")),
        (1, 0, 1)
    );
    app.patch(
        &format!("/api/v1/crm/customers/{c}/personal-data"),
        &admin,
        version + 1,
        json!({"phones": [{"value": "+49 30 222222"}], "emails": []}),
    )
    .expect(200);
    assert_eq!(lacking(), (0, 1, 1));
    // A new card made through the API starts with what its partner brings.
    customer(&app, &ann.token, "Süd", "+49 30 333333", "b@sued.example");
    assert_eq!(lacking(), (0, 1, 2));
}

#[test]
fn a_received_e_mail_is_logged_on_its_sender_with_attachments_as_documents() {
    use base64::Engine;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let key = inbound_key(&app, &admin);
    let card = app
        .post(
            "/api/v1/crm/customers",
            &ann.token,
            json!({"partner": {"kind": "organisation", "name": "Nord", "emails": [{"value": "office@nord.example"}]},
                   "contacts": [{"name": "Olga Smirnova", "email": "olga@nord.example"}]}),
        )
        .expect(201)
        .body;
    let c = card["id"].as_str().unwrap().to_string();
    let olga = card["contacts"][0]["id"].clone();
    // Integrations hear of it as of any interaction (a receiver that is down keeps the event).
    let hook = unheard_webhook(&app, &admin, &["interaction.created"]);
    let pdf = b"%PDF-1.4\n% an invoice\n%%EOF\n".to_vec();
    let mail = |body: Value| app.post("/api/v1/crm/inbound/emails", &key, body);

    let logged = mail(json!({
        "from": "\"Olga Smirnova\" <OLGA@Nord.example>",
        "to": ["sales@our.example"],
        "subject": "Order 42: delivery date",
        "text": "Can you deliver on Monday?",
        "received_at": "2026-12-01T09:30:00Z",
        "attachments": [
            {"file_name": "invoice.pdf", "content_type": "application/pdf; name=invoice.pdf", "content_base64": b64(&pdf)},
            {"file_name": "all.zip", "content_type": "application/zip", "content_base64": b64(b"PK\x03\x04zip")},
            {"file_name": "photo.png", "content_type": "image/png", "content_base64": b64(b"not a picture")}
        ]
    }))
    .expect(201)
    .body;
    assert_eq!(logged["customer_id"], c.as_str());
    assert_eq!(logged["created_lead"], false);
    let i = &logged["interaction"];
    assert_eq!(
        (i["kind"].as_str(), i["direction"].as_str()),
        (Some("email"), Some("inbound"))
    );
    assert_eq!(i["topic"], "Order 42: delivery date");
    assert_eq!(i["body"], "Can you deliver on Monday?");
    assert_eq!(i["contact_id"], olga, "the contact person it came from");
    assert_eq!(i["user_id"], ann.id, "logged for the customer's manager");
    assert_eq!(i["occurred_at"], "2026-12-01T09:30:00Z");
    assert_eq!(outbox_len(&app, &admin, &hook), 1);
    let skipped: Vec<&str> = logged["skipped_attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["all.zip", "photo.png"], "{logged}");
    assert_eq!(logged["documents"].as_array().unwrap().len(), 1);
    let doc = &logged["documents"][0];
    assert_eq!(
        (doc["file_name"].as_str(), doc["content_type"].as_str()),
        (Some("invoice.pdf"), Some("application/pdf"))
    );
    // The manager sees both on the card: the file to download, the e-mail in the timeline.
    let files = app
        .get(
            &format!("/api/v1/crm/documents?entity_type=customer&entity_id={c}"),
            &ann.token,
        )
        .expect(200)
        .body;
    assert_eq!(files["items"].as_array().unwrap().len(), 1);
    let got = app
        .get(
            &format!("/api/v1/crm/documents/{}", doc["id"].as_str().unwrap()),
            &ann.token,
        )
        .expect(200);
    assert_eq!(got.text.as_bytes(), pdf.as_slice());
    let timeline = app
        .get(&format!("/api/v1/crm/customers/{c}/timeline"), &ann.token)
        .expect(200)
        .body;
    assert!(
        timeline["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.to_string().contains("Order 42: delivery date")),
        "{timeline}"
    );

    // A long text: the interaction keeps its beginning, the whole is a document. A message
    // far larger than an ordinary request body (a 3 MB drawing) is taken.
    let long = "line of a long report\n".repeat(1200);
    let mut drawing = b"%PDF-1.7\n".to_vec();
    drawing.resize(3_000_000, b'x');
    let logged = mail(json!({"from": "office@nord.example", "text": long, "attachments": [
        {"file_name": "drawing.pdf", "content_type": "application/pdf", "content_base64": b64(&drawing)}]}))
    .expect(201)
    .body;
    assert_eq!(logged["documents"][0]["size_bytes"], 3_000_000);
    assert_eq!(logged["interaction"]["topic"], "(no subject)");
    assert_eq!(logged["interaction"]["contact_id"], Value::Null);
    let body = logged["interaction"]["body"].as_str().unwrap();
    assert!(body.chars().count() <= 20_000 && body.ends_with("message.txt]"));
    assert_eq!(logged["documents"][1]["file_name"], "message.txt");
    assert_eq!(logged["documents"][1]["size_bytes"], long.len());

    // Bad input is named; an unknown sender waits for a rule, as an unknown caller does.
    let r = mail(json!({"from": "not an address", "attachments": [
        {"file_name": "a.pdf", "content_type": "application/pdf", "content_base64": "%%%"}]}));
    assert_eq!(
        r.expect_problem(422, "validation_failed").error_fields(),
        ["from", "attachments[0].content_base64"]
    );
    let stranger = json!({"from": "Pavel Orlov <pavel@south.example>", "subject": "Price list?"});
    let r = mail(stranger.clone()).expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["from"]);
    app.post(
        "/api/v1/crm/automation/rules",
        &admin,
        json!({"trigger": "unknown_caller", "days": 1, "task_title": "Answer the new lead"}),
    )
    .expect(201);
    let lead = mail(stranger).expect(201).body;
    assert_eq!(lead["created_lead"], true);
    let card = app
        .get(
            &format!(
                "/api/v1/crm/customers/{}",
                lead["customer_id"].as_str().unwrap()
            ),
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(
        (
            card["status"].as_str(),
            card["source"].as_str(),
            card["partner"]["name"].as_str()
        ),
        (Some("lead"), Some("e-mail"), Some("Pavel Orlov"))
    );
    assert_eq!(card["partner"]["emails"][0]["value"], "pavel@south.example");
    // The key does nothing else.
    app.get(
        &format!("/api/v1/crm/documents?entity_type=customer&entity_id={c}"),
        &key,
    )
    .expect_problem(403, "forbidden");
}
