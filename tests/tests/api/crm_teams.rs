//! Teams: a team lead reaches the members' customers, deals, tasks and reports, and nobody
//! else's; members do not see each other's; leads can be assigned from a team; the
//! managers report filters by team and counts data quality, planned meetings included.

use erp_tests::builders::{crm_manager, put, TestUser, UserBuilder};
use erp_tests::TestApp;
use serde_json::{json, Value};

/// Lena leads the North team of Ann and Bob; Carl is in no team.
struct North {
    lena: TestUser,
    ann: TestUser,
    bob: TestUser,
    carl: TestUser,
    team: Value,
}

fn north(app: &TestApp, admin: &str) -> North {
    let [lena, ann, bob, carl] = ["lena", "ann", "bob", "carl"].map(|n| crm_manager(app, admin, n));
    let team = app
        .post(
            "/api/v1/crm/teams",
            admin,
            json!({"name": "North", "lead_id": lena.id, "member_ids": [ann.id, bob.id]}),
        )
        .expect(201)
        .body;
    North {
        lena,
        ann,
        bob,
        carl,
        team,
    }
}

fn customer(app: &TestApp, token: &str, name: &str) -> String {
    app.post(
        "/api/v1/crm/customers",
        token,
        json!({"partner": {"kind": "organisation", "name": name}}),
    )
    .expect(201)
    .id()
}

fn names(v: &Value) -> Vec<String> {
    let mut n: Vec<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["partner"]["name"].as_str().unwrap().to_string())
        .collect();
    n.sort();
    n
}

#[test]
fn a_team_lead_works_on_the_members_customers_and_no_one_elses() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let North {
        lena,
        ann,
        bob,
        carl,
        team,
    } = north(&app, &admin);
    assert_eq!(team["member_ids"].as_array().unwrap().len(), 2);
    let a = customer(&app, &ann.token, "Ann's customer");
    customer(&app, &bob.token, "Bob's customer");
    let c = customer(&app, &carl.token, "Carl's customer");
    // The lead lists and opens the members' customers, not Carl's.
    assert_eq!(
        names(
            &app.get("/api/v1/crm/customers", &lena.token)
                .expect(200)
                .body
        ),
        ["Ann's customer", "Bob's customer"]
    );
    app.get(&format!("/api/v1/crm/customers/{a}"), &lena.token)
        .expect(200);
    app.get(&format!("/api/v1/crm/customers/{c}"), &lena.token)
        .expect_problem(404, "not_found");
    // Members see only their own.
    assert_eq!(
        names(
            &app.get("/api/v1/crm/customers", &ann.token)
                .expect(200)
                .body
        ),
        ["Ann's customer"]
    );
    // The lead works on a member's customer: a deal, a task for the member.
    let deal = app
        .post(
            "/api/v1/crm/deals",
            &lena.token,
            json!({"customer_id": a, "title": "Helped by the lead", "value": "100.00"}),
        )
        .expect(201)
        .id();
    app.post(
        &format!("/api/v1/crm/deals/{deal}/win"),
        &ann.token,
        json!({}),
    )
    .expect(200);
    app.post(
        "/api/v1/crm/tasks",
        &lena.token,
        json!({"title": "Call them back", "due_at": "2030-01-01T00:00:00Z", "assignee_id": ann.id, "customer_id": a}),
    )
    .expect(201);
    app.post(
        "/api/v1/crm/tasks",
        &lena.token,
        json!({"title": "Not yours", "due_at": "2030-01-01T00:00:00Z", "assignee_id": carl.id}),
    )
    .expect_problem(403, "forbidden");
    app.get(
        &format!("/api/v1/crm/tasks?assignee_id={}", ann.id),
        &lena.token,
    )
    .expect(200);
    app.get(
        &format!("/api/v1/crm/tasks?assignee_id={}", carl.id),
        &lena.token,
    )
    .expect_problem(403, "forbidden");
    // The lead may move a customer within the team, not to Carl; a member may not at all.
    let version = || {
        app.get(&format!("/api/v1/crm/customers/{a}"), &lena.token)
            .expect(200)
            .body["version"]
            .as_i64()
            .unwrap()
    };
    app.patch(
        &format!("/api/v1/crm/customers/{a}"),
        &lena.token,
        version(),
        json!({"owner_id": bob.id}),
    )
    .expect(200);
    let v = version();
    app.patch(
        &format!("/api/v1/crm/customers/{a}"),
        &lena.token,
        v,
        json!({"owner_id": carl.id}),
    )
    .expect_problem(403, "forbidden");
    // The lead's workload view and targets cover the team, not Carl, not the lead's own target.
    let load = app
        .get("/api/v1/crm/workload", &lena.token)
        .expect(200)
        .body;
    let mut seen: Vec<&str> = load["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["user_id"].as_str().unwrap())
        .collect();
    seen.sort();
    let team_ids = [ann.id.as_str(), bob.id.as_str()];
    assert!(
        seen.iter().all(|u| team_ids.contains(u) || *u == lena.id),
        "{seen:?}"
    );
    assert!(seen.contains(&ann.id.as_str()));
    let target = |user: &str| {
        put(
            &app,
            "/api/v1/crm/targets",
            &lena.token,
            json!({"user_id": user, "metric": "deals_closed", "period_start": "2026-01-01", "period_end": "2026-12-31", "target": "5"}),
        )
    };
    target(&ann.id).expect(200);
    target(&carl.id).expect_problem(403, "forbidden");
    target(&lena.id).expect_problem(403, "forbidden");
    app.get(
        &format!(
            "/api/v1/crm/targets/progress?user_id={}&date=2026-06-01",
            ann.id
        ),
        &lena.token,
    )
    .expect(200);
    app.get(
        &format!("/api/v1/crm/targets/progress?user_id={}", carl.id),
        &lena.token,
    )
    .expect_problem(403, "forbidden");
    // Leaving the team ends the reach.
    put(
        &app,
        &format!("/api/v1/crm/teams/{}", team["id"].as_str().unwrap()),
        &admin,
        json!({"name": "North", "lead_id": lena.id, "member_ids": [ann.id]}),
    )
    .expect(200);
    app.get(&format!("/api/v1/crm/customers/{a}"), &lena.token)
        .expect_problem(404, "not_found");
    // Only crm.configure makes teams; names are unique; members must exist.
    app.post(
        "/api/v1/crm/teams",
        &lena.token,
        json!({"name": "Mine", "lead_id": lena.id, "member_ids": []}),
    )
    .expect_problem(403, "forbidden");
    app.post(
        "/api/v1/crm/teams",
        &admin,
        json!({"name": "North", "lead_id": lena.id, "member_ids": []}),
    )
    .expect_problem(409, "duplicate_name");
    let teams = app.get("/api/v1/crm/teams", &admin).expect(200).body;
    assert_eq!(teams["items"].as_array().unwrap().len(), 1, "{teams}");
    assert_eq!(
        (
            teams["items"][0]["name"].as_str(),
            teams["items"][0]["lead_id"].as_str()
        ),
        (Some("North"), Some(lena.id.as_str()))
    );
    app.post(
        "/api/v1/crm/teams",
        &admin,
        json!({"name": "South", "lead_id": lena.id, "member_ids": [uuid::Uuid::now_v7()]}),
    )
    .expect_problem(422, "validation_failed");
}

#[test]
fn leads_go_round_the_team_and_reports_filter_by_team_with_data_quality() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let North {
        lena,
        ann,
        bob,
        carl,
        team,
    } = north(&app, &admin);
    let team = team["id"].as_str().unwrap().to_string();
    put(
        &app,
        "/api/v1/crm/assignment",
        &admin,
        json!({"strategy": "round_robin", "members": [carl.id], "team_id": team}),
    )
    .expect_problem(422, "validation_failed");
    put(
        &app,
        "/api/v1/crm/assignment",
        &admin,
        json!({"strategy": "round_robin", "members": [], "team_id": team}),
    )
    .expect(200);
    let key = app
        .post(
            "/api/v1/iam/api-keys",
            &admin,
            json!({"name": "web form", "scopes": ["crm.inbound"]}),
        )
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let owners: Vec<Value> = ["a@x.example", "b@x.example", "c@x.example"]
        .iter()
        .map(|e| {
            app.post(
                "/api/v1/crm/inbound/leads",
                &key,
                json!({"name": "Someone", "email": e}),
            )
            .expect(201)
            .body["owner_id"]
                .clone()
        })
        .collect();
    assert_eq!(owners, vec![json!(ann.id), json!(bob.id), json!(ann.id)]);
    // A meeting planned ahead may wait for its result; once past, it counts as missing one.
    let c = customer(&app, &carl.token, "Carl's customer");
    let person = app
        .post(
            &format!("/api/v1/crm/customers/{c}/contacts"),
            &carl.token,
            json!({"name": "Eve"}),
        )
        .expect(201)
        .id();
    let meet = |at: &str| {
        app.post(
            &format!("/api/v1/crm/customers/{c}/interactions"),
            &carl.token,
            json!({"kind": "meeting", "occurred_at": at, "contact_id": person, "topic": "Prices"}),
        )
    };
    meet("2000-01-01T10:00:00Z").expect_problem(422, "validation_failed");
    let later = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let planned = meet(&later).expect(201).id();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let report = |token: &str, query: &str| -> Value {
        app.get(&format!("/api/v1/crm/reports/managers{query}"), token)
            .expect(200)
            .body
    };
    let line = |r: &Value, id: &str| -> Value {
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["user_id"] == id)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let all = report(&admin, "");
    assert_eq!(line(&all, &carl.id)["meetings_without_result"], 1);
    // Ann's two web-form leads came with an e-mail only, and without contact people.
    assert_eq!(line(&all, &ann.id)["customers_without_phone"], 2);
    assert_eq!(line(&all, &ann.id)["customers_without_email"], 0);
    assert_eq!(line(&all, &ann.id)["customers_without_contacts"], 2);
    app.post(
        &format!("/api/v1/crm/interactions/{planned}/result"),
        &carl.token,
        json!({"result": "They want a discount"}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/crm/interactions/{planned}/result"),
        &carl.token,
        json!({"result": "again"}),
    )
    .expect_problem(409, "result_not_expected");
    assert_eq!(
        line(&report(&admin, ""), &carl.id)["meetings_without_result"],
        0
    );
    // By team: only the members; the lead without crm.all sees the team at most.
    let by_team = report(&admin, &format!("?team_id={team}"));
    let mut users: Vec<&str> = by_team["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["user_id"].as_str().unwrap())
        .collect();
    users.sort();
    let mut members = vec![ann.id.as_str(), bob.id.as_str()];
    members.sort();
    assert_eq!(users, members);
    let leads = report(&lena.token, "");
    assert!(line(&leads, &carl.id).is_null());
    assert!(!line(&leads, &ann.id).is_null());
    let carls = report(&carl.token, &format!("?team_id={team}"));
    assert!(carls["items"].as_array().unwrap().is_empty());
    app.get(
        &format!(
            "/api/v1/crm/reports/managers?team_id={}",
            uuid::Uuid::now_v7()
        ),
        &admin,
    )
    .expect_problem(404, "not_found");
}

#[test]
fn revenue_by_period_and_complaints_by_cause_filter_by_team() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let North {
        ann, carl, team, ..
    } = north(&app, &admin);
    let team = team["id"].as_str().unwrap().to_string();
    let win = |who: &TestUser, value: &str| {
        let c = customer(&app, &who.token, &format!("Customer {value}"));
        let d = app
            .post(
                "/api/v1/crm/deals",
                &who.token,
                json!({"customer_id": c, "title": "d", "value": value}),
            )
            .expect(201)
            .id();
        app.post(&format!("/api/v1/crm/deals/{d}/win"), &who.token, json!({}))
            .expect(200);
        app.post(
            "/api/v1/crm/tickets",
            &who.token,
            json!({"customer_id": c, "kind": "complaint", "subject": "late", "cause": format!("cause of {}", who.username)}),
        )
        .expect(201);
    };
    // Dora works in the Hamburg branch only.
    let hamburg = app
        .post(
            "/api/v1/org/branches",
            &admin,
            json!({"code": "HAM", "name": "Hamburg"}),
        )
        .expect(201)
        .id();
    let dora = UserBuilder::new("dora")
        .permissions(&[
            "crm.customer.read",
            "crm.customer.write",
            "crm.deal.write",
            "crm.task.write",
        ])
        .branches(&[&hamburg])
        .create(&app, &admin);
    win(&ann, "100.00");
    win(&ann, "250.50");
    win(&carl, "1000.00");
    win(&dora, "42.00");
    let today = chrono::Utc::now().date_naive();
    let revenue = |token: &str, query: &str| -> Value {
        app.get(&format!("/api/v1/crm/reports/revenue?{query}"), token)
            .expect(200)
            .body
    };
    let all = revenue(&admin, "");
    assert_eq!(all["total"], "1392.50");
    let by_branch = revenue(&admin, &format!("branch_id={hamburg}"));
    assert_eq!(by_branch["total"], "42.00");
    let managers = app
        .get(
            &format!("/api/v1/crm/reports/managers?branch_id={hamburg}"),
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(managers["items"].as_array().unwrap().len(), 1);
    assert_eq!(managers["items"][0]["user_id"], dora.id.as_str());
    let by_team = revenue(&admin, &format!("team_id={team}"));
    assert_eq!(by_team["total"], "350.50");
    assert_eq!(by_team["lines"][0]["deals_won"], 2);
    use chrono::Datelike;
    assert_eq!(
        by_team["lines"][0]["period_start"],
        today.with_day(1).unwrap().to_string()
    );
    let weekly = revenue(&admin, &format!("team_id={team}&interval=week"));
    let monday = today - chrono::Days::new(today.weekday().num_days_from_monday().into());
    assert_eq!(weekly["lines"][0]["period_start"], monday.to_string());
    assert_eq!(revenue(&carl.token, "")["total"], "1000.00");
    assert_eq!(
        revenue(&admin, &format!("from={}", today + chrono::Days::new(1)))["total"],
        "0.00"
    );
    app.get("/api/v1/crm/reports/revenue?interval=day", &admin)
        .expect_problem(422, "validation_failed");
    let complaints = app
        .get(
            &format!("/api/v1/crm/reports/complaints?team_id={team}"),
            &admin,
        )
        .expect(200)
        .body;
    let causes: Vec<&str> = complaints["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["cause"].as_str().unwrap())
        .collect();
    assert_eq!(causes, ["cause of ann"]);
    assert_eq!(complaints["lines"][0]["count"], 2);
}
