//! Outbound webhooks: events written while the receiver is down arrive once it is back,
//! exactly once per event id, signed, even with two servers dispatching and one of them new.

use std::net::TcpListener;
use std::time::Duration;

use erp_tests::receiver::{receiver, wait_for};
use erp_tests::TestApp;
use serde_json::{json, Value};

#[test]
fn events_written_while_the_receiver_is_down_arrive_once_it_is_back_exactly_once() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    // A port nobody listens on yet: the receiver is down.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let secret = "a-shared-secret-of-some-length";
    let hook = app
        .post(
            "/api/v1/crm/webhooks",
            &admin,
            json!({"url": format!("http://127.0.0.1:{port}/hook"), "event_types": ["customer.created", "deal.won"], "secret": secret}),
        )
        .expect(201)
        .body;
    let hook_id = hook["id"].as_str().unwrap().to_string();
    app.post(
        "/api/v1/crm/webhooks",
        &admin,
        json!({"url": "ftp://x", "event_types": ["nope"]}),
    )
    .expect_problem(422, "validation_failed");

    let c = app
        .post(
            "/api/v1/crm/customers",
            &admin,
            json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    let deal = app
        .post(
            "/api/v1/crm/deals",
            &admin,
            json!({"customer_id": c, "title": "Beams", "value": "10.00"}),
        )
        .expect(201)
        .id();
    app.post(&format!("/api/v1/crm/deals/{deal}/win"), &admin, json!({}))
        .expect(200);

    // Attempts fail and are kept for later.
    let log = |app: &TestApp| {
        app.get(
            &format!("/api/v1/crm/webhooks/{hook_id}/deliveries"),
            &admin,
        )
        .expect(200)
        .body
    };
    wait_for("failed attempts", || {
        log(&app)["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["attempts"].as_i64() >= Some(1))
    });
    let pending = log(&app);
    assert_eq!(
        pending["items"].as_array().unwrap().len(),
        2,
        "deal.created is not subscribed: {pending}"
    );
    assert!(pending["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["status"] == "pending" && d["last_error"].is_string()));
    // The log pages, newest first: one delivery a page gives the same two, each once.
    let first = app
        .get(
            &format!("/api/v1/crm/webhooks/{hook_id}/deliveries?limit=1"),
            &admin,
        )
        .expect(200)
        .body;
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a second page")
        .to_string();
    let second_page = app
        .get(
            &format!("/api/v1/crm/webhooks/{hook_id}/deliveries?limit=1&cursor={cursor}"),
            &admin,
        )
        .expect(200)
        .body;
    assert!(second_page["next_cursor"].is_null(), "{second_page}");
    let paged: Vec<&Value> = [&first, &second_page]
        .iter()
        .map(|p| &p["items"][0])
        .collect();
    let events = |v: &[&Value]| -> Vec<String> {
        v.iter()
            .map(|d| d["event_id"].as_str().unwrap().to_string())
            .collect()
    };
    let whole: Vec<&Value> = pending["items"].as_array().unwrap().iter().collect();
    assert_eq!(events(&paged), events(&whole));
    assert_eq!(
        whole[0]["event_type"], "deal.won",
        "newest first: {pending}"
    );

    // A second server starts on the same database (a restart, a second instance); both
    // dispatch. Then the receiver comes up.
    let second = app.another_on_same_database();
    let got = receiver(TcpListener::bind(("127.0.0.1", port)).expect("the port is still free"));
    wait_for("both events", || got.lock().unwrap().len() >= 2);
    std::thread::sleep(Duration::from_millis(1500));
    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "each event once: {got:?}");
    let mut ids: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 2);
    let mut types = Vec::new();
    for (id, signature, body) in &got {
        assert_eq!(
            signature,
            &erp_crm::webhook::service::signature(secret, body),
            "signed with the secret"
        );
        let event: Value = serde_json::from_str(body).unwrap();
        assert_eq!(event["id"].as_str(), Some(id.as_str()));
        types.push(event["type"].as_str().unwrap().to_string());
    }
    types.sort();
    assert_eq!(types, vec!["customer.created", "deal.won"]);
    let delivered = log(&second);
    assert!(
        delivered["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] == "delivered"),
        "{delivered}"
    );
}

#[test]
fn a_task_falling_due_is_announced_once() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = receiver(listener);
    app.post(
        "/api/v1/crm/webhooks",
        &admin,
        json!({"url": format!("http://127.0.0.1:{port}/"), "event_types": ["task.due"]}),
    )
    .expect(201);
    let due = (chrono::Utc::now() + chrono::Duration::seconds(1)).to_rfc3339();
    let task = app
        .post(
            "/api/v1/crm/tasks",
            &admin,
            json!({"title": "Call Nord", "due_at": due}),
        )
        .expect(201)
        .id();
    wait_for("the reminder", || !got.lock().unwrap().is_empty());
    std::thread::sleep(Duration::from_millis(1000));
    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let event: Value = serde_json::from_str(&got[0].2).unwrap();
    assert_eq!(event["type"], "task.due");
    assert_eq!(event["data"]["id"], task);
}
