//! HR working time and leave: work calendars and public holidays (typed and from CSV), leave
//! counted in working days, balances earned month by month (pro rata for part time and a
//! mid-month start) with carry-over and its expiry, requests decided by the manager, and
//! the team's leave calendar. Concurrent requests never overdraw a balance.

use erp_tests::builders::{TestUser, UserBuilder};
use erp_tests::{Req, TestApp};
use serde_json::{json, Value};

struct Office {
    app: TestApp,
    admin: String,
    branch: String,
    branch_code: String,
    dept: String,
    annual: String,
    sick: String,
}

/// A Monday-to-Friday calendar (the default), Christmas Eve and Christmas Day off at the head
/// office, annual leave (24 days, 5 carried to the end of March) and sick leave (not
/// budgeted, may go negative).
fn office() -> Office {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let b = &app.get("/api/v1/org/branches", &admin).expect(200).body["items"][0];
    let (branch, branch_code) = (
        b["id"].as_str().unwrap().to_string(),
        b["code"].as_str().unwrap().to_string(),
    );
    let cal = app
        .post(
            "/api/v1/hr/calendars",
            &admin,
            json!({"code": "OFFICE", "name": "Office week", "hours": {"mon": "8", "tue": "8", "wed": "8", "thu": "8", "fri": "8", "sat": "0", "sun": "0"}}),
        )
        .expect(201)
        .body;
    assert_eq!(cal["is_default"], true, "the first calendar is the default");
    assert_eq!(cal["hours_per_week"], "40");
    for (day, name) in [
        ("2026-12-24", "Christmas Eve"),
        ("2026-12-25", "Christmas Day"),
    ] {
        app.post(
            "/api/v1/hr/holidays",
            &admin,
            json!({"branch_id": branch, "day": day, "name": name}),
        )
        .expect(201);
    }
    let dept = app
        .post(
            "/api/v1/hr/departments",
            &admin,
            json!({"code": "OPS", "name": "Operations", "branch_id": branch}),
        )
        .expect(201)
        .id();
    let kind = |body: Value| {
        app.post("/api/v1/hr/leave-types", &admin, body)
            .expect(201)
            .id()
    };
    let annual = kind(
        json!({"code": "ANNUAL", "name": "Annual leave", "days_per_year": "24", "carry_over_cap": "5", "carry_over_expires_month": 3}),
    );
    let sick = kind(
        json!({"code": "SICK", "name": "Sick leave", "days_per_year": "0", "allow_negative": true}),
    );
    Office {
        app,
        admin,
        branch,
        branch_code,
        dept,
        annual,
        sick,
    }
}

impl Office {
    /// Hires someone at `hours` a week from `from`, linked to the user; returns the id.
    fn hire(
        &self,
        first: &str,
        from: &str,
        hours: &str,
        user: Option<&TestUser>,
        manager: Option<&str>,
    ) -> String {
        self.app
            .post(
                "/api/v1/hr/employees",
                &self.admin,
                json!({
                    "person": {"kind": "person", "first_name": first, "last_name": "Test"},
                    "department_id": self.dept, "hired_on": from, "manager_id": manager,
                    "user_id": user.map(|u| u.id.clone()),
                    "contract": {"kind": "permanent", "starts_on": from, "hours_per_week": hours,
                                 "pay_basis": "monthly_salary", "pay_rate": "3000.00"},
                }),
            )
            .expect(201)
            .id()
    }

    fn balance(&self, token: &str, employee: &str, at: &str, code: &str) -> Value {
        let b = self
            .app
            .get(
                &format!("/api/v1/hr/employees/{employee}/leave-balances?at={at}"),
                token,
            )
            .expect(200)
            .body;
        b["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["leave_type"] == code)
            .cloned()
            .unwrap()
    }
}

fn self_service(app: &TestApp, admin: &str, name: &str) -> TestUser {
    UserBuilder::new(name)
        .permissions(&["hr.self"])
        .create(app, admin)
}

#[test]
fn calendars_and_holidays_are_set_typed_and_from_csv() {
    let o = office();
    let app = &o.app;
    let part = app
        .post(
            "/api/v1/hr/calendars",
            &o.admin,
            json!({"code": "FOUR", "name": "Four days", "hours": {"mon": "7.5", "tue": "7.5", "wed": "7.5", "thu": "7.5", "fri": "0", "sat": "0", "sun": "0"}}),
        )
        .expect(201)
        .body;
    assert_eq!(
        (
            part["is_default"].as_bool(),
            part["hours_per_week"].as_str()
        ),
        (Some(false), Some("30"))
    );
    for (hours, field) in [
        (
            json!({"mon": "25", "tue": "0", "wed": "0", "thu": "0", "fri": "0", "sat": "0", "sun": "0"}),
            "hours.mon",
        ),
        (
            json!({"mon": "0", "tue": "0", "wed": "0", "thu": "0", "fri": "0", "sat": "0", "sun": "0"}),
            "hours",
        ),
    ] {
        let r = app
            .post(
                "/api/v1/hr/calendars",
                &o.admin,
                json!({"code": "BAD", "name": "Bad", "hours": hours}),
            )
            .expect_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["field"], field);
    }
    // The default moves by naming a new one; it is never simply switched off.
    let id = part["id"].as_str().unwrap();
    let moved = app
        .patch(
            &format!("/api/v1/hr/calendars/{id}"),
            &o.admin,
            1,
            json!({"is_default": true}),
        )
        .expect(200)
        .body;
    assert_eq!(moved["is_default"], true);
    let all = app.get("/api/v1/hr/calendars", &o.admin).expect(200).body;
    let defaults = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["is_default"] == true)
        .count();
    assert_eq!(defaults, 1);
    app.patch(
        &format!("/api/v1/hr/calendars/{id}"),
        &o.admin,
        2,
        json!({"is_default": false}),
    )
    .expect_problem(422, "validation_failed");

    // One holiday per branch and day; CSV all or nothing.
    app.post(
        "/api/v1/hr/holidays",
        &o.admin,
        json!({"branch_id": o.branch, "day": "2026-12-25", "name": "Again"}),
    )
    .expect_problem(409, "duplicate_holiday");
    let import = |csv: String| {
        app.send(
            "POST",
            "/api/v1/hr/import/holidays",
            Some(&o.admin),
            None,
            &Req {
                raw_body: Some(("text/csv".into(), csv)),
                ..Default::default()
            },
        )
    };
    let bad = format!("branch,date,name\n{0},2026-12-26,Boxing Day\n{0},2026-12-31,New Year's Eve\nNOPE,2026-12-31,Elsewhere\n", o.branch_code);
    let r = import(bad).expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "rows[3].branch", "{}", r.text);
    let good = format!(
        "branch,date,name\n{0},2026-12-26,Boxing Day\n{0},2026-12-31,New Year's Eve\n",
        o.branch_code
    );
    assert_eq!(import(good).expect(200).body["imported"], 2);
    let dec = app
        .get(
            "/api/v1/hr/holidays?from=2026-12-01&to=2026-12-31",
            &o.admin,
        )
        .expect(200)
        .body;
    let days: Vec<&str> = dec["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["day"].as_str().unwrap())
        .collect();
    assert_eq!(
        days,
        ["2026-12-24", "2026-12-25", "2026-12-26", "2026-12-31"]
    );
    let eve = dec["items"][3]["id"].as_str().unwrap();
    app.delete(&format!("/api/v1/hr/holidays/{eve}"), &o.admin)
        .expect(204);
    let dec = app
        .get(
            "/api/v1/hr/holidays?from=2026-12-01&to=2026-12-31",
            &o.admin,
        )
        .expect(200)
        .body;
    assert_eq!(dec["items"].as_array().unwrap().len(), 3);
}

#[test]
fn leave_counts_working_days_follows_the_balance_and_is_decided_by_the_manager() {
    let o = office();
    let app = &o.app;
    let (mia_user, anna_user, cy_user) = (
        self_service(app, &o.admin, "mia"),
        self_service(app, &o.admin, "anna"),
        self_service(app, &o.admin, "cyril"),
    );
    let mia = o.hire("Mia", "2025-01-01", "40", Some(&mia_user), None);
    let anna = o.hire("Anna", "2026-01-01", "40", Some(&anna_user), Some(&mia));
    o.hire("Cyril", "2026-01-01", "40", Some(&cy_user), Some(&mia));
    let ask =
        |user: &TestUser, body: Value| app.post("/api/v1/hr/leave-requests", &user.token, body);
    let annual =
        |from: &str, to: &str| json!({"leave_type_id": o.annual, "starts_on": from, "ends_on": to});

    // 21 to 31 December: the weekend and the two holidays do not count: 7 days.
    let xmas = ask(&anna_user, annual("2026-12-21", "2026-12-31"))
        .expect(201)
        .body;
    assert_eq!(
        (xmas["days"].as_str(), xmas["status"].as_str()),
        (Some("7"), Some("requested"))
    );
    let xmas_id = xmas["id"].as_str().unwrap().to_string();
    let b = o.balance(&o.admin, &anna, "2026-12-31", "ANNUAL");
    assert_eq!(
        (
            b["accrued"].as_str(),
            b["requested"].as_str(),
            b["available"].as_str()
        ),
        (Some("24"), Some("7"), Some("17"))
    );
    // A half day at the start: Monday afternoon and Tuesday.
    let half = ask(&anna_user, json!({"leave_type_id": o.annual, "starts_on": "2026-11-02", "ends_on": "2026-11-03", "half_day_start": true}))
        .expect(201)
        .body;
    assert_eq!(half["days"], "1.5");
    // Refused by field: overlapping, beyond the balance, a weekend only, across the new year.
    for (body, field, says) in [
        (
            annual("2026-12-31", "2026-12-31"),
            "starts_on",
            "overlaps the leave from 2026-12-21",
        ),
        (
            annual("2026-11-09", "2026-11-30"),
            "leave_type_id",
            "asks 16 days of ANNUAL; 13.5 are available by 2026-11-30",
        ),
        (
            annual("2026-11-07", "2026-11-08"),
            "ends_on",
            "no working day",
        ),
        (annual("2026-12-30", "2027-01-04"), "ends_on", "same year"),
    ] {
        let r = ask(&anna_user, body).expect_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["field"], field, "{}", r.text);
        assert!(r.text.contains(says), "{}", r.text);
    }
    // Anna may not ask for someone else, nor decide her own leave; to Cyril, not her manager,
    // it does not exist.
    app.post(
        "/api/v1/hr/leave-requests",
        &anna_user.token,
        json!({"employee_id": mia, "leave_type_id": o.annual, "starts_on": "2026-11-02", "ends_on": "2026-11-02"}),
    )
    .expect_problem(403, "forbidden");
    let decide = |user: &TestUser, id: &str, how: &str, note: Value| {
        app.post(
            &format!("/api/v1/hr/leave-requests/{id}/{how}"),
            &user.token,
            note,
        )
    };
    decide(&anna_user, &xmas_id, "approve", json!({})).expect_problem(409, "own_leave");
    decide(&cy_user, &xmas_id, "approve", json!({})).expect_problem(404, "not_found");
    app.get(
        &format!("/api/v1/hr/leave-requests/{xmas_id}"),
        &cy_user.token,
    )
    .expect_problem(404, "not_found");
    // Mia sees her team's requests and decides them.
    let team = app
        .get(
            "/api/v1/hr/leave-requests?status=requested",
            &mia_user.token,
        )
        .expect(200)
        .body;
    assert_eq!(team["items"].as_array().unwrap().len(), 2);
    let ok = decide(&mia_user, &xmas_id, "approve", json!({"note": "enjoy"}))
        .expect(200)
        .body;
    assert_eq!(
        (ok["status"].as_str(), ok["decided_by"].as_str()),
        (Some("approved"), Some(mia_user.id.as_str()))
    );
    decide(&mia_user, &xmas_id, "approve", json!({})).expect_problem(409, "invalid_state");
    // Anna reads her request back decided, with the manager's note.
    let read = app
        .get(
            &format!("/api/v1/hr/leave-requests/{xmas_id}"),
            &anna_user.token,
        )
        .expect(200)
        .body;
    assert_eq!(
        (
            read["status"].as_str(),
            read["days"].as_str(),
            read["employee_id"].as_str()
        ),
        (Some("approved"), Some("7"), Some(anna.as_str())),
        "{read}"
    );
    let half_id = half["id"].as_str().unwrap();
    decide(
        &mia_user,
        half_id,
        "refuse",
        json!({"note": "stock count that week"}),
    )
    .expect(200);
    let b = o.balance(&anna_user.token, &anna, "2026-12-22", "ANNUAL");
    assert_eq!(
        (
            b["taken"].as_str(),
            b["requested"].as_str(),
            b["available"].as_str()
        ),
        (Some("7"), Some("0"), Some("17")),
        "{b}"
    );
    // Sick leave is recorded beyond any balance.
    let sick = ask(
        &anna_user,
        json!({"leave_type_id": o.sick, "starts_on": "2026-03-02", "ends_on": "2026-03-04"}),
    )
    .expect(201)
    .id();
    decide(&mia_user, &sick, "approve", json!({})).expect(200);
    assert_eq!(
        o.balance(&o.admin, &anna, "2026-03-31", "SICK")["available"],
        "-3"
    );
    // Approved leave still to come is the employee's to cancel.
    let later = ask(&anna_user, annual("2099-06-01", "2099-06-01"))
        .expect(201)
        .id();
    decide(&mia_user, &later, "approve", json!({})).expect(200);
    let cancelled = decide(
        &anna_user,
        &later,
        "cancel",
        json!({"note": "plans changed"}),
    )
    .expect(200)
    .body;
    assert_eq!(cancelled["status"], "cancelled");
    // Begun leave is HR's to cancel, not the employee's.
    decide(&anna_user, &sick, "cancel", json!({})).expect_problem(409, "leave_begun");
    decide(&mia_user, &sick, "cancel", json!({})).expect_problem(403, "forbidden");
    app.post(
        &format!("/api/v1/hr/leave-requests/{sick}/cancel"),
        &o.admin,
        json!({"note": "entered twice"}),
    )
    .expect(200);
    assert_eq!(
        o.balance(&o.admin, &anna, "2026-03-31", "SICK")["available"],
        "0"
    );

    // The rest of 2026 carries over, at most 5 days, lapsing untaken after March.
    let jan = o.balance(&anna_user.token, &anna, "2027-01-15", "ANNUAL");
    assert_eq!(
        (
            jan["carried"].as_str(),
            jan["accrued"].as_str(),
            jan["available"].as_str()
        ),
        (Some("5"), Some("2"), Some("7"))
    );
    let apr = o.balance(&anna_user.token, &anna, "2027-04-01", "ANNUAL");
    assert_eq!(
        (apr["expired"].as_str(), apr["available"].as_str()),
        (Some("5"), Some("8"))
    );
    // The employee sees their own balances; colleagues do not.
    let mine = app
        .get(
            "/api/v1/hr/me/leave-balances?at=2026-12-31",
            &anna_user.token,
        )
        .expect(200)
        .body;
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
    app.get(
        &format!("/api/v1/hr/employees/{anna}/leave-balances"),
        &cy_user.token,
    )
    .expect_problem(404, "not_found");

    // The team calendar: who is away in December, for the manager.
    let cal = app
        .get(
            "/api/v1/hr/leave-calendar?from=2026-12-01&to=2026-12-31",
            &mia_user.token,
        )
        .expect(200)
        .body;
    let away: Vec<(&str, &str, &str)> = cal["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["employee_name"].as_str().unwrap(),
                e["starts_on"].as_str().unwrap(),
                e["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(away, [("Anna Test", "2026-12-21", "approved")]);
    let none = app
        .get(
            "/api/v1/hr/leave-calendar?from=2026-12-01&to=2026-12-31",
            &cy_user.token,
        )
        .expect(200)
        .body;
    assert_eq!(
        none["items"].as_array().unwrap().len(),
        0,
        "Cyril manages nobody"
    );
    app.get(
        "/api/v1/hr/leave-calendar?from=2026-01-01&to=2026-12-31",
        &mia_user.token,
    )
    .expect_problem(422, "validation_failed");
}

#[test]
fn part_time_and_a_mid_month_start_earn_in_proportion() {
    let o = office();
    // Hired on 16 June at 30 of 40 hours: half of June at three quarters, then 1.5 a month.
    let bo = o.hire("Bo", "2026-06-16", "30", None, None);
    let b = o.balance(&o.admin, &bo, "2026-12-31", "ANNUAL");
    assert_eq!(b["accrued"], "9.75");
    // A raise of hours from October: 2 a month from then on.
    let contracts = o
        .app
        .get(&format!("/api/v1/hr/employees/{bo}/contracts"), &o.admin)
        .expect(200)
        .body;
    let c = contracts["items"][0]["id"].as_str().unwrap();
    o.app
        .post(
            &format!("/api/v1/hr/contracts/{c}/amend"),
            &o.admin,
            json!({"effective_on": "2026-10-01", "hours_per_week": "40"}),
        )
        .expect(201);
    let b = o.balance(&o.admin, &bo, "2026-12-31", "ANNUAL");
    assert_eq!(b["accrued"], "11.25");
}

#[test]
fn eight_concurrent_requests_never_overdraw_a_balance() {
    let o = office();
    let app = &o.app;
    // Three days a year: by December, three single days fit.
    let scarce = app
        .post(
            "/api/v1/hr/leave-types",
            &o.admin,
            json!({"code": "FLEX", "name": "Flex days", "days_per_year": "3"}),
        )
        .expect(201)
        .id();
    let eve = o.hire("Eve", "2026-01-01", "40", None, None);
    let days = [
        "2026-12-01",
        "2026-12-02",
        "2026-12-03",
        "2026-12-04",
        "2026-12-07",
        "2026-12-08",
        "2026-12-09",
        "2026-12-10",
    ];
    let admin = o.admin.as_str();
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = days
            .iter()
            .map(|day| {
                let body = json!({"employee_id": eve, "leave_type_id": scarce, "starts_on": day, "ends_on": day});
                s.spawn(move || app.post("/api/v1/hr/leave-requests", admin, body).status)
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        5,
        "{statuses:?}"
    );
    let b = o.balance(&o.admin, &eve, "2026-12-31", "FLEX");
    assert_eq!(
        (b["requested"].as_str(), b["available"].as_str()),
        (Some("3"), Some("0"))
    );
}

#[test]
fn an_opening_balance_from_a_former_system_is_an_adjustment_by_hr_with_its_reason() {
    let o = office();
    let app = &o.app;
    let hr = UserBuilder::new("hr-lea")
        .permissions(&[
            "hr.self",
            "hr.employee.read",
            "hr.leave.read",
            "hr.leave.approve",
        ])
        .create(app, &o.admin);
    let clerk = self_service(app, &o.admin, "clerk");
    // Dana joins on 1 December and earns 2 days that month; her former employer's 4.5 days
    // come with her.
    let dana = o.hire("Dana", "2026-12-01", "40", Some(&hr), None);
    let ben = o.hire("Ben", "2026-12-01", "40", None, None);
    let ask = || {
        app.post(
            "/api/v1/hr/leave-requests",
            &o.admin,
            json!({"employee_id": ben, "leave_type_id": o.annual, "starts_on": "2026-12-14", "ends_on": "2026-12-18"}),
        )
    };
    let r = ask().expect_problem(422, "validation_failed");
    assert!(r.text.contains("2 are available"), "{}", r.text);
    let adjust = |token: &str, body: Value| app.post("/api/v1/hr/leave-adjustments", token, body);
    let opening = |employee: &str| {
        json!({"employee_id": employee, "leave_type_id": o.annual, "effective_on": "2026-12-01",
               "days": "4.5", "reason": "Opening balance from the former system"})
    };
    // Not by oneself, not without the right; bad input by field, nothing written.
    adjust(&hr.token, opening(&dana)).expect_problem(409, "own_leave");
    adjust(&clerk.token, opening(&ben)).expect_problem(403, "forbidden");
    let with = |key: &str, value: Value| {
        let mut body = opening(&ben);
        body[key] = value;
        body
    };
    for (body, field) in [
        (with("days", json!("0")), "days"),
        (with("days", json!("0.125")), "days"),
        (with("days", json!("-400")), "days"),
        (with("effective_on", json!("2026-11-30")), "effective_on"),
        (with("reason", json!("  ")), "reason"),
        (
            with("leave_type_id", json!(uuid::Uuid::now_v7())),
            "leave_type_id",
        ),
    ] {
        let r = adjust(&hr.token, body).expect_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["field"], field, "{}", r.text);
    }
    let list = |token: &str| {
        app.get(
            &format!("/api/v1/hr/employees/{ben}/leave-adjustments"),
            token,
        )
    };
    assert_eq!(list(&hr.token).expect(200).body["items"], json!([]));
    let a = adjust(&hr.token, opening(&ben)).expect(201).body;
    assert_eq!(
        (a["days"].as_str(), a["leave_type"].as_str()),
        (Some("4.5"), Some("ANNUAL"))
    );
    // The balance counts it from its day on, and the week now fits.
    let b = o.balance(&o.admin, &ben, "2026-12-01", "ANNUAL");
    assert_eq!(
        (
            b["accrued"].as_str(),
            b["adjusted"].as_str(),
            b["available"].as_str()
        ),
        (Some("2"), Some("4.5"), Some("6.5"))
    );
    let week = ask().expect(201).id();
    app.post(
        &format!("/api/v1/hr/leave-requests/{week}/approve"),
        &o.admin,
        json!({}),
    )
    .expect(200);
    let items = list(&hr.token).expect(200).body["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(items[0]["reason"], "Opening balance from the former system");
    // To someone who is neither HR nor her manager she does not exist.
    list(&clerk.token).expect_problem(404, "not_found");
    // What is left carries into the next year: 2 + 4.5 - 5 taken = 1.5.
    let next = o.balance(&o.admin, &ben, "2027-01-05", "ANNUAL");
    assert_eq!(
        (next["carried"].as_str(), next["adjusted"].as_str()),
        (Some("1.5"), Some("0"))
    );
}

#[test]
fn the_leave_calendar_pages_by_first_day_and_name_with_everyone_once() {
    let o = office();
    let app = &o.app;
    // Three away from the same Monday, one before and one after; hired in an order that is
    // neither the days' nor the names'.
    let away = [
        ("Eve", "2026-12-07", "2026-12-09"),
        ("Bob", "2026-12-07", "2026-12-07"),
        ("Dan", "2026-12-14", "2026-12-15"),
        ("Amy", "2026-12-07", "2026-12-08"),
        ("Cal", "2026-12-01", "2026-12-02"),
    ];
    for (name, from, to) in away {
        let e = o.hire(name, "2026-01-01", "40", None, None);
        app.post(
            "/api/v1/hr/leave-requests",
            &o.admin,
            json!({"employee_id": e, "leave_type_id": o.annual, "starts_on": from, "ends_on": to}),
        )
        .expect(201);
    }
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut url = "/api/v1/hr/leave-calendar?from=2026-12-01&to=2026-12-31&limit=2".to_string();
    loop {
        let page = app.get(&url, &o.admin).expect(200).body;
        pages += 1;
        for e in page["items"].as_array().unwrap() {
            seen.push(format!(
                "{} {}",
                e["starts_on"].as_str().unwrap(),
                e["employee_name"].as_str().unwrap()
            ));
        }
        match page["next_cursor"].as_str() {
            Some(c) => {
                url = format!(
                    "/api/v1/hr/leave-calendar?from=2026-12-01&to=2026-12-31&limit=2&cursor={c}"
                )
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        seen,
        [
            "2026-12-01 Cal Test",
            "2026-12-07 Amy Test",
            "2026-12-07 Bob Test",
            "2026-12-07 Eve Test",
            "2026-12-14 Dan Test",
        ]
    );
    // One page holds them all at the default size.
    let all = app
        .get(
            "/api/v1/hr/leave-calendar?from=2026-12-01&to=2026-12-31",
            &o.admin,
        )
        .expect(200)
        .body;
    assert_eq!(all["items"].as_array().unwrap().len(), 5);
    assert!(all["next_cursor"].is_null());
    app.get(
        "/api/v1/hr/leave-calendar?from=2026-12-01&to=2026-12-31&limit=0",
        &o.admin,
    )
    .expect_problem(422, "validation_failed");
}

#[test]
fn leave_types_are_listed_read_and_changed_by_version_and_calendars_read_by_id() {
    let o = office();
    let app = &o.app;
    let types = app.get("/api/v1/hr/leave-types", &o.admin).expect(200).body;
    let mut codes: Vec<&str> = types["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    codes.sort();
    assert_eq!(codes, ["ANNUAL", "SICK"], "{types}");
    let path = format!("/api/v1/hr/leave-types/{}", o.annual);
    let changed = app
        .patch(
            &path,
            &o.admin,
            1,
            json!({"days_per_year": "26", "name": "Holiday"}),
        )
        .expect(200)
        .body;
    assert_eq!(
        (
            changed["days_per_year"].as_str(),
            changed["name"].as_str(),
            changed["carry_over_cap"].as_str(),
            changed["version"].as_i64()
        ),
        (Some("26"), Some("Holiday"), Some("5"), Some(2)),
        "{changed}"
    );
    app.patch(&path, &o.admin, 1, json!({"days_per_year": "20"}))
        .expect_problem(412, "version_mismatch");
    // The balance follows the new yearly days.
    let anna = o.hire("Anna", "2026-01-01", "40", None, None);
    assert_eq!(
        o.balance(&o.admin, &anna, "2026-12-31", "ANNUAL")["accrued"],
        "26"
    );

    let calendars = app.get("/api/v1/hr/calendars", &o.admin).expect(200).body;
    let id = calendars["items"][0]["id"].as_str().unwrap();
    let one = app
        .get(&format!("/api/v1/hr/calendars/{id}"), &o.admin)
        .expect(200)
        .body;
    assert_eq!(
        (one["code"].as_str(), one["hours_per_week"].as_str()),
        (Some("OFFICE"), Some("40")),
        "{one}"
    );
    app.get(&format!("/api/v1/hr/calendars/{}", o.annual), &o.admin)
        .expect_problem(404, "not_found");
}
