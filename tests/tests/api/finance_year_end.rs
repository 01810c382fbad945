//! The year-end close: revenue and expenses to retained earnings by one generated entry, the
//! year's periods closed, the income statement of the closed year still showing its result;
//! reopening is reversing that entry.

use erp_tests::finance::{books, closing_of};
use serde_json::json;

#[test]
fn closing_a_year_moves_the_result_to_retained_earnings_and_locks_it() {
    let b = books();
    b.post(
        "2026-03-10",
        &[("1100", "1000.00", ""), ("4000", "", "1000.00")],
    )
    .expect(201);
    b.post(
        "2026-06-30",
        &[("6200", "300.00", ""), ("1100", "", "300.00")],
    )
    .expect(201);
    b.post("2026-11-02", &[("1100", "0.25", ""), ("4900", "", "0.25")])
        .expect(201);

    // A seller may not close; a wrong account is refused by field; an unknown year is 404.
    let ann = erp_tests::builders::crm_seller(&b.app, &b.admin, "ann");
    b.app
        .post(
            "/api/v1/finance/fiscal-years/2026/close",
            &ann.token,
            json!({}),
        )
        .expect_problem(403, "forbidden");
    let p = b
        .app
        .post(
            "/api/v1/finance/fiscal-years/2026/close",
            &b.admin,
            json!({"retained_earnings_account_id": b.accounts["1100"]}),
        )
        .expect_problem(422, "validation_failed");
    assert!(p.body.to_string().contains("retained_earnings_account_id"));
    b.app
        .post(
            "/api/v1/finance/fiscal-years/2031/close",
            &b.admin,
            json!({}),
        )
        .expect_problem(404, "not_found");

    let closed = b
        .app
        .post(
            "/api/v1/finance/fiscal-years/2026/close",
            &b.admin,
            json!({}),
        )
        .expect(200)
        .body;
    assert_eq!(closed["net_income"], "700.25");
    assert!(closed["entry_number"]
        .as_str()
        .unwrap()
        .starts_with("GJ-2026-"));
    let periods = closed["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 12);
    assert!(periods.iter().all(|p| p["status"] == "closed"));

    // The ledger: revenue and expenses are zero, retained earnings holds the result.
    let tb = b.trial_balance("2026-01-01", "2026-12-31");
    for code in ["4000", "4900", "6200"] {
        assert_eq!(closing_of(&tb, code), "0.00", "{code}");
    }
    assert_eq!(closing_of(&tb, "3100"), "-700.25");
    assert_eq!(tb["total_debit"], tb["total_credit"]);
    // The year's income statement still shows what the year earned.
    let is = b.get("/api/v1/finance/reports/income-statement?from=2026-01-01&to=2026-12-31");
    assert_eq!(is["current"]["net_income"], "700.25");
    assert_eq!(is["current"]["revenue"]["total"], "1000.25");
    // The balance sheet has nothing left unclosed and still balances.
    let bs = b.get("/api/v1/finance/reports/balance-sheet?as_of=2026-12-31");
    assert_eq!(bs["unclosed_earnings"], "0.00");
    assert_eq!(bs["assets"]["total"], "700.25");
    assert_eq!(bs["total_liabilities_and_equity"], "700.25");
    // Nothing more is posted into the year, and it is not closed twice.
    b.post("2026-12-15", &[("6200", "1.00", ""), ("1100", "", "1.00")])
        .expect_problem(409, "period_closed");
    b.app
        .post(
            "/api/v1/finance/fiscal-years/2026/close",
            &b.admin,
            json!({}),
        )
        .expect_problem(409, "year_closed");

    // Reopening: the last period reopens and the closing entry is reversed; a late entry
    // goes in and the year closes again with it.
    let december = periods[11]["id"].as_str().unwrap();
    b.app
        .post(
            &format!("/api/v1/finance/periods/{december}/reopen"),
            &b.admin,
            json!({}),
        )
        .expect(200);
    b.app
        .post(
            &format!(
                "/api/v1/finance/entries/{}/reverse",
                closed["entry_id"].as_str().unwrap()
            ),
            &b.admin,
            json!({}),
        )
        .expect(201);
    let is = b.get("/api/v1/finance/reports/income-statement?from=2026-01-01&to=2026-12-31");
    assert_eq!(is["current"]["net_income"], "700.25");
    b.post("2026-12-15", &[("6200", "1.00", ""), ("1100", "", "1.00")])
        .expect(201);
    let again = b
        .app
        .post(
            "/api/v1/finance/fiscal-years/2026/close",
            &b.admin,
            json!({}),
        )
        .expect(200)
        .body;
    assert_eq!(again["net_income"], "699.25");
    let tb = b.trial_balance("2026-01-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "3100"), "-699.25");
    assert_eq!(closing_of(&tb, "6200"), "0.00");
    let is = b.get("/api/v1/finance/reports/income-statement?from=2026-12-01&to=2026-12-31");
    assert_eq!(is["current"]["net_income"], "-1.00");
}

#[test]
fn statements_come_as_csv_when_asked_for() {
    let b = books();
    b.post(
        "2026-03-10",
        &[("1100", "1000.00", ""), ("4000", "", "1000.00")],
    )
    .expect(201);
    b.post(
        "2026-04-30",
        &[("6200", "300.00", ""), ("1100", "", "300.00")],
    )
    .expect(201);
    let csv = |path: &str| {
        let r = b.app.send(
            "GET",
            path,
            Some(&b.admin),
            None,
            &erp_tests::Req {
                headers: vec![("Accept".into(), "text/csv".into())],
                ..Default::default()
            },
        );
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        assert!(r.header("content-type").unwrap().starts_with("text/csv"));
        r.text
    };
    let tb = csv("/api/v1/finance/reports/trial-balance?from=2026-01-01&to=2026-12-31");
    let lines: Vec<&str> = tb.lines().collect();
    assert_eq!(lines[0], "code,name,type,opening,debit,credit,closing");
    assert!(
        lines.contains(&"1100,Bank,asset,0.00,1000.00,300.00,700.00"),
        "{tb}"
    );
    assert_eq!(*lines.last().unwrap(), ",total,,,1300.00,1300.00,");
    let is = csv(
        "/api/v1/finance/reports/income-statement?from=2026-04-01&to=2026-06-30&compare_from=2026-01-01&compare_to=2026-03-31",
    );
    let lines: Vec<&str> = is.lines().collect();
    assert_eq!(
        lines[0],
        "section,code,name,2026-04-01..2026-06-30,2026-01-01..2026-03-31"
    );
    assert!(
        lines.contains(&"revenue,4000,Sales revenue,,1000.00"),
        "{is}"
    );
    assert!(lines.contains(&"expenses,6200,Rent,300.00,"), "{is}");
    assert_eq!(
        *lines.last().unwrap(),
        "net_income,,net income,-300.00,1000.00"
    );
    let bs = csv("/api/v1/finance/reports/balance-sheet?as_of=2026-12-31");
    assert!(bs.contains("assets,1100,Bank,700.00,"), "{bs}");
    assert!(bs.contains("total,,liabilities and equity,700.00,"), "{bs}");
    // JSON stays the default.
    let json = b.get("/api/v1/finance/reports/balance-sheet?as_of=2026-12-31");
    assert_eq!(json["assets"]["total"], "700.00");
}

#[test]
fn the_cash_flow_statement_explains_the_change_of_cash_and_ignores_the_year_end_close() {
    let b = books();
    for (date, debit, credit, amount) in [
        ("2026-01-05", "1100", "3000", "10000.00"), // share capital paid in
        ("2026-01-10", "1100", "2500", "5000.00"),  // a loan
        ("2026-02-01", "1500", "1100", "6000.00"),  // a machine
        ("2026-02-15", "1200", "4000", "3000.00"),  // a sale on credit
        ("2026-03-01", "1100", "1200", "2000.00"),  // part of it collected
        ("2026-03-10", "6400", "1590", "500.00"),   // depreciation
        ("2026-03-20", "6200", "1000", "700.00"),   // rent paid in cash
        ("2026-05-05", "2500", "1100", "1000.00"),  // the loan paid down
    ] {
        b.post(date, &[(debit, amount, ""), (credit, "", amount)])
            .expect(201);
    }
    let cf = b.get(
        "/api/v1/finance/reports/cash-flow?from=2026-01-01&to=2026-03-31&compare_from=2026-04-01&compare_to=2026-06-30",
    );
    let q1 = &cf["current"];
    assert_eq!(q1["net_income"], "1800.00");
    // 1800 of earnings, 1000 more owed by customers, 500 of depreciation added back.
    assert_eq!(q1["operating"]["total"], "1300.00");
    let operating: Vec<(&str, &str)> = q1["operating"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["code"].as_str().unwrap(), l["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(operating, [("1200", "-1000.00"), ("1590", "500.00")]);
    assert_eq!(q1["investing"]["total"], "-6000.00");
    assert_eq!(q1["financing"]["total"], "15000.00");
    assert_eq!(
        (
            q1["net_change"].as_str(),
            q1["opening_cash"].as_str(),
            q1["closing_cash"].as_str()
        ),
        (Some("10300.00"), Some("0.00"), Some("10300.00"))
    );
    let q2 = &cf["comparison"];
    assert_eq!(q2["financing"]["total"], "-1000.00");
    assert_eq!(
        (q2["opening_cash"].as_str(), q2["closing_cash"].as_str()),
        (Some("10300.00"), Some("9300.00"))
    );
    // The year-end close moves earnings within equity: the year's cash flow does not change.
    b.app
        .post(
            "/api/v1/finance/fiscal-years/2026/close",
            &b.admin,
            json!({}),
        )
        .expect(200);
    let year = b.get("/api/v1/finance/reports/cash-flow?from=2026-01-01&to=2026-12-31");
    assert_eq!(year["current"]["net_income"], "1800.00");
    assert_eq!(year["current"]["financing"]["total"], "14000.00");
    assert_eq!(year["current"]["net_change"], "9300.00");
    for bad in [
        "from=2026-01-01&to=2026-03-31&cash_accounts=9999",
        "from=2026-01-01&to=2026-03-31&compare_from=2026-04-01",
        "from=2026-01-02&to=2026-03-31",
    ] {
        b.app
            .get(
                &format!("/api/v1/finance/reports/cash-flow?{bad}"),
                &b.admin,
            )
            .expect_problem(422, "validation_failed");
    }
    let ann = erp_tests::builders::crm_seller(&b.app, &b.admin, "ann");
    b.app
        .get(
            "/api/v1/finance/reports/cash-flow?from=2026-01-01&to=2026-03-31",
            &ann.token,
        )
        .expect_problem(403, "forbidden");
}

#[test]
fn one_branchs_cash_flow_names_what_crossed_from_other_branches() {
    let b = books();
    let hq = b.get("/api/v1/org/branches")["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other = b
        .app
        .post(
            "/api/v1/org/branches",
            &b.admin,
            json!({"code": "B2", "name": "Second city"}),
        )
        .expect(201)
        .id();
    // Capital paid in at head office, the money held by the second branch.
    let mut body = b.entry(
        "GJ",
        "2026-02-10",
        &[("1100", "100.00", ""), ("3000", "", "100.00")],
        true,
    );
    body["lines"][0]["branch_id"] = json!(other);
    body["lines"][1]["branch_id"] = json!(hq);
    b.app
        .post("/api/v1/finance/entries", &b.admin, body)
        .expect(201);
    let path = "/api/v1/finance/reports/cash-flow?from=2026-01-01&to=2026-03-31";
    let all = b.get(path);
    assert_eq!(all["current"]["financing"]["total"], "100.00");
    assert_eq!(all["current"]["between_branches"], "0.00");
    let branch = b.get(&format!("{path}&branch_id={other}"));
    assert_eq!(branch["current"]["between_branches"], "100.00");
    assert_eq!(branch["current"]["operating"]["total"], "100.00");
    assert_eq!(branch["current"]["net_change"], "100.00");
    assert_eq!(branch["current"]["closing_cash"], "100.00");
}

#[test]
fn a_new_fiscal_year_and_a_journal_of_ones_own_open_once_and_take_entries() {
    let b = books();
    let entry = |journal: &str, date: &str| {
        b.app.post(
            "/api/v1/finance/entries",
            &b.admin,
            json!({"journal_id": journal, "entry_date": date, "post": true, "lines": [
                {"account_id": b.accounts["6200"], "debit": "40.00"},
                {"account_id": b.accounts["1100"], "credit": "40.00"}]}),
        )
    };
    let journal = b
        .app
        .post(
            "/api/v1/finance/journals",
            &b.admin,
            json!({"code": "ADJ", "name": "Adjustments", "kind": "general"}),
        )
        .expect(201)
        .body;
    assert_eq!(journal["kind"], "general");
    let adj = journal["id"].as_str().unwrap().to_string();
    b.app
        .post(
            "/api/v1/finance/journals",
            &b.admin,
            json!({"code": "ADJ", "name": "Again", "kind": "general"}),
        )
        .expect_problem(409, "duplicate_code");
    let listed = b.get("/api/v1/finance/journals");
    assert!(listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|j| j["id"] == adj.as_str()));

    // 2027 has no periods yet: nothing is posted into it.
    let refused = entry(&adj, "2027-02-01").expect_problem(422, "validation_failed");
    assert_eq!(refused.error_fields(), ["entry_date"]);
    let periods = b
        .app
        .post(
            "/api/v1/finance/fiscal-years",
            &b.admin,
            json!({"year": 2027}),
        )
        .expect(201)
        .body;
    let periods = periods.as_array().unwrap();
    assert_eq!(periods.len(), 12);
    assert_eq!(periods[0]["starts_on"], "2027-01-01", "{}", periods[0]);
    assert_eq!(periods[11]["ends_on"], "2027-12-31", "{}", periods[11]);
    b.app
        .post(
            "/api/v1/finance/fiscal-years",
            &b.admin,
            json!({"year": 2027}),
        )
        .expect_problem(409, "duplicate_fiscal_year");
    let posted = entry(&adj, "2027-02-01").expect(201).body;
    assert_eq!(posted["journal_id"], adj.as_str());
    let tb = b.trial_balance("2027-01-01", "2027-12-31");
    assert_eq!(closing_of(&tb, "6200"), "40.00");
}
