//! The charts behind the dashboard: each `*.svg` route draws its JSON report, with the same
//! filters and rights, and writes every figure as text.

use erp_tests::builders::{crm_manager as manager, item, receive, Stockroom, UserBuilder};
use erp_tests::{Resp, TestApp};
use serde_json::json;

#[track_caller]
fn svg(r: Resp) -> String {
    let r = r.expect(200);
    assert_eq!(r.header("content-type"), Some("image/svg+xml"));
    assert!(r.text.starts_with("<svg ") && r.text.contains("role=\"img\""));
    r.text
}

#[test]
fn target_charts_show_each_manager_to_themselves_and_the_team_to_its_lead() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = manager(&app, &admin, "ann");
    let bob = manager(&app, &admin, "bob");
    app.post(
        "/api/v1/crm/teams",
        &admin,
        json!({"name": "North", "lead_id": ann.id, "member_ids": [bob.id]}),
    )
    .expect(201);
    let target = |user: &str, metric: &str, target: &str| {
        app.send(
            "PUT",
            "/api/v1/crm/targets",
            Some(&admin),
            Some(&json!({"user_id": user, "metric": metric, "period_start": "2026-01-01", "period_end": "2026-12-31", "target": target})),
            &Default::default(),
        )
        .expect(200)
    };
    target(&ann.id, "deals_closed", "10");
    target(&bob.id, "revenue", "1000.00");
    // Bob wins a deal of 500 today.
    let c = app
        .post(
            "/api/v1/crm/customers",
            &bob.token,
            json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    let deal = app
        .post(
            "/api/v1/crm/deals",
            &bob.token,
            json!({"customer_id": c, "title": "Beams", "value": "500.00"}),
        )
        .expect(201)
        .id();
    app.post(
        &format!("/api/v1/crm/deals/{deal}/win"),
        &bob.token,
        json!({}),
    )
    .expect(200);
    let on = "date=2026-06-30";

    let mine = svg(app.get(
        &format!("/api/v1/crm/targets/progress.svg?{on}"),
        &ann.token,
    ));
    assert!(mine.contains(">0 of 10, 10 to go</text>"), "{mine}");
    assert!(!mine.contains("revenue"), "only Ann's own: {mine}");
    let team = svg(app.get(
        &format!("/api/v1/crm/targets/progress.svg?team=true&{on}"),
        &ann.token,
    ));
    assert!(
        team.contains("ann: deals closed") && team.contains("bob: revenue"),
        "{team}"
    );
    assert!(
        team.contains(">500.00 of 1000.00, 500.00 to go</text>"),
        "{team}"
    );
    let json = app
        .get(
            &format!("/api/v1/crm/targets/progress?team=true&{on}"),
            &ann.token,
        )
        .expect(200)
        .body;
    let users: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["username"].as_str().unwrap())
        .collect();
    assert_eq!(users.len(), 2, "the report the chart draws: {json}");
    assert!(users.contains(&"ann") && users.contains(&"bob"));
    // Bob leads nobody: his team view is his own; Ann's targets are not his to see.
    let his = svg(app.get(
        &format!("/api/v1/crm/targets/progress.svg?team=true&{on}"),
        &bob.token,
    ));
    assert!(
        his.contains("bob: revenue") && !his.contains("ann:"),
        "{his}"
    );
    app.get(
        &format!("/api/v1/crm/targets/progress.svg?user_id={}", ann.id),
        &bob.token,
    )
    .expect_problem(403, "forbidden");
    app.get(
        &format!("/api/v1/crm/targets/progress?team=true&user_id={}", bob.id),
        &ann.token,
    )
    .expect_problem(422, "validation_failed");

    // Revenue against target: Bob's 1,000 for the year spread over its days.
    let revenue = app
        .get(
            &format!(
                "/api/v1/crm/reports/revenue?from=2026-01-01&to=2027-01-01&owner_id={}",
                bob.id
            ),
            &admin,
        )
        .expect(200)
        .body;
    let lines = revenue["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 12, "every month with a target: {revenue}");
    assert_eq!(lines[0]["target"], "84.93", "31 of 365 days");
    assert_eq!(lines[1]["target"], "76.71", "28 of 365 days");
    assert_eq!(lines[11]["revenue"], "500.00");
    let chart = svg(app.get(
        &format!(
            "/api/v1/crm/reports/revenue.svg?from=2026-01-01&to=2027-01-01&owner_id={}",
            bob.id
        ),
        &admin,
    ));
    assert!(
        chart.contains(">500.00 of 84.93, 1 deals</text>"),
        "{chart}"
    );
    assert!(chart.contains(">0.00 of 76.71, 0 deals</text>"), "{chart}");
    let funnel = svg(app.get("/api/v1/crm/reports/pipeline.svg", &bob.token));
    assert!(funnel.contains(">1 won, 500.00; 0 lost</text>"), "{funnel}");
}

#[test]
fn stock_value_and_aging_charts_draw_their_reports_for_those_who_may_read_them() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let main = Stockroom::create(&app, &admin, "MAIN");
    let side = Stockroom::create(&app, &admin, "SIDE");
    let big = item(&app, &admin, "BIG", json!({}));
    let small = item(&app, &admin, "SMALL", json!({}));
    receive(&app, &admin, &big, &main.stock, "100", "9.00");
    receive(&app, &admin, &small, &side.stock, "10", "1.00");
    let chart = svg(app.get("/api/v1/inventory/valuation.svg", &admin));
    assert!(
        chart.contains(">Warehouse Warehouse MAIN</text>"),
        "{chart}"
    );
    assert!(
        chart.contains(">900.00</text>") && chart.contains(">10.00</text>"),
        "{chart}"
    );
    assert!(
        chart.contains(">1 items, 900.00</text>"),
        "BIG alone is class A: {chart}"
    );
    let only_side = svg(app.get(
        &format!(
            "/api/v1/inventory/valuation.svg?warehouse_id={}",
            side.warehouse
        ),
        &admin,
    ));
    assert!(
        !only_side.contains("MAIN"),
        "the report's filter: {only_side}"
    );

    let aging = svg(app.get("/api/v1/finance/reports/aging.svg?side=receivable", &admin));
    assert!(aging.contains(">not yet due</text>"), "{aging}");
    app.get("/api/v1/finance/reports/aging.svg", &admin)
        .expect_problem(422, "validation_failed");
    let clerk = UserBuilder::new("clerk")
        .permissions(&["inventory.item.read"])
        .create(&app, &admin);
    for path in [
        "/api/v1/inventory/valuation.svg",
        "/api/v1/finance/reports/aging.svg?side=receivable",
        "/api/v1/finance/reports/cash-forecast.svg",
        "/api/v1/crm/reports/pipeline.svg",
    ] {
        app.get(path, &clerk.token).expect_problem(403, "forbidden");
    }
}
