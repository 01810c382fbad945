//! Payroll worked by hand: a monthly salary with overtime (from attendance), unpaid leave,
//! social security capped, a progressive income tax table and the employer's contribution;
//! a mid-month start paid for its days. The run is computed, approved and posted to the
//! ledger in one balanced entry (expenses by cost center, liabilities, net pay by employee);
//! a posted month is final. Payslips are for HR and, once approved, for the employee.

use erp_tests::builders::UserBuilder;
use erp_tests::finance::{books, closing_of, Books};
use erp_tests::{Req, Resp};
use serde_json::{json, Value};

struct Payroll {
    b: Books,
    branch: String,
    dept: String,
}

fn payroll() -> Payroll {
    let b = books();
    let (app, admin) = (&b.app, &b.admin);
    let branch = app.get("/api/v1/org/branches", admin).expect(200).body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        "/api/v1/hr/calendars",
        admin,
        json!({"code": "OFFICE", "name": "Office week", "hours": {"mon": "8", "tue": "8", "wed": "8", "thu": "8", "fri": "8", "sat": "0", "sun": "0"}}),
    )
    .expect(201);
    app.post(
        "/api/v1/hr/overtime-rules",
        admin,
        json!({"code": "OT125", "name": "Over 8 hours", "per": "day", "threshold": "8", "rate": "1.25"}),
    )
    .expect(201);
    let dept = app
        .post(
            "/api/v1/hr/departments",
            admin,
            json!({"code": "PLANT", "name": "Plant", "branch_id": branch, "cost_center": "CC-PLANT"}),
        )
        .expect(201)
        .id();
    let acc = |code: &str| b.accounts[code].clone();
    let component = |body: Value| {
        app.post("/api/v1/hr/pay-components", admin, body)
            .expect(201)
    };
    component(
        json!({"code": "SALARY", "name": "Salary", "kind": "earning", "method": "salary", "expense_account_id": acc("6000"), "sequence": 10}),
    );
    component(
        json!({"code": "OT", "name": "Overtime", "kind": "earning", "method": "overtime", "expense_account_id": acc("6000"), "sequence": 20}),
    );
    component(
        json!({"code": "UNPAID", "name": "Unpaid leave", "kind": "earning", "method": "unpaid_leave", "expense_account_id": acc("6000"), "sequence": 30}),
    );
    component(
        json!({"code": "SS", "name": "Social security", "kind": "deduction", "method": "percent", "rate": "9.3", "cap": "5000", "liability_account_id": acc("2310"), "sequence": 40}),
    );
    component(
        json!({"code": "TAX", "name": "Income tax", "kind": "deduction", "method": "brackets", "basis": "gross_less_deductions",
                     "brackets": [{"over": "0", "rate": "0"}, {"over": "1000", "rate": "20"}, {"over": "2000", "rate": "30"}],
                     "liability_account_id": acc("2310"), "sequence": 50}),
    );
    component(
        json!({"code": "ER", "name": "Employer social security", "kind": "employer", "method": "percent", "rate": "20",
                     "expense_account_id": acc("6100"), "liability_account_id": acc("2310"), "sequence": 60}),
    );
    Payroll { b, branch, dept }
}

impl Payroll {
    fn hire(&self, first: &str, from: &str, user: Option<&str>) -> String {
        self.b
            .app
            .post(
                "/api/v1/hr/employees",
                &self.b.admin,
                json!({"person": {"kind": "person", "first_name": first, "last_name": "Pay"},
                       "department_id": self.dept, "hired_on": from, "user_id": user,
                       "contract": {"kind": "permanent", "starts_on": from, "hours_per_week": "40", "pay_basis": "monthly_salary", "pay_rate": "3000.00"}}),
            )
            .expect(201)
            .id()
    }

    fn run(&self, month: i32) -> Resp {
        self.b.app.post(
            "/api/v1/hr/pay-runs",
            &self.b.admin,
            json!({"branch_id": self.branch, "year": 2026, "month": month, "payable_account_id": self.b.accounts["2300"]}),
        )
    }
}

#[test]
fn a_month_of_pay_is_computed_to_the_cent_and_posted_in_one_balanced_entry() {
    let p = payroll();
    let (app, admin) = (&p.b.app, &p.b.admin);
    let anna_user = UserBuilder::new("anna")
        .permissions(&["hr.self"])
        .create(app, admin);
    let anna = p.hire("Anna", "2026-01-01", Some(&anna_user.id));
    let ben = p.hire("Ben", "2026-11-16", None);
    // Anna: five days of 10 hours in the first week of November (10 hours over 8), and two
    // days of unpaid leave.
    for day in ["02", "03", "04", "05", "06"] {
        app.post(
            "/api/v1/hr/attendance",
            admin,
            json!({"employee_id": anna, "check_in": format!("2026-11-{day}T08:00:00Z"), "check_out": format!("2026-11-{day}T18:00:00Z")}),
        )
        .expect(201);
    }
    let unpaid = app
        .post(
            "/api/v1/hr/leave-types",
            admin,
            json!({"code": "UNPAID", "name": "Unpaid leave", "paid": false, "days_per_year": "0", "allow_negative": true}),
        )
        .expect(201)
        .id();
    let leave = app
        .post(
            "/api/v1/hr/leave-requests",
            admin,
            json!({"employee_id": anna, "leave_type_id": unpaid, "starts_on": "2026-11-09", "ends_on": "2026-11-10"}),
        )
        .expect(201)
        .id();
    app.post(
        &format!("/api/v1/hr/leave-requests/{leave}/approve"),
        admin,
        json!({}),
    )
    .expect(200);

    let run = p.run(11).expect(201).body;
    assert_eq!(run["status"], "draft");
    let slips = run["payslips"].as_array().unwrap();
    let by_name = |name: &str| {
        slips
            .iter()
            .find(|s| s["employee_name"] == name)
            .unwrap()
            .clone()
    };
    let a = by_name("Anna Pay");
    // 3000 + 10 h × 3000 × 12 / 52 / 40 × 1.25 (216.35) - 2 days × 3000 / 21 (285.71).
    assert_eq!(
        (
            a["gross"].as_str(),
            a["deductions"].as_str(),
            a["net"].as_str(),
            a["employer"].as_str()
        ),
        (
            Some("2930.64"),
            Some("669.98"),
            Some("2260.66"),
            Some("586.13")
        )
    );
    // Ben from the 16th: 15 of 30 days; 9.3 % = 139.50; tax 20 % of 360.50 = 72.10.
    let bn = by_name("Ben Pay");
    assert_eq!(
        (
            bn["days_employed"].as_i64(),
            bn["gross"].as_str(),
            bn["net"].as_str(),
            bn["employer"].as_str()
        ),
        (Some(15), Some("1500.00"), Some("1288.40"), Some("300.00"))
    );
    assert_eq!(
        (
            run["gross"].as_str(),
            run["deductions"].as_str(),
            run["net"].as_str(),
            run["employer"].as_str()
        ),
        (
            Some("4430.64"),
            Some("881.58"),
            Some("3549.06"),
            Some("886.13")
        )
    );
    // The payslip: every line with its basis.
    let slip = app
        .get(
            &format!("/api/v1/hr/payslips/{}", a["id"].as_str().unwrap()),
            admin,
        )
        .expect(200)
        .body;
    let lines: Vec<(&str, &str)> = slip["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["component"].as_str().unwrap(),
                l["amount"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("SALARY", "3000.00"),
            ("OT", "216.35"),
            ("UNPAID", "-285.71"),
            ("SS", "272.55"),
            ("TAX", "397.43"),
            ("ER", "586.13")
        ]
    );
    assert_eq!(
        slip["lines"][4]["base"], "2658.09",
        "tax on gross less social security"
    );
    assert_eq!(slip["lines"][1]["quantity"], "10");

    // Draft payslips are not the employee's yet; one run per month; a draft is not posted.
    let mine = app
        .get("/api/v1/hr/me/payslips", &anna_user.token)
        .expect(200)
        .body;
    assert_eq!(mine["items"].as_array().unwrap().len(), 0);
    p.run(11).expect_problem(409, "pay_run_exists");
    let id = run["id"].as_str().unwrap();
    app.post(&format!("/api/v1/hr/pay-runs/{id}/post"), admin, json!({}))
        .expect_problem(409, "invalid_state");
    app.post(
        &format!("/api/v1/hr/pay-runs/{id}/approve"),
        admin,
        json!({}),
    )
    .expect(200);
    let mine = app
        .get("/api/v1/hr/me/payslips", &anna_user.token)
        .expect(200)
        .body;
    assert_eq!(mine["items"][0]["net"], "2260.66");
    let ben_slip = format!("/api/v1/hr/payslips/{}", bn["id"].as_str().unwrap());
    app.get(&ben_slip, &anna_user.token)
        .expect_problem(404, "not_found");

    // Posted: one entry; the ledger balances and holds the run's totals.
    let posted = app
        .post(&format!("/api/v1/hr/pay-runs/{id}/post"), admin, json!({}))
        .expect(200)
        .body;
    assert_eq!(posted["status"], "posted");
    let entry = app
        .get(
            &format!(
                "/api/v1/finance/entries/{}",
                posted["entry_id"].as_str().unwrap()
            ),
            admin,
        )
        .expect(200)
        .body;
    assert_eq!(entry["entry_date"], "2026-11-30");
    let salary_lines: Vec<&Value> = entry["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["account_code"] == "6000")
        .collect();
    assert!(
        salary_lines.iter().all(|l| l["cost_center"] == "CC-PLANT"),
        "{entry}"
    );
    let tb = p.b.trial_balance("2026-11-01", "2026-11-30");
    assert_eq!(tb["total_debit"], tb["total_credit"]);
    assert_eq!(closing_of(&tb, "6000"), "4430.64");
    assert_eq!(closing_of(&tb, "6100"), "886.13");
    assert_eq!(closing_of(&tb, "2310").trim_start_matches('-'), "1767.71");
    assert_eq!(closing_of(&tb, "2300").trim_start_matches('-'), "3549.06");
    // A posted month is final.
    p.run(11).expect_problem(409, "period_paid");

    // The bank file: one transfer per employee, refused while someone has no bank account.
    let bank_file = || app.get(&format!("/api/v1/hr/pay-runs/{id}/bank-file"), admin);
    let r = bank_file().expect_problem(422, "validation_failed");
    assert!(
        r.text.contains("EMP-2026-000001") && r.text.contains("EMP-2026-000002"),
        "{}",
        r.text
    );
    for (employee, iban) in [
        (&anna, "DE89370400440532013000"),
        (&ben, "GB29NWBK60161331926819"),
    ] {
        let path = format!("/api/v1/hr/employees/{employee}");
        let version = app.get(&path, admin).expect(200).body["version"]
            .as_i64()
            .unwrap();
        app.patch(&path, admin, version, json!({"bank_account": iban}))
            .expect(200);
    }
    let file = bank_file().expect(200);
    assert!(file.header("content-type").unwrap().starts_with("text/csv"));
    let mut rows: Vec<&str> = file.text.lines().collect();
    rows.sort();
    assert_eq!(
        rows,
        [
            "Anna Pay,DE89370400440532013000,2260.66,EUR,Salary 2026-11 EMP-2026-000001",
            "Ben Pay,GB29NWBK60161331926819,1288.40,EUR,Salary 2026-11 EMP-2026-000002",
            "name,iban,amount,currency,reference",
        ]
    );
    // The printable payslip.
    let html = app.send(
        "GET",
        &format!("/api/v1/hr/payslips/{}", a["id"].as_str().unwrap()),
        Some(&anna_user.token),
        None,
        &Req {
            headers: vec![("Accept".into(), "text/html".into())],
            ..Default::default()
        },
    );
    assert_eq!(html.status, 200);
    assert!(html.text.starts_with("<!DOCTYPE html>"));
    assert!(html.text.contains("Anna Pay (EMP-2026-000001)") && html.text.contains("2260.66"));
    // The payslip as PDF: hers to read, every line and total as the JSON gives them; Ben's
    // is not.
    let slip_json = app
        .get(
            &format!("/api/v1/hr/payslips/{}", a["id"].as_str().unwrap()),
            &anna_user.token,
        )
        .expect(200)
        .body;
    let (status, content_type, bytes) = app.get_bytes(
        &format!("/api/v1/hr/payslips/{}/pdf", a["id"].as_str().unwrap()),
        &anna_user.token,
    );
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    let pieces = erp_tests::pdf::text_pieces(&bytes);
    let mut expected: Vec<String> = [
        "Payslip",
        "Anna Pay",
        "Employee number EMP-2026-000001",
        "2026-11",
        "Net pay",
        "2260.66",
    ]
    .map(String::from)
    .to_vec();
    for line in slip_json["lines"].as_array().unwrap() {
        expected.push(line["name"].as_str().unwrap().to_string());
        expected.push(line["amount"].as_str().unwrap().to_string());
    }
    for total in ["gross", "deductions", "employer", "net"] {
        expected.push(slip_json[total].as_str().unwrap().to_string());
    }
    for e in &expected {
        assert!(pieces.contains(e), "{e:?} not printed: {pieces:?}");
    }
    let (status, _, _) = app.get_bytes(
        &format!("/api/v1/hr/payslips/{}/pdf", bn["id"].as_str().unwrap()),
        &anna_user.token,
    );
    assert_eq!(status, 404);
    // The cash forecast: November's run at the month's end, December estimated from it.
    let f = app
        .get(
            "/api/v1/finance/reports/cash-forecast?from=2026-11-23&weeks=6",
            admin,
        )
        .expect(200)
        .body;
    let payroll: Vec<(&str, &str, &str)> = f["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["source"] == "payroll")
        .map(|l| {
            (
                l["date"].as_str().unwrap(),
                l["reference"].as_str().unwrap(),
                l["amount"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        payroll,
        [
            ("2026-11-30", "Payroll 2026-11", "-5316.77"),
            (
                "2026-12-31",
                "Payroll 2026-12 (estimate from 2026-11)",
                "-5316.77"
            ),
        ]
    );
    app.delete(&format!("/api/v1/hr/pay-runs/{id}"), admin)
        .expect_problem(409, "invalid_state");

    // Paying out: a payment of each employee's net pay from the bank, with the bank file's
    // reference, settles what the run owes them.
    let pay = |body: Value| app.post(&format!("/api/v1/hr/pay-runs/{id}/pay"), admin, body);
    let r = pay(json!({"account_id": p.b.accounts["2300"], "payment_date": "2026-11-30"}))
        .expect_problem(422, "validation_failed");
    assert!(r.text.contains("account_id"), "{}", r.text);
    let bank = p.b.accounts["1100"].clone();
    let paid = pay(json!({"account_id": bank, "payment_date": "2026-11-30"}))
        .expect(200)
        .body;
    assert_eq!(paid["paid_on"], "2026-11-30");
    pay(json!({"account_id": bank, "payment_date": "2026-11-30"}))
        .expect_problem(409, "pay_run_paid");
    // Numbered in the bank journal's series like any payment, which goes on after them.
    let mut numbers: Vec<Value> = paid["payslips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let path = format!(
                "/api/v1/finance/payments/{}",
                s["payment_id"].as_str().unwrap()
            );
            app.get(&path, admin).expect(200).body["number"].clone()
        })
        .collect();
    numbers.sort_by_key(|n| n.to_string());
    assert_eq!(numbers, [json!("BJ-2026-000001"), json!("BJ-2026-000002")]);
    let supplier = p.b.partner("Office Supplies", "supplier");
    let next =
        p.b.pay(
            "supplier_payment",
            &supplier,
            "2026-11-30",
            "10.00",
            json!([]),
        )
        .expect(201)
        .body;
    assert_eq!(next["number"], "BJ-2026-000003");
    let tb = p.b.trial_balance("2026-01-01", "2026-12-31");
    assert_eq!(tb["total_debit"], tb["total_credit"]);
    assert_eq!(closing_of(&tb, "2300"), "0.00");
    assert_eq!(closing_of(&tb, "1100"), "-3559.06");
    // The cash forecast keeps only what was withheld and the employer's share for November.
    let f = app
        .get(
            "/api/v1/finance/reports/cash-forecast?from=2026-11-23&weeks=6",
            admin,
        )
        .expect(200)
        .body;
    let november: Vec<&str> = f["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["reference"] == "Payroll 2026-11")
        .map(|l| l["amount"].as_str().unwrap())
        .collect();
    assert_eq!(november, ["-1767.71"]);

    // The bank's statement shows the transfers of the bank file; each line is matched to its
    // employee's payment by reference and amount, and reconciled.
    let mut content = String::from("Date,Amount,Name,Purpose\n");
    for row in file.text.lines().skip(1) {
        let f: Vec<&str> = row.split(',').collect();
        content += &format!("2026-12-01,-{},{},{}\n", f[2], f[0], f[4]);
    }
    let st = app
        .post(
            "/api/v1/finance/bank-statements",
            admin,
            json!({"account_id": bank, "reference": "PAY-2026-11", "opening_balance": "0.00", "closing_balance": "-3549.06",
                   "csv": {"content": content, "columns": {"booking_date": "Date", "amount": "Amount", "counterparty_name": "Name", "remittance": "Purpose"}}}),
        )
        .expect(201)
        .body;
    let proposals = app
        .get(
            &format!(
                "/api/v1/finance/bank-statements/{}/proposals",
                st["id"].as_str().unwrap()
            ),
            admin,
        )
        .expect(200)
        .body;
    let payment_of = |employee: &str| {
        paid["payslips"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["employee_id"] == employee)
            .map(|s| s["payment_id"].clone())
            .unwrap()
    };
    let lines = proposals["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    for line in lines {
        let best = &line["proposals"][0];
        let employee = if line["line"]["remittance"]
            .as_str()
            .unwrap()
            .ends_with("000001")
        {
            &anna
        } else {
            &ben
        };
        assert_eq!(best["payment_id"], payment_of(employee), "{line}");
        assert_eq!(best["reasons"], json!(["reference", "amount", "partner"]));
        app.post(
            &format!(
                "/api/v1/finance/bank-lines/{}/reconcile",
                line["line"]["id"].as_str().unwrap()
            ),
            admin,
            json!({"matches": [{"payment_id": best["payment_id"], "amount": best["amount"]}]}),
        )
        .expect(200);
    }
    let open = app
        .get(
            &format!("/api/v1/finance/reports/unreconciled?account_id={bank}"),
            admin,
        )
        .expect(200)
        .body;
    assert_eq!(open["bank_lines"], json!([]), "{open}");
    // Only the supplier's payment is left to reconcile.
    let left = open["payments"].as_array().unwrap();
    assert_eq!(left.len(), 1, "{open}");
    assert_eq!(left[0]["unreconciled"], "-10.00");
}

#[test]
fn pay_components_are_checked_and_payroll_rights_are_their_own() {
    let p = payroll();
    let (app, admin) = (&p.b.app, &p.b.admin);
    for (body, field) in [
        (
            json!({"code": "X1", "name": "X", "kind": "deduction", "method": "percent", "liability_account_id": p.b.accounts["2310"], "sequence": 1}),
            "rate",
        ),
        (
            json!({"code": "X2", "name": "X", "kind": "deduction", "method": "fixed", "amount": "10", "sequence": 1}),
            "liability_account_id",
        ),
        (
            json!({"code": "X3", "name": "X", "kind": "deduction", "method": "brackets", "brackets": [{"over": "100", "rate": "10"}], "liability_account_id": p.b.accounts["2310"], "sequence": 1}),
            "brackets",
        ),
        (
            json!({"code": "X4", "name": "X", "kind": "deduction", "method": "salary", "liability_account_id": p.b.accounts["2310"], "sequence": 1}),
            "kind",
        ),
    ] {
        let r = app
            .post("/api/v1/hr/pay-components", admin, body)
            .expect_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["field"], field, "{}", r.text);
    }
    app.post(
        "/api/v1/hr/pay-components",
        admin,
        json!({"code": "SALARY", "name": "Again", "kind": "earning", "method": "salary", "expense_account_id": p.b.accounts["6000"], "sequence": 1}),
    )
    .expect_problem(409, "duplicate_code");
    let reader = UserBuilder::new("payroll-reader")
        .permissions(&["hr.payroll.read"])
        .create(app, admin);
    app.post(
        "/api/v1/hr/pay-runs",
        &reader.token,
        json!({"branch_id": p.branch, "year": 2026, "month": 10, "payable_account_id": p.b.accounts["2300"]}),
    )
    .expect_problem(403, "forbidden");
    app.get("/api/v1/hr/pay-runs", &reader.token).expect(200);
    let hr = UserBuilder::new("hr-lead")
        .permissions(&["hr.employee.read", "hr.confidential.read"])
        .create(app, admin);
    app.get("/api/v1/hr/pay-runs", &hr.token)
        .expect_problem(403, "forbidden");
    // A draft may be deleted and computed again.
    p.hire("Cleo", "2026-01-01", None);
    let run = p.run(10).expect(201).body;
    // A plain month: 3000; 9.3 % = 279.00; tax 200 + 30 % of 721 = 416.30.
    assert_eq!(run["net"], "2304.70");
    app.delete(
        &format!("/api/v1/hr/pay-runs/{}", run["id"].as_str().unwrap()),
        admin,
    )
    .expect(204);
    p.run(10).expect(201);
}

#[test]
fn a_backdated_raise_is_paid_as_a_correction_in_the_next_run_once() {
    let p = payroll();
    let (app, admin) = (&p.b.app, &p.b.admin);
    let cleo = p.hire("Cleo", "2026-01-01", None);
    let oct = p.run(10).expect(201).body;
    let oct_id = oct["id"].as_str().unwrap();
    for step in ["approve", "post"] {
        app.post(
            &format!("/api/v1/hr/pay-runs/{oct_id}/{step}"),
            admin,
            json!({}),
        )
        .expect(200);
    }
    assert_eq!(oct["net"], "2304.70");
    // In November the raise to 3300 is agreed, from 1 October.
    let contracts = app
        .get(&format!("/api/v1/hr/employees/{cleo}/contracts"), admin)
        .expect(200)
        .body;
    let c = contracts["items"][0]["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/hr/contracts/{c}/amend"),
        admin,
        json!({"effective_on": "2026-10-01", "pay_rate": "3300.00"}),
    )
    .expect(201);
    let nov = p.run(11).expect(201).body;
    let slip = app
        .get(
            &format!(
                "/api/v1/hr/payslips/{}",
                nov["payslips"][0]["id"].as_str().unwrap()
            ),
            admin,
        )
        .expect(200)
        .body;
    let corrections: Vec<(&str, &str)> = slip["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["corrects"] == "2026-10")
        .map(|l| {
            (
                l["component"].as_str().unwrap(),
                l["amount"].as_str().unwrap(),
            )
        })
        .collect();
    // October again at 3300: social security 306.90 (+27.90), tax 200 + 30 % of 993.10 =
    // 497.93 (+81.63), employer 660 (+60).
    assert_eq!(
        corrections,
        [
            ("SALARY", "300.00"),
            ("SS", "27.90"),
            ("TAX", "81.63"),
            ("ER", "60.00")
        ]
    );
    // November itself at 3300 (net 2495.17) plus October's correction (300 - 27.90 - 81.63).
    assert_eq!(slip["gross"], "3600.00");
    assert_eq!(slip["net"], "2685.64");
    // The October run stays as it was posted; a later run does not correct it twice.
    let oct_again = app
        .get(&format!("/api/v1/hr/pay-runs/{oct_id}"), admin)
        .expect(200)
        .body;
    assert_eq!(oct_again["net"], "2304.70");
    let nov_id = nov["id"].as_str().unwrap();
    for step in ["approve", "post"] {
        app.post(
            &format!("/api/v1/hr/pay-runs/{nov_id}/{step}"),
            admin,
            json!({}),
        )
        .expect(200);
    }
    let dec = p.run(12).expect(201).body;
    assert_eq!(dec["gross"], "3300.00", "{dec}");
}

#[test]
fn pay_structures_decide_which_components_each_contract_is_paid_by() {
    let p = payroll();
    let (app, admin) = (&p.b.app, &p.b.admin);
    let components = app.get("/api/v1/hr/pay-components", admin).expect(200).body;
    let id = |code: &str| {
        components["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let structure = |code: &str, ids: Value| {
        app.post(
            "/api/v1/hr/pay-structures",
            admin,
            json!({"code": code, "name": "Apprentices", "component_ids": ids}),
        )
    };
    let r = structure(
        "APPR",
        json!([id("SALARY"), "0191a000-0000-7000-8000-000000000000"]),
    )
    .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "component_ids[1]");
    let r = structure("APPR", json!([id("SALARY"), id("SALARY")]))
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "component_ids[1]");
    // Apprentices: their salary and the employer's share, no tax and no social security.
    let appr = structure("APPR", json!([id("ER"), id("SALARY")]))
        .expect(201)
        .body;
    let codes = |s: &Value| -> Vec<String> {
        s["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        codes(&appr),
        ["SALARY", "ER"],
        "in the order of computation"
    );
    structure("APPR", json!([id("SALARY")])).expect_problem(409, "duplicate_code");
    let appr_id = appr["id"].as_str().unwrap().to_string();
    let read = app
        .get(&format!("/api/v1/hr/pay-structures/{appr_id}"), admin)
        .expect(200)
        .body;
    assert_eq!(codes(&read), ["SALARY", "ER"], "{read}");
    // The overtime rule the fixture set is listed with its terms.
    let rules = app.get("/api/v1/hr/overtime-rules", admin).expect(200).body;
    let rule = &rules["items"][0];
    assert_eq!(
        (
            rule["code"].as_str(),
            rule["threshold"].as_str(),
            rule["rate"].as_str(),
            rules["items"].as_array().map(Vec::len)
        ),
        (Some("OT125"), Some("8"), Some("1.25"), Some(1)),
        "{rules}"
    );

    let hire = |first: &str, rate: &str, structure: Option<&str>| {
        app.post(
            "/api/v1/hr/employees",
            admin,
            json!({"person": {"kind": "person", "first_name": first, "last_name": "Pay"},
                   "department_id": p.dept, "hired_on": "2026-01-01",
                   "contract": {"kind": "apprenticeship", "starts_on": "2026-01-01", "hours_per_week": "40", "pay_basis": "monthly_salary", "pay_rate": rate, "pay_structure_id": structure}}),
        )
    };
    let r = hire(
        "Nobody",
        "1000.00",
        Some("0191a000-0000-7000-8000-000000000000"),
    )
    .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "contract.pay_structure_id");
    let carl = hire("Carl", "1000.00", Some(&appr_id)).expect(201).id();
    hire("Dora", "3000.00", None).expect(201);
    let slips = |run: &Value| -> Vec<(String, String, String, String, String)> {
        let mut out: Vec<_> = run["payslips"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let f = |k: &str| s[k].as_str().unwrap().to_string();
                (
                    f("employee_name"),
                    f("gross"),
                    f("deductions"),
                    f("employer"),
                    f("net"),
                )
            })
            .collect();
        out.sort();
        out
    };
    let t = |a: &str, b: &str, c: &str, d: &str, e: &str| {
        (
            a.to_string(),
            b.to_string(),
            c.to_string(),
            d.to_string(),
            e.to_string(),
        )
    };
    // Dora by every component: 9.3 % of 3000 = 279; tax 20 % of 1000 + 30 % of 721 = 416.30.
    let october = p.run(10).expect(201).body;
    assert_eq!(
        slips(&october),
        [
            t("Carl Pay", "1000.00", "0.00", "200.00", "1000.00"),
            t("Dora Pay", "3000.00", "695.30", "600.00", "2304.70"),
        ]
    );
    let contract = app
        .get(&format!("/api/v1/hr/employees/{carl}/contracts"), admin)
        .expect(200)
        .body["items"][0]
        .clone();
    assert_eq!(contract["pay_structure_id"], appr_id.as_str());

    // Rounding as data: a tax table rounded down to whole units, for a structure of its own
    // (everyone without a structure is paid by every component, this one too).
    let taxr = |round_to: &str| {
        app.post(
            "/api/v1/hr/pay-components",
            admin,
            json!({"code": format!("TAXR{}", round_to.len()), "name": "Income tax, whole units", "kind": "deduction", "method": "brackets",
                   "brackets": [{"over": "0", "rate": "0"}, {"over": "1000", "rate": "20"}, {"over": "2000", "rate": "30"}],
                   "round_to": round_to, "rounding": "down", "liability_account_id": p.b.accounts["2310"], "sequence": 50}),
        )
    };
    let r = taxr("0.001").expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "round_to");
    let whole = taxr("1.00").expect(201).body;
    assert_eq!(
        (whole["round_to"].as_str(), whole["rounding"].as_str()),
        (Some("1.00"), Some("down"))
    );
    let rounded = structure("ROUND", json!([id("SALARY"), whole["id"]]))
        .expect(201)
        .id();
    hire("Erik", "2721.50", Some(&rounded)).expect(201);

    // Carl's apprenticeship ends mid-November: from the 16th he is paid by every component,
    // and the contract at the month's end decides the month's structure.
    app.post(
        &format!(
            "/api/v1/hr/contracts/{}/amend",
            contract["id"].as_str().unwrap()
        ),
        admin,
        json!({"effective_on": "2026-11-16", "kind": "permanent", "pay_structure_id": null}),
    )
    .expect(201);
    let november = p.run(11).expect(201).body;
    let november = slips(&november);
    assert_eq!(
        november[0],
        t("Carl Pay", "1000.00", "93.00", "200.00", "907.00")
    );
    // Erik: 20 % of 1000 + 30 % of 721.50 = 416.45, down to 416.
    assert_eq!(
        november[2],
        t("Erik Pay", "2721.50", "416.00", "0.00", "2305.50")
    );

    // The structure takes the tax too; HR's payroll readers see it, others do not.
    let r = app
        .patch(
            &format!("/api/v1/hr/pay-structures/{appr_id}"),
            admin,
            1,
            json!({"component_ids": [id("SALARY"), id("TAX"), id("ER")]}),
        )
        .expect(200)
        .body;
    assert_eq!(codes(&r), ["SALARY", "TAX", "ER"]);
    let clerk = UserBuilder::new("clerk")
        .permissions(&["hr.self"])
        .create(app, admin);
    app.get("/api/v1/hr/pay-structures", &clerk.token)
        .expect_problem(403, "forbidden");
    let list = app.get("/api/v1/hr/pay-structures", admin).expect(200).body;
    assert_eq!(list["items"][0]["version"], 2);
}

/// Reads every page of `path` (which has a query already) at `limit` a page.
fn all_pages(app: &erp_tests::TestApp, token: &str, path: &str, limit: usize) -> Vec<Vec<Value>> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&limit={limit}&cursor={c}"),
            None => format!("{path}&limit={limit}"),
        };
        let page = app.get(&url, token).expect(200).body;
        pages.push(page["items"].as_array().unwrap().clone());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return pages,
        }
    }
}

#[test]
fn the_list_of_pay_runs_pages_the_latest_month_first_without_payslips() {
    let p = payroll();
    let (app, admin) = (&p.b.app, &p.b.admin);
    p.hire("Ida", "2026-01-01", None);
    p.hire("Jon", "2026-01-01", None);
    for month in 1..=5 {
        p.run(month).expect(201);
    }
    let pages = all_pages(app, admin, "/api/v1/hr/pay-runs?year=2026", 2);
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 2, 1], "five runs, two a page");
    let runs: Vec<&Value> = pages.iter().flatten().collect();
    let months: Vec<i64> = runs.iter().map(|r| r["month"].as_i64().unwrap()).collect();
    assert_eq!(months, [5, 4, 3, 2, 1], "the latest month first, each once");
    for r in &runs {
        assert_eq!(r["payslip_count"], 2, "{r}");
        assert!(
            r.get("payslips").is_none(),
            "the list leaves the payslips out"
        );
        assert_eq!(r["net"], "4609.40");
    }
    // A run of another branch is listed for the company, not for a reader of this branch.
    let south = app
        .post(
            "/api/v1/org/branches",
            admin,
            json!({"code": "SOUTH", "name": "South"}),
        )
        .expect(201)
        .id();
    let south_dept = app
        .post(
            "/api/v1/hr/departments",
            admin,
            json!({"code": "S-PLANT", "name": "South plant", "branch_id": south, "cost_center": "CC-S"}),
        )
        .expect(201)
        .id();
    app.post(
        "/api/v1/hr/employees",
        admin,
        json!({"person": {"kind": "person", "first_name": "Sol", "last_name": "Pay"},
               "department_id": south_dept, "hired_on": "2026-01-01",
               "contract": {"kind": "permanent", "starts_on": "2026-01-01", "hours_per_week": "40", "pay_basis": "monthly_salary", "pay_rate": "3000.00"}}),
    )
    .expect(201);
    app.post(
        "/api/v1/hr/pay-runs",
        admin,
        json!({"branch_id": south, "year": 2026, "month": 3, "payable_account_id": p.b.accounts["2300"]}),
    )
    .expect(201);
    let all: Vec<Value> = all_pages(app, admin, "/api/v1/hr/pay-runs?year=2026", 2)
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(all.len(), 6);
    let months: Vec<i64> = all.iter().map(|r| r["month"].as_i64().unwrap()).collect();
    assert_eq!(months, [5, 4, 3, 3, 2, 1]);
    assert_eq!(
        all[2]["branch_id"],
        south.as_str(),
        "within a month, the latest created first"
    );
    let here = UserBuilder::new("payroll-here")
        .permissions(&["hr.payroll.read"])
        .branches(&[&p.branch])
        .create(app, admin);
    let seen: Vec<Value> = all_pages(app, &here.token, "/api/v1/hr/pay-runs?year=2026", 2)
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(seen.len(), 5, "only this branch's runs");
    assert!(seen.iter().all(|r| r["branch_id"] == p.branch.as_str()));

    // The run itself has them, and says how many.
    let one = app
        .get(
            &format!("/api/v1/hr/pay-runs/{}", runs[0]["id"].as_str().unwrap()),
            admin,
        )
        .expect(200)
        .body;
    assert_eq!(one["payslip_count"], 2);
    assert_eq!(one["payslips"].as_array().unwrap().len(), 2);
    // Another year has none; a cursor the list did not write is refused by name.
    let none = app
        .get("/api/v1/hr/pay-runs?year=2025", admin)
        .expect(200)
        .body;
    assert_eq!(none["items"].as_array().unwrap().len(), 0);
    assert!(none["next_cursor"].is_null());
    let bad = app
        .get("/api/v1/hr/pay-runs?cursor=bm90LWEtY3Vyc29y", admin)
        .expect_problem(422, "validation_failed")
        .body;
    assert_eq!(bad["errors"][0]["field"], "cursor", "{bad}");
}
