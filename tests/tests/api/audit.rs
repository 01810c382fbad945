//! The audit trail records every change with who, when, before and after.

use erp_tests::builders::{outbox_len, partner, unheard_webhook, UserBuilder};
use erp_tests::TestApp;
use serde_json::json;

#[test]
fn creates_updates_and_deletes_are_audited_with_before_and_after() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let id = app
        .post("/api/v1/partners", &admin, partner("Audited", &[]))
        .expect(201)
        .id();
    app.patch(
        &format!("/api/v1/partners/{id}"),
        &admin,
        1,
        json!({"name": "Audited Ltd"}),
    )
    .expect(200);
    app.delete(&format!("/api/v1/partners/{id}"), &admin)
        .expect(204);

    let events = app
        .get(
            &format!("/api/v1/audit/events?entity_type=partner&entity_id={id}"),
            &admin,
        )
        .expect(200);
    let items = events.body["items"].as_array().unwrap();
    let actions: Vec<_> = items
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "update", "delete"]);
    assert_eq!(items[0]["before"], json!(null));
    assert_eq!(items[0]["after"]["name"], "Audited");
    assert_eq!(items[1]["before"]["name"], "Audited");
    assert_eq!(items[1]["after"]["name"], "Audited Ltd");
    assert_eq!(items[2]["before"]["name"], "Audited Ltd");
    assert_eq!(items[2]["actor_name"], "admin");
    assert!(items[2]["request_id"].is_string());
}

#[test]
fn the_trail_filters_by_user_and_time_and_keeps_secrets_out() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let writer = UserBuilder::new("writer")
        .permissions(&["partner.write"])
        .create(&app, &admin);
    app.post("/api/v1/partners", &writer.token, partner("By writer", &[]))
        .expect(201);
    app.post("/api/v1/partners", &admin, partner("By admin", &[]))
        .expect(201);

    let by_writer = app
        .get(
            &format!("/api/v1/audit/events?actor_id={}", writer.id),
            &admin,
        )
        .expect(200);
    let items = by_writer.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["after"]["name"], "By writer");

    let future = (chrono::Utc::now() + chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M:%SZ");
    let none = app
        .get(&format!("/api/v1/audit/events?from={future}"), &admin)
        .expect(200);
    assert_eq!(none.body["items"].as_array().unwrap().len(), 0);

    let users = app
        .get("/api/v1/audit/events?entity_type=user", &admin)
        .expect(200);
    assert!(!users.body["items"].as_array().unwrap().is_empty());
    assert!(
        !users.text.contains("argon2"),
        "password hashes never reach the audit trail"
    );

    app.login_response("writer", "wrong-password").expect(401);
    let failed = app
        .get("/api/v1/audit/events?action=login_failed", &admin)
        .expect(200);
    assert_eq!(failed.body["items"][0]["entity_id"], writer.id);
}

/// A bulk write refused for one record, or run dry, keeps nothing: no record, no audit entry,
/// no webhook event; the same batch run for real keeps all three.
#[test]
fn a_refused_or_dry_run_batch_leaves_no_audit_entry_and_no_webhook_event() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let hook = unheard_webhook(&app, &admin, &["customer.created"]);
    let trail = || {
        let audited = app
            .get("/api/v1/audit/events?entity_type=customer", &admin)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .len();
        (audited, outbox_len(&app, &admin, &hook))
    };
    let card = |name: &str| json!({"partner": {"kind": "organisation", "name": name}});
    let batch = |query: &str, cards: Vec<serde_json::Value>| {
        app.post(
            &format!("/api/v1/crm/customers/batch{query}"),
            &admin,
            json!({ "customers": cards }),
        )
    };

    batch("", vec![card("Alpha"), card("")]).expect_problem(422, "validation_failed");
    assert_eq!(
        trail(),
        (0, 0),
        "the refused batch's good record left a trace"
    );
    batch("?dry_run=true", vec![card("Alpha"), card("Beta")]).expect(200);
    assert_eq!(trail(), (0, 0), "the dry run left a trace");
    batch("", vec![card("Alpha"), card("Beta")]).expect(201);
    assert_eq!(trail(), (2, 2));
}
