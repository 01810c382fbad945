//! Targets against results, and complaints and service tickets with their SLA.

use erp_tests::builders::{TestUser, UserBuilder};
use erp_tests::TestApp;
use serde_json::json;

fn manager(app: &TestApp, admin: &str, name: &str) -> TestUser {
    UserBuilder::new(name)
        .permissions(&[
            "crm.customer.read",
            "crm.customer.write",
            "crm.deal.write",
            "crm.task.write",
        ])
        .create(app, admin)
}

#[test]
fn progress_on_targets_is_computed_from_what_was_recorded() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let today = chrono::Utc::now().date_naive();
    let (start, end) = (
        today - chrono::Duration::days(10),
        today + chrono::Duration::days(20),
    );
    for (metric, target) in [
        ("deals_closed", "10"),
        ("revenue", "5000.00"),
        ("meetings", "4"),
    ] {
        app.send(
            "PUT",
            "/api/v1/crm/targets",
            Some(&admin),
            Some(&json!({"user_id": ann.id, "metric": metric, "period_start": start, "period_end": end, "target": target})),
            &Default::default(),
        )
        .expect(200);
    }
    let c = app
        .post(
            "/api/v1/crm/customers",
            &ann.token,
            json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    for value in ["1000.00", "1500.00"] {
        let d = app
            .post(
                "/api/v1/crm/deals",
                &ann.token,
                json!({"customer_id": c, "title": "d", "value": value}),
            )
            .expect(201)
            .id();
        app.post(&format!("/api/v1/crm/deals/{d}/win"), &ann.token, json!({}))
            .expect(200);
    }
    let p = app
        .get("/api/v1/crm/targets/progress", &ann.token)
        .expect(200)
        .body;
    let line = |m: &str| {
        p["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["metric"] == m)
            .unwrap()
            .clone()
    };
    let deals = line("deals_closed");
    assert_eq!(
        (
            deals["target"].as_str(),
            deals["actual"].as_str(),
            deals["remaining"].as_str()
        ),
        (Some("10.00"), Some("2.00"), Some("8.00"))
    );
    assert_eq!(deals["percent"], "20");
    assert_eq!(line("revenue")["actual"], "2500.00");
    assert_eq!(line("meetings")["actual"], "0.00");
    // Outside the period there is no target; other managers' targets need crm.all.
    let later = (end + chrono::Duration::days(1)).to_string();
    assert!(app
        .get(
            &format!("/api/v1/crm/targets/progress?date={later}"),
            &ann.token
        )
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .is_empty());
    let bob = manager(&app, &admin, "bob");
    app.get(
        &format!("/api/v1/crm/targets/progress?user_id={}", ann.id),
        &bob.token,
    )
    .expect_problem(403, "forbidden");
    let bad = json!({"user_id": ann.id, "metric": "deals_closed", "period_start": end, "period_end": start, "target": "2.5"});
    app.send(
        "PUT",
        "/api/v1/crm/targets",
        Some(&admin),
        Some(&bad),
        &Default::default(),
    )
    .expect_problem(422, "validation_failed");
    app.send(
        "PUT",
        "/api/v1/crm/targets",
        Some(&ann.token),
        Some(&bad),
        &Default::default(),
    )
    .expect_problem(403, "forbidden");
}

#[test]
fn complaints_and_service_tickets_have_an_owner_an_sla_and_a_resolution() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let c = app
        .post(
            "/api/v1/crm/customers",
            &ann.token,
            json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    app.post(
        "/api/v1/crm/tickets",
        &ann.token,
        json!({"customer_id": c, "kind": "complaint", "subject": "Broken beams"}),
    )
    .expect_problem(422, "validation_failed");
    let late = app
        .post(
            "/api/v1/crm/tickets",
            &ann.token,
            json!({"customer_id": c, "kind": "complaint", "subject": "Late", "cause": "Late delivery", "sla_due_at": "2020-01-01T00:00:00Z"}),
        )
        .expect(201)
        .body;
    assert_eq!(late["sla_breached"], true);
    assert_eq!(late["owner_id"], ann.id);
    let t = app
        .post(
            "/api/v1/crm/tickets",
            &ann.token,
            json!({"customer_id": c, "kind": "service", "subject": "Install", "priority": "high"}),
        )
        .expect(201)
        .body;
    let created = chrono::DateTime::parse_from_rfc3339(t["created_at"].as_str().unwrap()).unwrap();
    let due = chrono::DateTime::parse_from_rfc3339(t["sla_due_at"].as_str().unwrap()).unwrap();
    assert_eq!((due - created).num_hours(), 8, "high priority: 8 hours");
    let breached = app
        .get("/api/v1/crm/tickets?breached=true", &ann.token)
        .expect(200)
        .body;
    assert_eq!(breached["items"].as_array().unwrap().len(), 1);
    let id = t["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/crm/tickets/{id}/resolve"),
        &ann.token,
        json!({"resolution": " "}),
    )
    .expect_problem(422, "validation_failed");
    let done = app
        .post(
            &format!("/api/v1/crm/tickets/{id}/resolve"),
            &ann.token,
            json!({"resolution": "installed"}),
        )
        .expect(200)
        .body;
    assert_eq!(
        (done["status"].as_str(), done["sla_breached"].as_bool()),
        (Some("resolved"), Some(false))
    );
    app.post(
        &format!("/api/v1/crm/tickets/{id}/resolve"),
        &ann.token,
        json!({"resolution": "again"}),
    )
    .expect_problem(409, "invalid_state");
    let report = app
        .get("/api/v1/crm/reports/complaints", &ann.token)
        .expect(200)
        .body;
    assert_eq!(report["lines"][0]["cause"], "late delivery");
    assert_eq!(report["lines"][0]["count"], 1);
    // The report's dates bound the day a complaint was opened: `to` is exclusive.
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today.succ_opt().unwrap();
    for (range, lines) in [
        (format!("from={today}&to={tomorrow}"), 1),
        (format!("from={tomorrow}"), 0),
        (format!("to={today}"), 0),
    ] {
        let r = app
            .get(
                &format!("/api/v1/crm/reports/complaints?{range}"),
                &ann.token,
            )
            .expect(200)
            .body;
        assert_eq!(r["lines"].as_array().unwrap().len(), lines, "{range}");
    }
    // The status filter: the resolved ticket alone; a status tickets do not have is refused.
    let resolved = app
        .get("/api/v1/crm/tickets?status=resolved", &ann.token)
        .expect(200)
        .body;
    let ids: Vec<&str> = resolved["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id]);
    let r = app
        .get("/api/v1/crm/tickets?status=closed", &ann.token)
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["status"]);
    let timeline = app
        .get(&format!("/api/v1/crm/customers/{c}/timeline"), &ann.token)
        .expect(200)
        .body;
    let kinds: Vec<&str> = timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"complaint_opened")
            && kinds.contains(&"service_opened")
            && kinds.contains(&"ticket_resolved"),
        "{kinds:?}"
    );
    let bob = manager(&app, &admin, "bob");
    app.post(
        &format!(
            "/api/v1/crm/tickets/{}/resolve",
            late["id"].as_str().unwrap()
        ),
        &bob.token,
        json!({"resolution": "x"}),
    )
    .expect_problem(404, "not_found");
    assert!(
        app.get("/api/v1/crm/tickets", &bob.token).expect(200).body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}
