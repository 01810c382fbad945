//! HR, people and the organisation: departments as a tree per branch, positions with head
//! count planned against filled, hiring with a contract, transfers and termination with their
//! history, contracts that never overlap and amendments that keep every term, the org chart
//! as JSON and SVG, and who sees confidential data (a rights matrix).

use erp_tests::builders::{check_id_filter, TestUser, UserBuilder};
use erp_tests::{Req, TestApp};
use serde_json::{json, Value};

struct Org {
    app: TestApp,
    admin: String,
    head_office: String,
    north: String,
    sales: String,
    sales_north: String,
    rep: String,
}

/// Two branches; a sales department at the head office with a northern one below it in the
/// other branch's tree; a sales rep position planned for 2.
fn org() -> Org {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let head_office = app.get("/api/v1/org/branches", &admin).expect(200).body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let north = app
        .post(
            "/api/v1/org/branches",
            &admin,
            json!({"code": "NORTH", "name": "North"}),
        )
        .expect(201)
        .id();
    let dept = |code: &str, name: &str, branch: &str, parent: Option<&str>| {
        app.post(
            "/api/v1/hr/departments",
            &admin,
            json!({"code": code, "name": name, "branch_id": branch, "parent_id": parent, "cost_center": format!("CC-{code}")}),
        )
        .expect(201)
        .id()
    };
    let sales = dept("SALES", "Sales", &head_office, None);
    let sales_north = dept("SALES-N", "Sales North", &north, None);
    let rep = app
        .post(
            "/api/v1/hr/positions",
            &admin,
            json!({"code": "REP", "title": "Sales rep", "department_id": sales, "headcount": 2, "grade": "G3"}),
        )
        .expect(201)
        .id();
    Org {
        app,
        admin,
        head_office,
        north,
        sales,
        sales_north,
        rep,
    }
}

fn person(first: &str, last: &str) -> Value {
    json!({"kind": "person", "first_name": first, "last_name": last})
}

fn salary(starts_on: &str, amount: &str) -> Value {
    json!({"kind": "permanent", "starts_on": starts_on, "hours_per_week": "40", "pay_basis": "monthly_salary", "pay_rate": amount, "currency": "EUR"})
}

impl Org {
    fn hire(&self, body: Value) -> Value {
        self.app
            .post("/api/v1/hr/employees", &self.admin, body)
            .expect(201)
            .body
    }

    fn get(&self, path: &str) -> Value {
        self.app.get(path, &self.admin).expect(200).body
    }
}

#[test]
fn departments_form_a_tree_per_branch_and_refuse_cycles() {
    let o = org();
    let app = &o.app;
    // A team below the sales department; the sales department cannot move below it.
    let team = app
        .post(
            "/api/v1/hr/departments",
            &o.admin,
            json!({"code": "SALES-KEY", "name": "Key accounts", "branch_id": o.head_office, "parent_id": o.sales}),
        )
        .expect(201)
        .id();
    let sales = o.get(&format!("/api/v1/hr/departments/{}", o.sales));
    let r = app
        .patch(
            &format!("/api/v1/hr/departments/{}", o.sales),
            &o.admin,
            sales["version"].as_i64().unwrap(),
            json!({"parent_id": team}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "parent_id", "{}", r.text);
    // A parent in another branch, a taken code, an unknown branch: refused by field.
    let r = app
        .post(
            "/api/v1/hr/departments",
            &o.admin,
            json!({"code": "X", "name": "X", "branch_id": o.north, "parent_id": o.sales}),
        )
        .expect_problem(422, "validation_failed");
    assert!(r.text.contains("same branch"), "{}", r.text);
    app.post(
        "/api/v1/hr/departments",
        &o.admin,
        json!({"code": "SALES", "name": "Again", "branch_id": o.head_office}),
    )
    .expect_problem(409, "duplicate_code");
    let r = app
        .post(
            "/api/v1/hr/departments",
            &o.admin,
            json!({"code": "Y", "name": "Y", "branch_id": o.rep}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "branch_id");
    // The children of sales, and a clear of the parent.
    let kids = o.get(&format!("/api/v1/hr/departments?parent_id={}", o.sales));
    assert_eq!(kids["items"].as_array().unwrap().len(), 1);
    assert_eq!(kids["items"][0]["code"], "SALES-KEY");
    let key = o.get(&format!("/api/v1/hr/departments/{team}"));
    let cleared = app
        .patch(
            &format!("/api/v1/hr/departments/{team}"),
            &o.admin,
            key["version"].as_i64().unwrap(),
            json!({"parent_id": null, "name": "Key accounts EMEA"}),
        )
        .expect(200)
        .body;
    assert_eq!(
        (cleared["parent_id"].clone(), cleared["name"].as_str()),
        (Value::Null, Some("Key accounts EMEA"))
    );
    assert_eq!(cleared["cost_center"], Value::Null);
    // A user limited to the north branch sees only its department.
    let north_hr = UserBuilder::new("north-hr")
        .permissions(&["hr.employee.read"])
        .branches(&[&o.north])
        .create(app, &o.admin);
    let seen = app
        .get("/api/v1/hr/departments", &north_hr.token)
        .expect(200)
        .body;
    let codes: Vec<&str> = seen["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SALES-N"]);
    app.get(
        &format!("/api/v1/hr/departments/{}", o.sales),
        &north_hr.token,
    )
    .expect_problem(404, "not_found");
}

#[test]
fn hiring_transfers_and_termination_keep_the_history_and_the_head_count() {
    let o = org();
    let app = &o.app;
    let anna = o.hire(json!({
        "person": person("Anna", "Berg"),
        "department_id": o.sales,
        "position_id": o.rep,
        "hired_on": "2026-01-01",
        "birth_date": "1990-05-17",
        "bank_account": "de89 3704 0044 0532 0130 00",
        "contract": salary("2026-01-01", "4200.00"),
    }));
    assert_eq!(anna["number"], "EMP-2026-000001");
    assert_eq!(anna["name"], "Anna Berg");
    assert_eq!(anna["status"], "active");
    assert_eq!(anna["branch_id"], o.head_office.as_str());
    assert_eq!(
        anna["confidential"]["bank_account"], "DE89370400440532013000",
        "the IBAN is kept without spaces, in capitals"
    );
    assert_eq!(anna["confidential"]["contract"]["pay_rate"], "4200.00");
    let anna_id = anna["id"].as_str().unwrap().to_string();

    // An existing person as the second rep, with a number of our own.
    let partner = app
        .post("/api/v1/partners", &o.admin, person("Bo", "Lind"))
        .expect(201)
        .id();
    let bo = o.hire(json!({
        "partner_id": partner, "number": "S-7", "department_id": o.sales,
        "position_id": o.rep, "hired_on": "2026-03-01", "manager_id": anna_id,
    }));
    let bo_id = bo["id"].as_str().unwrap().to_string();
    let rep = o.get(&format!("/api/v1/hr/positions/{}", o.rep));
    assert_eq!(
        (rep["filled"].as_i64(), rep["vacancies"].as_i64()),
        (Some(2), Some(0))
    );
    // The same person cannot be employed twice at once; nor may a number repeat.
    app.post(
        "/api/v1/hr/employees",
        &o.admin,
        json!({"partner_id": partner, "department_id": o.sales, "hired_on": "2026-06-01"}),
    )
    .expect_problem(409, "already_employed");
    app.post(
        "/api/v1/hr/employees",
        &o.admin,
        json!({"person": person("Cy", "Moe"), "number": "S-7", "department_id": o.sales, "hired_on": "2026-06-01"}),
    )
    .expect_problem(409, "duplicate_number");
    // Bad input, each by its field, and nothing written.
    for (body, field) in [
        (
            json!({"person": {"kind": "organisation", "name": "Acme"}, "department_id": o.sales, "hired_on": "2026-06-01"}),
            "person.kind",
        ),
        (
            json!({"person": person("Di", "Ng"), "department_id": o.sales_north, "position_id": o.rep, "hired_on": "2026-06-01"}),
            "position_id",
        ),
        (
            json!({"person": person("Di", "Ng"), "department_id": o.sales, "hired_on": "2026-06-01", "bank_account": "DE89370400440532013001"}),
            "bank_account",
        ),
        (
            json!({"person": person("Di", "Ng"), "department_id": o.sales, "hired_on": "2026-06-01", "manager_id": o.sales}),
            "manager_id",
        ),
        (
            json!({"department_id": o.sales, "hired_on": "2026-06-01"}),
            "partner_id",
        ),
    ] {
        let r = app
            .post("/api/v1/hr/employees", &o.admin, body)
            .expect_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["field"], field, "{}", r.text);
    }
    let all = o.get("/api/v1/hr/employees");
    assert_eq!(all["items"].as_array().unwrap().len(), 2);

    // Bo moves north on 1 June; his old position is not in the new department.
    let transfer = |body: Value| {
        app.post(
            &format!("/api/v1/hr/employees/{bo_id}/transfers"),
            &o.admin,
            body,
        )
    };
    let r = transfer(json!({"effective_on": "2026-06-01", "department_id": o.sales_north, "reason": "opening the north"}))
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "position_id");
    let r = transfer(json!({"effective_on": "2099-06-01", "department_id": o.sales_north, "position_id": null, "reason": "later"}))
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "effective_on");
    transfer(json!({"effective_on": "2026-06-01", "department_id": o.sales_north, "position_id": null, "manager_id": null, "reason": "opening the north"}))
        .expect(201);
    let r =
        transfer(json!({"effective_on": "2026-05-01", "department_id": o.sales, "reason": "back"}))
            .expect_problem(422, "validation_failed");
    assert!(r.text.contains("2026-06-01"), "{}", r.text);
    let bo = o.get(&format!("/api/v1/hr/employees/{bo_id}"));
    assert_eq!(
        (
            bo["branch_id"].as_str(),
            bo["department_id"].as_str(),
            bo["position_id"].clone(),
            bo["manager_id"].clone()
        ),
        (
            Some(o.north.as_str()),
            Some(o.sales_north.as_str()),
            Value::Null,
            Value::Null
        )
    );
    let history = o.get(&format!("/api/v1/hr/employees/{bo_id}/assignments"));
    let steps: Vec<(&str, &str)> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["effective_on"].as_str().unwrap(),
                a["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [("2026-03-01", "hired"), ("2026-06-01", "opening the north")]
    );
    let rep = o.get(&format!("/api/v1/hr/positions/{}", o.rep));
    assert_eq!(rep["vacancies"], 1, "Bo's move freed a rep position");
    // Planning a third rep opens a second vacancy; a stale version changes nothing.
    let path = format!("/api/v1/hr/positions/{}", o.rep);
    let version = rep["version"].as_i64().unwrap();
    let planned = app
        .patch(
            &path,
            &o.admin,
            version,
            json!({"headcount": 3, "grade": "G4"}),
        )
        .expect(200)
        .body;
    assert_eq!(
        (
            planned["headcount"].as_i64(),
            planned["vacancies"].as_i64(),
            planned["grade"].as_str()
        ),
        (Some(3), Some(2), Some("G4")),
        "{planned}"
    );
    app.patch(&path, &o.admin, version, json!({"headcount": 1}))
        .expect_problem(412, "version_mismatch");
    // A department with people is not deactivated.
    let north_dept = o.get(&format!("/api/v1/hr/departments/{}", o.sales_north));
    let r = app
        .patch(
            &format!("/api/v1/hr/departments/{}", o.sales_north),
            &o.admin,
            north_dept["version"].as_i64().unwrap(),
            json!({"active": false}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "active");

    // Anna gives notice: her last day is in the future; her contract ends with it.
    let terminate = |id: &str, body: Value| {
        app.post(
            &format!("/api/v1/hr/employees/{id}/terminate"),
            &o.admin,
            body,
        )
    };
    let anna = terminate(
        &anna_id,
        json!({"terminated_on": "2099-01-31", "reason": "resignation", "note": "moving abroad"}),
    )
    .expect(200)
    .body;
    assert_eq!(anna["status"], "leaving");
    assert_eq!(anna["termination_reason"], "resignation");
    let contracts = o.get(&format!("/api/v1/hr/employees/{anna_id}/contracts"));
    assert_eq!(contracts["items"][0]["ends_on"], "2099-01-31");
    terminate(
        &anna_id,
        json!({"terminated_on": "2099-02-28", "reason": "other"}),
    )
    .expect_problem(422, "validation_failed");
    // Bo left in the past: he is terminated, and his record no longer changes.
    let r = terminate(
        &bo_id,
        json!({"terminated_on": "2026-05-31", "reason": "dismissal"}),
    )
    .expect_problem(422, "validation_failed");
    assert!(r.text.contains("latest transfer"), "{}", r.text);
    let bo = terminate(
        &bo_id,
        json!({"terminated_on": "2026-10-31", "reason": "end_of_contract"}),
    )
    .expect(200)
    .body;
    assert_eq!(bo["status"], "terminated");
    transfer(json!({"effective_on": "2026-11-01", "department_id": o.sales, "reason": "late"}))
        .expect_problem(409, "employee_terminated");
    let employed = o.get("/api/v1/hr/employees?employed=true");
    let names: Vec<&str> = employed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Anna Berg"]);
    let then = o.get("/api/v1/hr/employees?employed=true&at=2026-07-01&q=lind");
    assert_eq!(
        then["items"].as_array().unwrap().len(),
        1,
        "Bo worked in July"
    );
    // The person may be hired again once the first employment is over.
    o.hire(json!({"partner_id": partner, "department_id": o.sales, "hired_on": "2026-11-15"}));
}

#[test]
fn contracts_never_overlap_and_amendments_keep_every_term() {
    let o = org();
    let app = &o.app;
    let e = o.hire(json!({
        "person": person("Eva", "Holm"), "department_id": o.sales, "hired_on": "2026-02-01",
    }));
    let id = e["id"].as_str().unwrap().to_string();
    assert_eq!(e["confidential"]["contract"], Value::Null);
    let make = |body: Value| {
        app.post(
            &format!("/api/v1/hr/employees/{id}/contracts"),
            &o.admin,
            body,
        )
    };
    let first = make(json!({"kind": "fixed_term", "starts_on": "2026-02-01", "ends_on": "2026-12-31", "probation_ends_on": "2026-04-30", "hours_per_week": "37.5", "pay_basis": "monthly_salary", "pay_rate": "3000.00"}))
        .expect(201)
        .body;
    let branch_currency =
        app.get("/api/v1/org/branches", &o.admin).expect(200).body["items"][0]["currency"].clone();
    assert_eq!(
        first["currency"], branch_currency,
        "the company's currency by default"
    );
    assert_eq!(first["hours_per_week"], "37.5");
    // Overlapping the first, or bad terms: refused by field.
    for (body, field) in [
        (
            json!({"kind": "permanent", "starts_on": "2026-12-01", "hours_per_week": "40", "pay_basis": "hourly", "pay_rate": "21.50"}),
            "starts_on",
        ),
        (
            json!({"kind": "fixed_term", "starts_on": "2027-01-01", "hours_per_week": "40", "pay_basis": "hourly", "pay_rate": "21.50"}),
            "ends_on",
        ),
        (
            json!({"kind": "permanent", "starts_on": "2026-01-01", "hours_per_week": "40", "pay_basis": "hourly", "pay_rate": "21.50"}),
            "starts_on",
        ),
        (
            json!({"kind": "permanent", "starts_on": "2027-01-01", "hours_per_week": "0", "pay_basis": "hourly", "pay_rate": "21.50"}),
            "hours_per_week",
        ),
        (
            json!({"kind": "permanent", "starts_on": "2027-01-01", "hours_per_week": "40", "pay_basis": "monthly_salary", "pay_rate": "3000.005", "currency": "EUR"}),
            "pay_rate",
        ),
        (
            json!({"kind": "permanent", "starts_on": "2027-01-01", "hours_per_week": "40", "pay_basis": "hourly", "pay_rate": "20", "currency": "eur"}),
            "currency",
        ),
    ] {
        let r = make(body).expect_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["field"], field, "{}", r.text);
    }
    // Nothing of the refused terms was written: the contract reads back as made.
    let first_id = first["id"].as_str().unwrap();
    let read = o.get(&format!("/api/v1/hr/contracts/{first_id}"));
    assert_eq!(
        (
            read["kind"].as_str(),
            read["ends_on"].as_str(),
            read["pay_rate"].as_str(),
            read["employee_id"].as_str()
        ),
        (
            Some("fixed_term"),
            Some("2026-12-31"),
            Some("3000.00"),
            Some(id.as_str())
        ),
        "{read}"
    );
    // A raise from 1 July, and an extension with it.
    let amend = |cid: &str, body: Value| {
        app.post(&format!("/api/v1/hr/contracts/{cid}/amend"), &o.admin, body)
    };
    let r = amend(
        first_id,
        json!({"effective_on": "2026-02-01", "pay_rate": "3100.00"}),
    )
    .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "effective_on");
    let raised = amend(
        first_id,
        json!({"effective_on": "2026-07-01", "pay_rate": "3150.00", "ends_on": "2027-06-30"}),
    )
    .expect(201)
    .body;
    assert_eq!(
        (
            raised["starts_on"].as_str(),
            raised["ends_on"].as_str(),
            raised["pay_rate"].as_str(),
            raised["amends_id"].as_str()
        ),
        (
            Some("2026-07-01"),
            Some("2027-06-30"),
            Some("3150.00"),
            Some(first_id)
        )
    );
    assert_eq!(
        raised["hours_per_week"], "37.5",
        "unchanged terms carry over"
    );
    let history = o.get(&format!("/api/v1/hr/employees/{id}/contracts"));
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["ends_on"], "2026-06-30");
    assert_eq!(items[0]["probation_ends_on"], "2026-04-30");
    assert_eq!(items[0]["amended_by"], raised["id"]);
    // The ended contract cannot be amended again past its new end.
    amend(
        first_id,
        json!({"effective_on": "2026-08-01", "pay_rate": "9999.00"}),
    )
    .expect_problem(422, "validation_failed");
    // Today the raised contract is in force.
    let e = o.get(&format!("/api/v1/hr/employees/{id}"));
    assert_eq!(e["confidential"]["contract"]["pay_rate"], "3150.00");
}

struct Matrix {
    hr: TestUser,
    clerk: TestUser,
    manager: TestUser,
    staff: TestUser,
    outsider: TestUser,
    north_hr: TestUser,
}

#[test]
fn confidential_data_is_for_hr_and_the_employee_only() {
    let o = org();
    let app = &o.app;
    let m = Matrix {
        hr: UserBuilder::new("hr-lead")
            .permissions(&["hr.employee.read", "hr.confidential.read"])
            .create(app, &o.admin),
        clerk: UserBuilder::new("clerk")
            .permissions(&["hr.employee.read", "hr.employee.write"])
            .create(app, &o.admin),
        manager: UserBuilder::new("manager")
            .permissions(&["hr.employee.read", "hr.self"])
            .create(app, &o.admin),
        staff: UserBuilder::new("staff")
            .permissions(&["hr.self"])
            .create(app, &o.admin),
        outsider: UserBuilder::new("outsider")
            .permissions(&["hr.self", "crm.customer.read"])
            .create(app, &o.admin),
        north_hr: UserBuilder::new("north-hr")
            .permissions(&["hr.employee.read", "hr.confidential.read"])
            .branches(&[&o.north])
            .create(app, &o.admin),
    };
    let boss = o.hire(json!({
        "person": person("Mia", "Stark"), "department_id": o.sales, "hired_on": "2025-01-01",
        "user_id": m.manager.id, "contract": salary("2025-01-01", "6000.00"),
    }));
    // The department's manager becomes the manager of those hired into it.
    let sales = o.get(&format!("/api/v1/hr/departments/{}", o.sales));
    app.patch(
        &format!("/api/v1/hr/departments/{}", o.sales),
        &o.admin,
        sales["version"].as_i64().unwrap(),
        json!({"manager_id": boss["id"]}),
    )
    .expect(200);
    let staff = o.hire(json!({
        "person": person("Tom", "Ek"), "department_id": o.sales, "position_id": o.rep,
        "hired_on": "2026-01-01", "user_id": m.staff.id, "bank_account": "GB29NWBK60161331926819",
        "contract": salary("2026-01-01", "3300.00"),
    }));
    assert_eq!(staff["manager_id"], boss["id"]);
    let staff_id = staff["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/hr/employees/{staff_id}");
    let contracts = format!("{path}/contracts");
    let read = |user: &TestUser, p: &str| app.get(p, &user.token);

    // HR sees the salary and the bank account; the line manager and the clerk do not.
    let seen = read(&m.hr, &path).expect(200).body;
    assert_eq!(seen["confidential"]["contract"]["pay_rate"], "3300.00");
    assert_eq!(
        seen["confidential"]["bank_account"],
        "GB29NWBK60161331926819"
    );
    for user in [&m.manager, &m.clerk] {
        let seen = read(user, &path).expect(200).body;
        assert_eq!(seen["confidential"], Value::Null, "{}", user.username);
        assert_eq!(seen["name"], "Tom Ek");
        read(user, &contracts).expect_problem(403, "forbidden");
        // In a list too; only the manager's own record shows theirs.
        let list = read(user, "/api/v1/hr/employees").expect(200).body;
        for e in list["items"].as_array().unwrap() {
            let own = user.username == "manager" && e["id"] == boss["id"];
            assert_eq!(e["confidential"].is_null(), !own, "{}: {e}", user.username);
        }
    }
    read(&m.hr, &contracts).expect(200);
    // HR of another branch does not see the employee at all.
    read(&m.north_hr, &path).expect_problem(404, "not_found");
    read(&m.north_hr, &contracts).expect_problem(404, "not_found");
    // The employee sees their own record with everything, by id and as "me".
    let me = read(&m.staff, "/api/v1/hr/me").expect(200).body;
    assert_eq!(me["id"], staff_id.as_str());
    assert_eq!(me["confidential"]["contract"]["pay_rate"], "3300.00");
    assert_eq!(
        read(&m.staff, &path).expect(200).body["confidential"]["bank_account"],
        "GB29NWBK60161331926819"
    );
    let mine = read(&m.staff, "/api/v1/hr/me/contracts").expect(200).body;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    read(&m.staff, &contracts).expect(200);
    // ... but not the manager's record, nor anyone's list.
    read(
        &m.staff,
        &format!("/api/v1/hr/employees/{}", boss["id"].as_str().unwrap()),
    )
    .expect_problem(403, "forbidden");
    read(&m.staff, "/api/v1/hr/employees").expect_problem(403, "forbidden");
    // The manager sees their team through self-service, without confidential data.
    let team = read(&m.manager, "/api/v1/hr/me/team").expect(200).body;
    let items = team["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0]["name"].as_str(), items[0]["confidential"].clone()),
        (Some("Tom Ek"), Value::Null)
    );
    // A user without an employee record has no "me".
    read(&m.outsider, "/api/v1/hr/me").expect_problem(404, "not_found");
    read(&m.outsider, &path).expect_problem(403, "forbidden");
    // The clerk may link a user but not change the bank account.
    let version = read(&m.clerk, &path).expect(200).body["version"]
        .as_i64()
        .unwrap();
    app.patch(
        &path,
        &m.clerk.token,
        version,
        json!({"bank_account": "DE89370400440532013000"}),
    )
    .expect_problem(403, "forbidden");
    app.patch(&path, &m.clerk.token, version, json!({"user_id": null}))
        .expect(200);
    read(&m.staff, "/api/v1/hr/me").expect_problem(404, "not_found");
    // The same user cannot be linked to two employees.
    app.patch(
        &path,
        &o.admin,
        version + 1,
        json!({"user_id": m.manager.id}),
    )
    .expect_problem(409, "user_linked");
    // No one without the right makes contracts.
    app.post(&contracts, &m.clerk.token, salary("2027-01-01", "1.00"))
        .expect_problem(403, "forbidden");
}

#[test]
fn the_org_chart_shows_the_tree_its_managers_and_head_count_as_json_and_svg() {
    let o = org();
    let app = &o.app;
    let lab = app
        .post(
            "/api/v1/hr/departments",
            &o.admin,
            json!({"code": "RND", "name": "R&D <lab>", "branch_id": o.head_office}),
        )
        .expect(201)
        .id();
    app.post(
        "/api/v1/hr/departments",
        &o.admin,
        json!({"code": "RND-SW", "name": "Software", "branch_id": o.head_office, "parent_id": lab}),
    )
    .expect(201);
    let boss = o.hire(json!({"person": person("Ida", "Vik"), "department_id": o.sales, "position_id": o.rep, "hired_on": "2026-01-01"}));
    let sales = o.get(&format!("/api/v1/hr/departments/{}", o.sales));
    app.patch(
        &format!("/api/v1/hr/departments/{}", o.sales),
        &o.admin,
        sales["version"].as_i64().unwrap(),
        json!({"manager_id": boss["id"]}),
    )
    .expect(200);
    o.hire(
        json!({"person": person("Al", "Sand"), "department_id": o.sales, "hired_on": "2026-02-01"}),
    );

    let chart = o.get("/api/v1/hr/org-chart");
    let units: Vec<(&str, i64, i64, i64)> = chart["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["code"].as_str().unwrap(),
                u["depth"].as_i64().unwrap(),
                u["planned"].as_i64().unwrap(),
                u["filled"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        units,
        [
            ("RND", 0, 0, 0),
            ("RND-SW", 1, 0, 0),
            ("SALES", 0, 2, 2),
            ("SALES-N", 0, 0, 0)
        ]
    );
    let sales_unit = &chart["units"][2];
    assert_eq!(sales_unit["manager"]["name"], "Ida Vik");
    let members: Vec<(&str, Option<&str>)> = sales_unit["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap(), m["position"].as_str()))
        .collect();
    assert_eq!(members, [("Al Sand", None), ("Ida Vik", Some("Sales rep"))]);
    // One branch only.
    let north = o.get(&format!("/api/v1/hr/org-chart?branch_id={}", o.north));
    assert_eq!(north["units"].as_array().unwrap().len(), 1);

    let svg = app.send(
        "GET",
        "/api/v1/hr/org-chart",
        Some(&o.admin),
        None,
        &Req {
            headers: vec![("Accept".into(), "image/svg+xml".into())],
            ..Default::default()
        },
    );
    assert_eq!(svg.status, 200);
    assert!(svg
        .header("content-type")
        .unwrap()
        .starts_with("image/svg+xml"));
    assert!(svg
        .text
        .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(
        svg.text.contains("R&amp;D &lt;lab&gt;"),
        "names are escaped: {}",
        svg.text
    );
    assert!(svg.text.contains("Ida Vik"));
    assert!(svg.text.contains("2 of 2 filled"));
    assert_eq!(svg.text.matches("<rect").count(), 4);
    assert_eq!(
        svg.text.matches("<path").count(),
        1,
        "one line, from R&D to Software"
    );
    // Without the right, no chart.
    let outsider = UserBuilder::new("nobody")
        .permissions(&["hr.self"])
        .create(app, &o.admin);
    app.get("/api/v1/hr/org-chart", &outsider.token)
        .expect_problem(403, "forbidden");
}

#[test]
fn a_transfer_scheduled_ahead_moves_the_employee_on_its_day() {
    let o = org();
    let app = &o.app;
    let today = chrono::Utc::now().date_naive();
    let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
    let hire = |first: &str| {
        o.hire(json!({"person": person(first, "Later"), "department_id": o.sales, "hired_on": day(-30), "contract": salary(&day(-30), "3000.00")}))["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (cy, dee) = (hire("Cy"), hire("Dee"));
    let transfer = |who: &str, body: Value| {
        app.post(
            &format!("/api/v1/hr/employees/{who}/transfers"),
            &o.admin,
            body,
        )
    };
    let ahead = transfer(&cy, json!({"effective_on": day(10), "department_id": o.sales_north, "reason": "opening the north"}))
        .expect(201)
        .body;
    assert_eq!(ahead["scheduled"], true);
    // Until the day, Cy is where he was; his history shows what is coming.
    let cy_now = o.get(&format!("/api/v1/hr/employees/{cy}"));
    assert_eq!(cy_now["department_id"].as_str(), Some(o.sales.as_str()));
    let history = o.get(&format!("/api/v1/hr/employees/{cy}/assignments"));
    let scheduled: Vec<bool> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["scheduled"].as_bool().unwrap())
        .collect();
    assert_eq!(scheduled, [false, true]);
    transfer(
        &cy,
        json!({"effective_on": day(20), "department_id": o.sales, "reason": "again"}),
    )
    .expect_problem(409, "transfer_scheduled");
    let r = app
        .post(
            &format!("/api/v1/hr/employees/{cy}/terminate"),
            &o.admin,
            json!({"terminated_on": day(5), "reason": "resignation"}),
        )
        .expect_problem(422, "validation_failed");
    assert!(r.text.contains(&day(10)), "{}", r.text);

    // Dee's transfer is called off; a transfer in the history cannot be.
    let off = transfer(
        &dee,
        json!({"effective_on": day(3), "department_id": o.sales_north, "reason": "maybe"}),
    )
    .expect(201)
    .id();
    app.delete(
        &format!("/api/v1/hr/employees/{dee}/transfers/{off}"),
        &o.admin,
    )
    .expect(204);
    let hire_step = o.get(&format!("/api/v1/hr/employees/{dee}/assignments"))["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.delete(
        &format!("/api/v1/hr/employees/{dee}/transfers/{hire_step}"),
        &o.admin,
    )
    .expect_problem(409, "transfer_applied");

    // The day comes (the server checks every minute; here its check runs for that day).
    let db = app.db();
    let mut conn = db.get().unwrap();
    let moved = erp_hr::employee::service::apply_due_transfers(
        &mut conn,
        today + chrono::Duration::days(10),
    )
    .unwrap();
    assert_eq!(moved, 1, "Cy alone: Dee's was cancelled");
    let cy_then = o.get(&format!("/api/v1/hr/employees/{cy}"));
    assert_eq!(
        (
            cy_then["branch_id"].as_str(),
            cy_then["department_id"].as_str()
        ),
        (Some(o.north.as_str()), Some(o.sales_north.as_str()))
    );
    let dee_then = o.get(&format!("/api/v1/hr/employees/{dee}"));
    assert_eq!(dee_then["department_id"].as_str(), Some(o.sales.as_str()));
    assert_eq!(
        erp_hr::employee::service::apply_due_transfers(
            &mut conn,
            today + chrono::Duration::days(10)
        )
        .unwrap(),
        0,
        "once only"
    );
}

#[test]
fn employees_are_imported_from_csv_all_or_nothing() {
    let o = org();
    let app = &o.app;
    let import = |token: &str, csv: &str| {
        app.send(
            "POST",
            "/api/v1/hr/import/employees",
            Some(token),
            None,
            &Req {
                raw_body: Some(("text/csv".into(), csv.to_string())),
                ..Default::default()
            },
        )
    };
    let head = "number,first_name,last_name,email,department,position,manager,hired_on,bank_account,contract_kind,hours_per_week,pay_basis,pay_rate\n";
    let boss = "M-001,Mia,Boss,mia@example.com,SALES,,,2020-03-01,DE89370400440532013000,permanent,40,monthly_salary,5200.00\n";
    let rep = "R-001,Rob,Rep,,SALES,REP,M-001,2024-09-01,,permanent,30,monthly_salary,2900.00\n";
    let north = "N-001,Nia,North,,SALES-N,,M-001,2025-01-15,,,,,\n";
    let count = || {
        o.get("/api/v1/hr/employees")["items"]
            .as_array()
            .unwrap()
            .len()
    };
    // Each bad row is named, and nothing is written.
    let bad = [
        (
            format!("{head}{boss}{rep}N-002,Ned,Nowhere,,NOPE,,,2025-01-15,,,,,\n"),
            "rows[3].department",
        ),
        (
            format!("{head}{boss}R-002,Rex,Rep,,SALES,,M-009,2024-09-01,,,,,\n"),
            "rows[2].manager",
        ),
        (
            format!(
                "{head}{boss}R-003,Ray,Rep,,SALES,,,2024-09-01,,permanent,40,monthly_salary,\n"
            ),
            "rows[2].pay_rate",
        ),
        (
            format!("{head}M-002,Max,Boss,,SALES,,,2020-03-01,DE00123,,,,\n"),
            "rows[1].bank_account",
        ),
    ];
    for (csv, field) in bad {
        let r = import(&o.admin, &csv).expect_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["field"], field, "{}", r.text);
    }
    let r = import(&o.admin, "first_name,surname\nA,B\n").expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "columns.surname");
    assert_eq!(count(), 0);
    // Contracts are confidential: a clerk without the right imports none.
    let clerk = UserBuilder::new("clerk")
        .permissions(&["hr.employee.read", "hr.employee.write"])
        .create(app, &o.admin);
    let r = import(&clerk.token, &format!("{head}{boss}")).expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "rows[1]", "{}", r.text);
    assert_eq!(count(), 0);

    let r = import(&o.admin, &format!("{head}{boss}{rep}{north}"))
        .expect(200)
        .body;
    assert_eq!(r["imported"], 3);
    let all = o.get("/api/v1/hr/employees");
    let by_number = |n: &str| {
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["number"] == n)
            .unwrap()
            .clone()
    };
    let (mia, rob, nia) = (by_number("M-001"), by_number("R-001"), by_number("N-001"));
    assert_eq!(rob["manager_id"], mia["id"]);
    assert_eq!(rob["position_id"].as_str(), Some(o.rep.as_str()));
    assert_eq!(
        (nia["branch_id"].as_str(), nia["manager_id"].clone()),
        (Some(o.north.as_str()), mia["id"].clone())
    );
    let contracts = o.get(&format!(
        "/api/v1/hr/employees/{}/contracts",
        rob["id"].as_str().unwrap()
    ));
    let c = &contracts["items"][0];
    assert_eq!(
        (
            c["starts_on"].as_str(),
            c["hours_per_week"].as_str(),
            c["pay_rate"].as_str()
        ),
        (Some("2024-09-01"), Some("30"), Some("2900.00"))
    );
    // Numbers are unique: the same file again is refused whole.
    let r = import(&o.admin, &format!("{head}{boss}")).expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "rows[1]", "{}", r.text);
}

#[test]
fn staff_load_in_bulk_all_or_nothing() {
    let o = org();
    let app = &o.app;
    let staff = || {
        app.get("/api/v1/hr/employees?limit=500", &o.admin)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = staff();
    let new = |first: &str, dept: &str| json!({"person": person(first, "Bulk"), "department_id": dept, "hired_on": "2026-03-01"});
    let mut unknown_position = new("Bo", &o.sales);
    unknown_position["position_id"] = json!(uuid::Uuid::now_v7());
    let r = app
        .post(
            "/api/v1/hr/employees/batch",
            &o.admin,
            json!({"employees": [new("Ada", &o.sales), unknown_position, new("Cy", &uuid::Uuid::now_v7().to_string())]}),
        )
        .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert!(fields[0].starts_with("employees[1]."), "{}", r.body);
    assert!(
        fields.last().unwrap().starts_with("employees[2]"),
        "{}",
        r.body
    );
    assert!(fields.iter().all(|f| !f.starts_with("employees[0]")));
    assert_eq!(staff(), before, "Ada was not hired either");
    let made = app
        .post(
            "/api/v1/hr/employees/batch",
            &o.admin,
            json!({"employees": [new("Ada", &o.sales), new("Bea", &o.sales_north)]}),
        )
        .expect(201);
    let hired = made.body["employees"].as_array().unwrap();
    assert_eq!(hired.len(), 2);
    let bea = o.get(&format!(
        "/api/v1/hr/employees/{}",
        hired[1]["id"].as_str().unwrap()
    ));
    assert_eq!(bea["department_id"], o.sales_north);
    assert_eq!(staff(), before + 2);
}

#[test]
fn a_filter_naming_nothing_or_another_branchs_record_is_not_found_on_every_hr_list() {
    let o = org();
    let app = &o.app;
    let anna = o.hire(json!({
        "person": person("Anna", "Berg"),
        "department_id": o.sales,
        "position_id": o.rep,
        "hired_on": "2026-01-01",
        "contract": salary("2026-01-01", "4200.00"),
    }))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (branch, sales) = (Some(o.head_office.as_str()), Some(o.sales.as_str()));
    let employee = Some(anna.as_str());
    let span = "from=2026-03-01&to=2026-03-31";
    for (path, param, real, entity) in [
        ("/api/v1/hr/employees", "branch_id", branch, "branch"),
        ("/api/v1/hr/employees", "department_id", sales, "department"),
        (
            "/api/v1/hr/employees",
            "position_id",
            Some(o.rep.as_str()),
            "position",
        ),
        ("/api/v1/hr/employees", "manager_id", employee, "employee"),
        ("/api/v1/hr/departments", "branch_id", branch, "branch"),
        ("/api/v1/hr/departments", "parent_id", sales, "department"),
        ("/api/v1/hr/positions", "department_id", sales, "department"),
        ("/api/v1/hr/holidays", "branch_id", branch, "branch"),
        ("/api/v1/hr/org-chart", "branch_id", branch, "branch"),
        (
            "/api/v1/hr/leave-requests",
            "employee_id",
            employee,
            "employee",
        ),
        (
            "/api/v1/hr/leave-requests",
            "department_id",
            sales,
            "department",
        ),
        (
            &format!("/api/v1/hr/leave-calendar?{span}"),
            "department_id",
            sales,
            "department",
        ),
        (
            &format!("/api/v1/hr/attendance?{span}"),
            "employee_id",
            employee,
            "employee",
        ),
        (
            // The daily roster of a real employee needs a work calendar (hr_attendance).
            &format!("/api/v1/hr/attendance/daily?{span}"),
            "employee_id",
            None,
            "employee",
        ),
        (
            &format!("/api/v1/hr/attendance/daily?{span}"),
            "department_id",
            None,
            "department",
        ),
        (
            &format!("/api/v1/hr/timesheets?{span}"),
            "employee_id",
            employee,
            "employee",
        ),
    ] {
        check_id_filter(app, &o.admin, path, param, real, entity);
    }
    // For a user of the north branch, the head office's department and branch are absent.
    let north_hr = UserBuilder::new("north-hr")
        .permissions(&["hr.employee.read"])
        .branches(&[&o.north])
        .create(app, &o.admin);
    for list in [
        format!("/api/v1/hr/employees?department_id={}", o.sales),
        format!("/api/v1/hr/employees?branch_id={}", o.head_office),
        format!("/api/v1/hr/org-chart?branch_id={}", o.head_office),
    ] {
        app.get(&list, &north_hr.token)
            .expect_problem(404, "not_found");
    }
    app.get(
        &format!("/api/v1/hr/employees?department_id={}", o.sales_north),
        &north_hr.token,
    )
    .expect(200);
}

#[test]
fn employees_exported_import_into_another_company_and_export_the_same() {
    let import = |o: &Org, csv: &str| {
        o.app
            .send(
                "POST",
                "/api/v1/hr/import/employees",
                Some(&o.admin),
                None,
                &Req {
                    raw_body: Some(("text/csv".into(), csv.to_string())),
                    ..Default::default()
                },
            )
            .expect(200)
    };
    let export = |o: &Org, token: &str| {
        let (status, _, body) = o.app.get_bytes("/api/v1/hr/export/employees", token);
        assert_eq!(status, 200);
        String::from_utf8(body).unwrap()
    };
    let here = org();
    let head = "number,first_name,last_name,email,phone,department,position,manager,hired_on,birth_date,bank_account,contract_kind,hours_per_week,pay_basis,pay_rate\n";
    // The rep is hired before the boss who later becomes their manager.
    import(&here, &format!("{head}R-001,Rob,Rep,rob@example.com,+49 30 1234567,SALES,REP,,2024-09-01,1990-05-17,,permanent,30,monthly_salary,2900.00\n"));
    import(&here, &format!("{head}M-001,Mia,Boss,,,SALES,,,2020-03-01,,DE89370400440532013000,permanent,40,monthly_salary,5200.00\nN-001,Nia,North,,,SALES-N,,M-001,2025-01-15,,,,,,\n"));
    let all = here.get("/api/v1/hr/employees")["items"].clone();
    let id_of = |n: &str| {
        all.as_array()
            .unwrap()
            .iter()
            .find(|e| e["number"] == n)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    here.app
        .post(
            &format!("/api/v1/hr/employees/{}/transfers", id_of("R-001")),
            &here.admin,
            json!({"effective_on": "2025-01-01", "department_id": here.sales, "manager_id": id_of("M-001"), "reason": "new boss"}),
        )
        .expect(201);
    let exported = export(&here, &here.admin);
    let numbers: Vec<&str> = exported
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        numbers,
        ["M-001", "R-001", "N-001"],
        "each manager before their reports"
    );
    let rob = exported.lines().find(|l| l.starts_with("R-001")).unwrap();
    assert_eq!(
        rob,
        "R-001,Rob,Rep,rob@example.com,+49 30 1234567,SALES,REP,M-001,2024-09-01,,1990-05-17,,permanent,,,30,monthly_salary,2900.00,EUR,",
        "{exported}"
    );

    // Another company with the same codes takes the file as it is.
    let there = org();
    import(&there, &exported);
    assert_eq!(export(&there, &there.admin), exported);

    // Without the right to confidential data: no birth dates, bank accounts or contracts.
    let clerk = UserBuilder::new("clerk")
        .permissions(&["hr.employee.read"])
        .create(&here.app, &here.admin);
    let plain = export(&here, &clerk.token);
    assert!(
        !plain.contains("DE89")
            && !plain.contains("1990-05-17")
            && !plain.contains("monthly_salary"),
        "{plain}"
    );
    assert_eq!(plain.lines().count(), 4);
}
