//! Work centers staffed by employees: CRP's available hours follow the staff's calendars,
//! their branch's holidays and their approved leave; a week of leave lowers that week.

use erp_tests::TestApp;
use serde_json::{json, Value};

#[test]
fn approved_leave_of_a_work_centers_staff_lowers_its_capacity() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let branch = app.get("/api/v1/org/branches", &admin).expect(200).body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        "/api/v1/hr/calendars",
        &admin,
        json!({"code": "OFFICE", "name": "Office week", "hours": {"mon": "8", "tue": "8", "wed": "8", "thu": "8", "fri": "8", "sat": "0", "sun": "0"}}),
    )
    .expect(201);
    let dept = app
        .post(
            "/api/v1/hr/departments",
            &admin,
            json!({"code": "ASSY", "name": "Assembly", "branch_id": branch}),
        )
        .expect(201)
        .id();
    let hire = |first: &str| {
        app.post(
            "/api/v1/hr/employees",
            &admin,
            json!({"person": {"kind": "person", "first_name": first, "last_name": "Fitter"}, "department_id": dept, "hired_on": "2026-01-01"}),
        )
        .expect(201)
        .id()
    };
    let (ann, bob) = (hire("Ann"), hire("Bob"));
    let wc = app
        .post(
            "/api/v1/mrp/work-centers",
            &admin,
            json!({"code": "ASSY", "name": "Assembly", "hours_per_day": "8", "units": 3, "cost_per_hour": "30"}),
        )
        .expect(201)
        .id();
    let capacity = || -> Vec<String> {
        let r: Value = app
            .get(
                &format!("/api/v1/mrp/capacity?work_center_id={wc}&start_date=2027-01-04&bucket=week&buckets=3"),
                &admin,
            )
            .expect(200)
            .body;
        r["work_centers"][0]["buckets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["capacity_hours"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        capacity(),
        ["120", "120", "120"],
        "3 units of 8 hours, 5 days"
    );

    // Staffed by Ann and Bob: 2 people of 40 hours a week.
    let staff = app
        .send(
            "PUT",
            &format!("/api/v1/mrp/work-centers/{wc}/staff"),
            Some(&admin),
            Some(&json!({"employee_ids": [ann, bob, ann]})),
            &Default::default(),
        )
        .expect(200)
        .body;
    assert_eq!(staff["items"].as_array().unwrap().len(), 2);
    let read = app
        .get(&format!("/api/v1/mrp/work-centers/{wc}/staff"), &admin)
        .expect(200)
        .body;
    assert_eq!(read["items"], staff["items"], "named once each");
    assert_eq!(capacity(), ["80", "80", "80"]);
    // Bob takes the second week off; a holiday on the Friday of the third.
    let kind = app
        .post(
            "/api/v1/hr/leave-types",
            &admin,
            json!({"code": "ANNUAL", "name": "Annual", "days_per_year": "0", "allow_negative": true}),
        )
        .expect(201)
        .id();
    let leave = app
        .post(
            "/api/v1/hr/leave-requests",
            &admin,
            json!({"employee_id": bob, "leave_type_id": kind, "starts_on": "2027-01-11", "ends_on": "2027-01-15"}),
        )
        .expect(201)
        .id();
    assert_eq!(
        capacity(),
        ["80", "80", "80"],
        "leave not yet approved counts nothing"
    );
    app.post(
        &format!("/api/v1/hr/leave-requests/{leave}/approve"),
        &admin,
        json!({}),
    )
    .expect(200);
    app.post(
        "/api/v1/hr/holidays",
        &admin,
        json!({"branch_id": branch, "day": "2027-01-22", "name": "Founders' day"}),
    )
    .expect(201);
    assert_eq!(capacity(), ["80", "40", "64"]);
    // Someone who is not an employee cannot staff it; nothing changes.
    let r = app
        .send(
            "PUT",
            &format!("/api/v1/mrp/work-centers/{wc}/staff"),
            Some(&admin),
            Some(&json!({"employee_ids": [ann, wc]})),
            &Default::default(),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "employee_ids[1]");
    assert_eq!(capacity(), ["80", "40", "64"]);
}
