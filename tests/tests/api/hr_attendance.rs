//! Attendance: check-in and check-out by the employee, by a time terminal with an API key
//! and by HR; the refusals (twice in, out before in, out without in, a moment in the future);
//! daily totals against the calendar with tiered daily overtime, weekly overtime, missing
//! check-outs and absence without leave; who sees whose.

use chrono::{Duration, SecondsFormat, Utc};
use erp_tests::builders::UserBuilder;
use erp_tests::TestApp;
use serde_json::{json, Value};

struct Site {
    app: TestApp,
    admin: String,
    dept: String,
}

fn site() -> Site {
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
            json!({"code": "PLANT", "name": "Plant", "branch_id": branch}),
        )
        .expect(201)
        .id();
    Site { app, admin, dept }
}

impl Site {
    fn hire(&self, first: &str, user: Option<&str>, manager: Option<&str>) -> String {
        self.app
            .post(
                "/api/v1/hr/employees",
                &self.admin,
                json!({"person": {"kind": "person", "first_name": first, "last_name": "Works"},
                       "department_id": self.dept, "hired_on": "2026-01-01", "user_id": user, "manager_id": manager,
                       "contract": {"kind": "permanent", "starts_on": "2026-01-01", "hours_per_week": "40", "pay_basis": "hourly", "pay_rate": "20.00"}}),
            )
            .expect(201)
            .id()
    }
}

fn ago(hours: i64) -> String {
    (Utc::now() - Duration::hours(hours)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[test]
fn people_and_terminals_check_in_and_out_and_mistakes_are_refused() {
    let s = site();
    let app = &s.app;
    let ida = UserBuilder::new("ida")
        .permissions(&["hr.self"])
        .create(app, &s.admin);
    let ida_id = s.hire("Ida", Some(&ida.id), None);
    let clock = |token: &str, way: &str, body: Value| {
        app.post(&format!("/api/v1/hr/attendance/{way}"), token, body)
    };
    let r = clock(&ida.token, "check-in", json!({})).expect(201).body;
    assert_eq!(
        (r["source"].as_str(), r["check_out"].clone()),
        (Some("self"), Value::Null)
    );
    clock(&ida.token, "check-in", json!({})).expect_problem(409, "already_checked_in");
    let r = clock(&ida.token, "check-out", json!({"at": ago(0)}))
        .expect_problem(422, "validation_failed");
    assert_eq!(
        r.body["errors"][0]["field"], "at",
        "one's own clock is the server's"
    );
    let out = clock(&ida.token, "check-out", json!({"note": "off home"}))
        .expect(200)
        .body;
    assert!(out["hours"].is_string());
    clock(&ida.token, "check-out", json!({})).expect_problem(409, "not_checked_in");
    // Ida may not clock a colleague in.
    let bo = s.hire("Bo", None, None);
    clock(&ida.token, "check-in", json!({"employee_id": bo})).expect_problem(403, "forbidden");

    // A time terminal: a user with the terminal right, calling with its API key and its clock.
    let terminal = UserBuilder::new("gate-terminal")
        .permissions(&["hr.attendance.terminal"])
        .create(app, &s.admin);
    let key = app
        .post(
            "/api/v1/iam/api-keys",
            &s.admin,
            json!({"name": "gate terminal", "user_id": terminal.id}),
        )
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let r = clock(&key, "check-in", json!({"employee_id": bo, "at": ago(26)}))
        .expect(201)
        .body;
    assert_eq!(r["source"], "terminal");
    for (at, says) in [(ago(27), "after the check-in"), (ago(-2), "future")] {
        let r = clock(&key, "check-out", json!({"employee_id": bo, "at": at}))
            .expect_problem(422, "validation_failed");
        assert!(r.text.contains(says), "{}", r.text);
    }
    let out = clock(
        &key,
        "check-out",
        json!({"employee_id": bo, "at": ago(16) }),
    )
    .expect(200)
    .body;
    assert_eq!(out["hours"], "10");
    let r = clock(
        &key,
        "check-in",
        json!({"employee_id": bo, "at": ago(24 * 9)}),
    )
    .expect_problem(422, "validation_failed");
    assert!(r.text.contains("7 days"), "{}", r.text);
    // A check-in inside a recorded stretch overlaps it.
    let r = clock(&key, "check-in", json!({"employee_id": bo, "at": ago(20)}))
        .expect_problem(422, "validation_failed");
    assert!(r.text.contains("overlaps"), "{}", r.text);
    clock(&key, "check-in", json!({"employee_id": ida.id})).expect_problem(404, "not_found");
    let list = app
        .get(
            &format!(
                "/api/v1/hr/attendance?employee_id={bo}&from={}&to={}",
                (Utc::now() - Duration::days(3)).date_naive(),
                Utc::now().date_naive()
            ),
            &s.admin,
        )
        .expect(200)
        .body;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    // Ida sees only her own stretches.
    let mine = app
        .get(
            &format!(
                "/api/v1/hr/attendance?from={}&to={}",
                (Utc::now() - Duration::days(3)).date_naive(),
                Utc::now().date_naive()
            ),
            &ida.token,
        )
        .expect(200)
        .body;
    let whose: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["employee_id"].as_str().unwrap())
        .collect();
    assert_eq!(whose, [ida_id.as_str()]);
}

#[test]
fn daily_totals_show_overtime_missing_check_outs_and_absence() {
    let s = site();
    let app = &s.app;
    for (code, per, threshold, rate) in [
        ("OT125", "day", "8", "1.25"),
        ("OT150", "day", "10", "1.5"),
        ("WEEK", "week", "40", "1.25"),
    ] {
        app.post(
            "/api/v1/hr/overtime-rules",
            &s.admin,
            json!({"code": code, "name": code, "per": per, "threshold": threshold, "rate": rate}),
        )
        .expect(201);
    }
    let boss = UserBuilder::new("foreman")
        .permissions(&["hr.self"])
        .create(app, &s.admin);
    let boss_id = s.hire("Fred", Some(&boss.id), None);
    let rita = s.hire("Rita", None, Some(&boss_id));
    let record = |from: &str, to: Option<&str>| {
        app.post(
            "/api/v1/hr/attendance",
            &s.admin,
            json!({"employee_id": rita, "check_in": from, "check_out": to}),
        )
    };
    // Week of 2 November 2026: Monday 11 hours, Tuesday nothing, Wednesday 8, Thursday in
    // and never out, Friday on leave.
    record("2026-11-02T07:00:00Z", Some("2026-11-02T18:00:00Z")).expect(201);
    record("2026-11-04T08:00:00Z", Some("2026-11-04T16:00:00Z")).expect(201);
    let open = record("2026-11-05T08:00:00Z", None).expect(201).id();
    let r = record("2026-11-02T17:00:00Z", Some("2026-11-02T19:00:00Z"))
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "check_in");
    let r = record("2026-11-03T10:00:00Z", Some("2026-11-03T09:00:00Z"))
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "check_out");
    let annual = app
        .post(
            "/api/v1/hr/leave-types",
            &s.admin,
            json!({"code": "ANNUAL", "name": "Annual", "days_per_year": "24"}),
        )
        .expect(201)
        .id();
    let leave = app
        .post(
            "/api/v1/hr/leave-requests",
            &s.admin,
            json!({"employee_id": rita, "leave_type_id": annual, "starts_on": "2026-11-06", "ends_on": "2026-11-06"}),
        )
        .expect(201)
        .id();
    app.post(
        &format!("/api/v1/hr/leave-requests/{leave}/approve"),
        &boss.token,
        json!({}),
    )
    .expect(200);

    let report = |token: &str| {
        app.get(
            &format!(
                "/api/v1/hr/attendance/daily?from=2026-11-02&to=2026-11-08&employee_id={rita}"
            ),
            token,
        )
    };
    let r = report(&boss.token).expect(200).body;
    let rita_week = &r["items"][0];
    let days: Vec<(&str, &str, &str, bool, bool)> = rita_week["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["expected_hours"].as_str().unwrap(),
                d["worked_hours"].as_str().unwrap(),
                d["overtime_hours"].as_str().unwrap(),
                d["missing_check_out"].as_bool().unwrap(),
                d["absent"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        days,
        [
            ("8", "11", "3", false, false),
            ("8", "0", "0", false, true),
            ("8", "8", "0", false, false),
            ("8", "0", "0", true, false),
            ("0", "0", "0", false, false),
            ("0", "0", "0", false, false),
            ("0", "0", "0", false, false),
        ]
    );
    assert_eq!(rita_week["days"][4]["leave_days"], "1");
    let ot: Vec<(&str, &str, &str)> = rita_week["overtime"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["rule"].as_str().unwrap(),
                o["rate"].as_str().unwrap(),
                o["hours"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ot,
        [
            ("OT125", "1.25", "2"),
            ("OT150", "1.5", "1"),
            ("WEEK", "1.25", "0")
        ]
    );
    assert_eq!(
        (
            rita_week["worked_hours"].as_str(),
            rita_week["absent_days"].as_i64(),
            rita_week["missing_check_outs"].as_i64()
        ),
        (Some("19"), Some(1), Some(1))
    );

    // HR removes the forgotten stretch: Thursday becomes an absence.
    app.delete(&format!("/api/v1/hr/attendance/{open}"), &s.admin)
        .expect(204);
    let r = report(&s.admin).expect(200).body;
    assert_eq!(r["items"][0]["absent_days"], 2);
    // Someone with neither the right nor a team sees only themself; no self-service, no report.
    let peer = UserBuilder::new("peer")
        .permissions(&["hr.self"])
        .create(app, &s.admin);
    s.hire("Pia", Some(&peer.id), None);
    let r = report(&peer.token).expect(200).body;
    assert_eq!(r["items"].as_array().unwrap().len(), 0);
    let stranger = UserBuilder::new("stranger")
        .permissions(&["crm.customer.read"])
        .create(app, &s.admin);
    report(&stranger.token).expect_problem(403, "forbidden");
    app.get(
        "/api/v1/hr/attendance/daily?from=2026-01-01&to=2026-12-31",
        &s.admin,
    )
    .expect_problem(422, "validation_failed");
}

#[test]
fn shifts_and_the_branch_s_time_zone_decide_which_day_hours_count_on() {
    let s = site();
    let app = &s.app;
    let tokyo = app
        .post(
            "/api/v1/org/branches",
            &s.admin,
            json!({"code": "TYO", "name": "Tokyo plant", "time_zone": "Asia/Tokyo"}),
        )
        .expect(201)
        .id();
    let bad = |shifts: Value| {
        let r = app
            .post(
                "/api/v1/hr/calendars",
                &s.admin,
                json!({"code": "BAD", "name": "Bad", "shifts": shifts}),
            )
            .expect_problem(422, "validation_failed");
        r.body["errors"][0]["field"].as_str().unwrap().to_string()
    };
    let late = json!({"name": "Late", "days": ["mon"], "starts_at": "14:00", "ends_at": "22:30"});
    let night = json!({"name": "Night", "days": ["mon", "tue", "wed", "thu", "fri"], "starts_at": "22:00", "ends_at": "06:00", "break_minutes": 30});
    assert_eq!(
        bad(json!([late, night])),
        "shifts[1]",
        "Late runs into Night"
    );
    assert_eq!(
        bad(
            json!([{"name": "X", "days": ["sun"], "starts_at": "23:00", "ends_at": "07:00"},
                   {"name": "Y", "days": ["mon"], "starts_at": "06:00", "ends_at": "08:00"}])
        ),
        "shifts[1]",
        "Sunday's night runs into Monday"
    );
    assert_eq!(
        bad(json!([{"name": "X", "days": ["mon"], "starts_at": "25:00", "ends_at": "06:00"}])),
        "shifts[0].starts_at"
    );
    assert_eq!(
        bad(
            json!([{"name": "X", "days": ["mon"], "starts_at": "08:00", "ends_at": "09:00", "break_minutes": 60}])
        ),
        "shifts[0].break_minutes"
    );
    let r = app
        .post(
            "/api/v1/hr/calendars",
            &s.admin,
            json!({"code": "BOTH", "name": "Both", "shifts": [night], "hours": {"mon": "8", "tue": "8", "wed": "8", "thu": "8", "fri": "8", "sat": "0", "sun": "0"}}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "shifts");

    let cal = app
        .post(
            "/api/v1/hr/calendars",
            &s.admin,
            json!({"code": "NIGHT", "name": "Nights", "shifts": [night]}),
        )
        .expect(201)
        .body;
    assert_eq!(
        (
            cal["hours"]["mon"].as_str(),
            cal["hours"]["sat"].as_str(),
            cal["hours_per_week"].as_str()
        ),
        (Some("7.5"), Some("0"), Some("37.5"))
    );
    assert_eq!(cal["shifts"][0]["ends_at"], "06:00");
    let dept = app
        .post(
            "/api/v1/hr/departments",
            &s.admin,
            json!({"code": "TYO-PLANT", "name": "Tokyo plant", "branch_id": tokyo}),
        )
        .expect(201)
        .id();
    let hire = |first: &str, calendar: Option<&str>| {
        app.post(
            "/api/v1/hr/employees",
            &s.admin,
            json!({"person": {"kind": "person", "first_name": first, "last_name": "Tanaka"},
                   "department_id": dept, "hired_on": "2026-01-01", "calendar_id": calendar,
                   "contract": {"kind": "permanent", "starts_on": "2026-01-01", "hours_per_week": "40", "pay_basis": "hourly", "pay_rate": "20"}}),
        )
        .expect(201)
        .id()
    };
    let yuki = hire("Yuki", cal["id"].as_str());
    let ken = hire("Ken", None);
    let record = |who: &str, from: &str, to: &str| {
        app.post(
            "/api/v1/hr/attendance",
            &s.admin,
            json!({"employee_id": who, "check_in": from, "check_out": to}),
        )
        .expect(201);
    };
    // Yuki, Monday 2 November's night in Tokyo (UTC+9): in at 22:10, 10 minutes late, out on
    // Tuesday at 06:00. Tuesday's night: in at 21:55, out at 05:30, half an hour early.
    record(&yuki, "2026-11-02T13:10:00Z", "2026-11-02T21:00:00Z");
    record(&yuki, "2026-11-03T12:55:00Z", "2026-11-03T20:30:00Z");
    // Ken, on the office calendar: Wednesday 4 November from 08:00 to 17:00 in Tokyo, which
    // began on Tuesday in UTC.
    record(&ken, "2026-11-03T23:00:00Z", "2026-11-04T08:00:00Z");
    let days = |who: &str| {
        let r = app
            .get(
                &format!(
                    "/api/v1/hr/attendance/daily?from=2026-11-02&to=2026-11-04&employee_id={who}"
                ),
                &s.admin,
            )
            .expect(200)
            .body;
        let person = r["items"][0].clone();
        let days: Vec<(String, String, i64, i64, bool)> = person["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["expected_hours"].as_str().unwrap().to_string(),
                    d["worked_hours"].as_str().unwrap().to_string(),
                    d["late_minutes"].as_i64().unwrap(),
                    d["left_early_minutes"].as_i64().unwrap(),
                    d["absent"].as_bool().unwrap(),
                )
            })
            .collect();
        (days, person["late_days"].as_i64().unwrap())
    };
    let s2 =
        |a: &str, b: &str, l: i64, e: i64, abs: bool| (a.to_string(), b.to_string(), l, e, abs);
    assert_eq!(
        days(&yuki),
        (
            vec![
                s2("7.5", "7.83", 10, 0, false),
                s2("7.5", "7.58", 0, 30, false),
                s2("7.5", "0", 0, 0, true),
            ],
            1
        )
    );
    assert_eq!(
        days(&ken).0,
        [
            s2("8", "0", 0, 0, true),
            s2("8", "0", 0, 0, true),
            s2("8", "9", 0, 0, false),
        ]
    );

    // The list of stretches takes the employee's days too: Ken's began on Tuesday in UTC but
    // on Wednesday in Tokyo.
    let listed = |day: &str| {
        app.get(
            &format!("/api/v1/hr/attendance?employee_id={ken}&from={day}&to={day}"),
            &s.admin,
        )
        .expect(200)
        .body["items"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!((listed("2026-11-03"), listed("2026-11-04")), (0, 1));

    // Hours again in place of the shifts: the shift times are gone.
    let id = cal["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("/api/v1/hr/calendars/{id}"),
            &s.admin,
            1,
            json!({"hours": {"mon": "8", "tue": "8", "wed": "8", "thu": "8", "fri": "8", "sat": "0", "sun": "0"}}),
        )
        .expect(200)
        .body;
    assert_eq!(r["shifts"], json!([]));
    let r = app
        .patch(
            &format!("/api/v1/hr/calendars/{id}"),
            &s.admin,
            2,
            json!({"shifts": [night]}),
        )
        .expect(200)
        .body;
    assert_eq!(r["hours"]["fri"], "7.5");
}
