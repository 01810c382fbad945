//! HR benchmark: a pay run for many employees (compute, approve, post to the ledger) and their
//! leave balances at a date, through the API. Not a test; results go to docs/benchmarks.md.
//!
//! cargo run --release -p erp-tests --bin bench-hr -- [employees]
//! (PostgreSQL: set ERP_TEST_DATABASE_URL as for the tests.)

use std::sync::Arc;
use std::time::{Duration, Instant};

use erp_tests::bench::report;
use erp_tests::TestApp;
use serde_json::{json, Value};

fn id_of(v: &Value, key: &str, value: &str) -> String {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x[key] == value)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn main() {
    let employees: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let clients = 8;
    let app = Arc::new(TestApp::spawn());
    println!("backend: {}", erp_tests::bench::backend(&app));
    let admin = app.admin_token();
    app.post(
        "/api/v1/finance/setup",
        &admin,
        json!({"fiscal_year": 2026}),
    )
    .expect(200);
    let accounts = app
        .get("/api/v1/finance/accounts?limit=500", &admin)
        .expect(200)
        .body;
    let acc = |code: &str| id_of(&accounts, "code", code);
    let branch = app.get("/api/v1/org/branches", &admin).expect(200).body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        "/api/v1/hr/calendars",
        &admin,
        json!({"code": "OFFICE", "name": "Office", "hours": {"mon": "8", "tue": "8", "wed": "8", "thu": "8", "fri": "8", "sat": "0", "sun": "0"}}),
    )
    .expect(201);
    let annual = app
        .post(
            "/api/v1/hr/leave-types",
            &admin,
            json!({"code": "ANNUAL", "name": "Annual", "days_per_year": "25", "carry_over_cap": "5", "carry_over_expires_month": 3}),
        )
        .expect(201)
        .id();
    for body in [
        json!({"code": "SALARY", "name": "Salary", "kind": "earning", "method": "salary", "expense_account_id": acc("6000"), "sequence": 10}),
        json!({"code": "OT", "name": "Overtime", "kind": "earning", "method": "overtime", "expense_account_id": acc("6000"), "sequence": 20}),
        json!({"code": "SS", "name": "Social security", "kind": "deduction", "method": "percent", "rate": "9.3", "cap": "5000", "liability_account_id": acc("2310"), "sequence": 40}),
        json!({"code": "TAX", "name": "Income tax", "kind": "deduction", "method": "brackets", "basis": "gross_less_deductions",
               "brackets": [{"over": "0", "rate": "0"}, {"over": "1000", "rate": "20"}, {"over": "2000", "rate": "30"}],
               "liability_account_id": acc("2310"), "sequence": 50}),
        json!({"code": "ER", "name": "Employer", "kind": "employer", "method": "percent", "rate": "20", "expense_account_id": acc("6100"), "liability_account_id": acc("2310"), "sequence": 60}),
    ] {
        app.post("/api/v1/hr/pay-components", &admin, body)
            .expect(201);
    }
    let departments: Vec<String> = (0..20)
        .map(|d| {
            app.post(
                "/api/v1/hr/departments",
                &admin,
                json!({"code": format!("D{d:02}"), "name": format!("Department {d}"), "branch_id": branch, "cost_center": format!("CC{d:02}")}),
            )
            .expect(201)
            .id()
        })
        .collect();

    // Hiring, 8 clients: each employee with a contract; every tenth one with a week of leave.
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let (app, admin, departments, annual) =
                (app.clone(), admin.clone(), departments.clone(), annual.clone());
            std::thread::spawn(move || {
                let mut samples = Vec::new();
                let mut ids = Vec::new();
                for i in (c..employees).step_by(clients) {
                    let t = Instant::now();
                    let e = app
                        .post(
                            "/api/v1/hr/employees",
                            &admin,
                            json!({"person": {"kind": "person", "first_name": format!("E{i}"), "last_name": "Bench"},
                                   "department_id": departments[i % departments.len()], "hired_on": "2026-01-01", "bank_account": "DE89370400440532013000",
                                   "contract": {"kind": "permanent", "starts_on": "2026-01-01", "hours_per_week": if i % 5 == 0 { "30" } else { "40" },
                                                "pay_basis": "monthly_salary", "pay_rate": format!("{}.00", 2500 + (i % 40) * 50)}}),
                        )
                        .expect(201)
                        .id();
                    samples.push(t.elapsed());
                    if i % 10 == 0 {
                        let r = app
                            .post(
                                "/api/v1/hr/leave-requests",
                                &admin,
                                json!({"employee_id": e, "leave_type_id": annual, "starts_on": "2026-11-09", "ends_on": "2026-11-13"}),
                            )
                            .expect(201)
                            .id();
                        app.post(&format!("/api/v1/hr/leave-requests/{r}/approve"), &admin, json!({}))
                            .expect(200);
                    }
                    ids.push(e);
                }
                (samples, ids)
            })
        })
        .collect();
    let mut hires = Vec::new();
    let mut ids = Vec::new();
    for h in handles {
        let (s, i) = h.join().unwrap();
        hires.extend(s);
        ids.extend(i);
    }
    report(
        "POST /hr/employees (with contract), 8 clients",
        hires,
        started.elapsed(),
    );

    // The pay run of November: computed (three times, deleting the draft between), then
    // approved and posted.
    let mut runs = Vec::new();
    let mut run_id = String::new();
    for attempt in 0..3 {
        let t = Instant::now();
        let run = app
            .post(
                "/api/v1/hr/pay-runs",
                &admin,
                json!({"branch_id": branch, "year": 2026, "month": 11, "payable_account_id": acc("2300")}),
            )
            .expect(201)
            .body;
        runs.push(t.elapsed());
        assert_eq!(run["payslips"].as_array().unwrap().len(), employees);
        run_id = run["id"].as_str().unwrap().to_string();
        if attempt < 2 {
            app.delete(&format!("/api/v1/hr/pay-runs/{run_id}"), &admin)
                .expect(204);
        }
    }
    let wall: Duration = runs.iter().sum();
    report(
        &format!("POST /hr/pay-runs, {employees} employees"),
        runs,
        wall,
    );
    app.post(
        &format!("/api/v1/hr/pay-runs/{run_id}/approve"),
        &admin,
        json!({}),
    )
    .expect(200);
    let t = Instant::now();
    let posted = app
        .post(
            &format!("/api/v1/hr/pay-runs/{run_id}/post"),
            &admin,
            json!({}),
        )
        .expect(200)
        .body;
    let post = t.elapsed();
    report(
        "POST /hr/pay-runs/{id}/post (one ledger entry)",
        vec![post],
        post,
    );
    println!("net pay of the run: {}", posted["net"]);

    // The bank file of the run, then the run paid out: a payment (and its ledger entry) per
    // payslip.
    let t = Instant::now();
    let file = app.get(&format!("/api/v1/hr/pay-runs/{run_id}/bank-file"), &admin);
    let took = t.elapsed();
    assert_eq!(file.expect(200).text.lines().count(), employees + 1);
    report("GET /hr/pay-runs/{id}/bank-file (CSV)", vec![took], took);
    let t = Instant::now();
    let paid = app
        .post(
            &format!("/api/v1/hr/pay-runs/{run_id}/pay"),
            &admin,
            json!({"account_id": acc("1100"), "payment_date": "2026-11-30"}),
        )
        .expect(200)
        .body;
    let took = t.elapsed();
    assert_eq!(paid["paid_on"], "2026-11-30");
    report(
        &format!("POST /hr/pay-runs/{{id}}/pay, {employees} payments"),
        vec![took],
        took,
    );

    // Leave balances of every employee at a date, 8 clients.
    let ids = Arc::new(ids);
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let (app, admin, ids) = (app.clone(), admin.clone(), ids.clone());
            std::thread::spawn(move || {
                let mut samples = Vec::new();
                for i in (c..ids.len()).step_by(clients) {
                    let t = Instant::now();
                    app.get(
                        &format!(
                            "/api/v1/hr/employees/{}/leave-balances?at=2026-12-31",
                            ids[i]
                        ),
                        &admin,
                    )
                    .expect(200);
                    samples.push(t.elapsed());
                }
                samples
            })
        })
        .collect();
    let samples: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    report(
        &format!("GET leave-balances of all {employees}, 8 clients"),
        samples,
        started.elapsed(),
    );
}
