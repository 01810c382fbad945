//! Timesheets: hours booked against a project, a customer or a deal (they show on the
//! customer's timeline) and a production order's operation (they become its actual labour in
//! the plan-against-actual report); a day holds 24 hours; who books whose.

use erp_tests::builders::{item, put, Stockroom, UserBuilder};
use erp_tests::TestApp;
use serde_json::json;

#[test]
fn hours_land_on_projects_customers_deals_and_operations() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let branch = app.get("/api/v1/org/branches", &admin).expect(200).body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let dept = app
        .post(
            "/api/v1/hr/departments",
            &admin,
            json!({"code": "WORKS", "name": "Works", "branch_id": branch}),
        )
        .expect(201)
        .id();
    let tom_user = UserBuilder::new("tom")
        .permissions(&["hr.self"])
        .create(&app, &admin);
    let tom = app
        .post(
            "/api/v1/hr/employees",
            &admin,
            json!({"person": {"kind": "person", "first_name": "Tom", "last_name": "Hands"}, "department_id": dept, "hired_on": "2026-01-01", "user_id": tom_user.id}),
        )
        .expect(201)
        .id();
    let customer = app
        .post(
            "/api/v1/crm/customers",
            &admin,
            json!({"partner": {"kind": "organisation", "name": "Acme Metals"}, "source": "fair"}),
        )
        .expect(201)
        .id();
    let deal = app
        .post(
            "/api/v1/crm/deals",
            &admin,
            json!({"customer_id": customer, "title": "Beams 2027", "value": "12000.00"}),
        )
        .expect(201)
        .id();
    // A production order of A through ASSY (30 an hour).
    let room = Stockroom::create(&app, &admin, "SHOP");
    let a = item(&app, &admin, "A", json!({"procurement": "make"}));
    let b = item(&app, &admin, "B", json!({"standard_cost": "1.00"}));
    app.post(
        "/api/v1/mrp/boms",
        &admin,
        json!({"item_id": a, "activate": true, "lines": [{"component_id": b, "quantity": "1"}]}),
    )
    .expect(201);
    let wc = app
        .post("/api/v1/mrp/work-centers", &admin, json!({"code": "ASSY", "name": "Assembly", "hours_per_day": "8", "cost_per_hour": "30"}))
        .expect(201)
        .id();
    put(
        &app,
        &format!("/api/v1/mrp/items/{a}/routing"),
        &admin,
        json!({"operations": [{"seq": 10, "name": "assemble", "work_center_id": wc, "setup_hours": "1", "run_hours": "0.1"}]}),
    )
    .expect(200);
    let order = app
        .post(
            "/api/v1/mrp/production-orders",
            &admin,
            json!({"item_id": a, "quantity": "10", "location_id": room.stock, "start_date": "2026-11-02", "due_date": "2026-11-06"}),
        )
        .expect(201)
        .id();

    let book =
        |token: &str, body: serde_json::Value| app.post("/api/v1/hr/timesheets", token, body);
    book(
        &tom_user.token,
        json!({"work_date": "2026-11-02", "hours": "2", "target": "project", "project": "ROOF-26"}),
    )
    .expect(201);
    book(&tom_user.token, json!({"work_date": "2026-11-02", "hours": "1.5", "target": "customer", "customer_id": customer, "note": "site visit"}))
        .expect(201);
    book(
        &tom_user.token,
        json!({"work_date": "2026-11-02", "hours": "3", "target": "deal", "deal_id": deal}),
    )
    .expect(201);
    let op = book(&tom_user.token, json!({"work_date": "2026-11-03", "hours": "2.5", "target": "operation", "production_order_id": order, "operation_seq": 10}))
        .expect(201)
        .body;
    assert_eq!(op["production_order_id"], order.as_str());

    // Refused by field, nothing written.
    for (body, field) in [
        (
            json!({"work_date": "2026-11-02", "hours": "18", "target": "project", "project": "ROOF-26"}),
            "hours",
        ),
        (
            json!({"work_date": "2026-11-02", "hours": "1", "target": "deal"}),
            "deal_id",
        ),
        (
            json!({"work_date": "2026-11-02", "hours": "1", "target": "deal", "deal_id": order}),
            "deal_id",
        ),
        (
            json!({"work_date": "2026-11-02", "hours": "1", "target": "operation", "production_order_id": order, "operation_seq": 99}),
            "operation_seq",
        ),
        (
            json!({"work_date": "2025-12-31", "hours": "1", "target": "project", "project": "ROOF-26"}),
            "work_date",
        ),
        (
            json!({"work_date": "2099-01-05", "hours": "1", "target": "project", "project": "ROOF-26"}),
            "work_date",
        ),
    ] {
        let r = book(&tom_user.token, body).expect_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["field"], field, "{}", r.text);
    }
    // Tom may not book for someone else.
    let other = UserBuilder::new("other")
        .permissions(&["hr.self"])
        .create(&app, &admin);
    book(&other.token, json!({"employee_id": tom, "work_date": "2026-11-02", "hours": "1", "target": "project", "project": "X"}))
        .expect_problem(403, "forbidden");

    let list = app
        .get(
            "/api/v1/hr/timesheets?from=2026-11-01&to=2026-11-30",
            &tom_user.token,
        )
        .expect(200)
        .body;
    assert_eq!(list["items"].as_array().unwrap().len(), 4);
    // The operation's actual labour: 2.5 hours at 30.
    let report = app
        .get(
            &format!("/api/v1/mrp/production-orders/{order}/report"),
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(
        (
            report["operations"][0]["actual_hours"].as_str(),
            report["operations"][0]["actual_cost"].as_str()
        ),
        (Some("2.5"), Some("75.00"))
    );
    // The customer's timeline shows the customer's and the deal's hours.
    let timeline = app
        .get(
            &format!("/api/v1/crm/customers/{customer}/timeline"),
            &admin,
        )
        .expect(200)
        .body;
    let hours: Vec<&str> = timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "timesheet")
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(hours.len(), 2, "{hours:?}");
    assert!(
        hours
            .iter()
            .any(|h| h.starts_with("1.5 hours by Tom Hands: site visit")),
        "{hours:?}"
    );
    assert!(
        hours
            .iter()
            .any(|h| h.starts_with(&format!("3 hours by Tom Hands on deal {deal}"))),
        "{hours:?}"
    );
}
