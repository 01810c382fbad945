//! The double-entry ledger through the API: a textbook month to the cent, refusals that write
//! nothing, gapless numbering under concurrency, reversals, closed periods and rights.

use erp_tests::builders::{check_id_filter, crm_seller, UserBuilder};
use erp_tests::finance::{books, closing_of};
use erp_tests::{Resp, TestApp};
use serde_json::{json, Value};

#[test]
fn a_textbook_month_balances_to_the_cent() {
    let b = books();
    // The owner invests; stock bought on credit; a sale on credit and its cost; rent paid;
    // the customer pays part; the supplier is paid part.
    for (date, lines) in [
        (
            "2026-01-02",
            vec![("1000", "10000.00", ""), ("3000", "", "10000.00")],
        ),
        (
            "2026-01-05",
            vec![("1300", "3000.00", ""), ("2000", "", "3000.00")],
        ),
        (
            "2026-01-10",
            vec![("1200", "5000.00", ""), ("4000", "", "5000.00")],
        ),
        (
            "2026-01-10",
            vec![("5000", "2000.00", ""), ("1300", "", "2000.00")],
        ),
        (
            "2026-01-15",
            vec![("6200", "800.00", ""), ("1000", "", "800.00")],
        ),
        (
            "2026-01-20",
            vec![("1100", "3000.00", ""), ("1200", "", "3000.00")],
        ),
        (
            "2026-01-25",
            vec![("2000", "1500.00", ""), ("1000", "", "1500.00")],
        ),
    ] {
        b.post(date, &lines).expect(201);
    }
    let tb = b.trial_balance("2026-01-01", "2026-01-31");
    for (code, closing) in [
        ("1000", "7700.00"),
        ("1100", "3000.00"),
        ("1200", "2000.00"),
        ("1300", "1000.00"),
        ("2000", "-1500.00"),
        ("3000", "-10000.00"),
        ("4000", "-5000.00"),
        ("5000", "2000.00"),
        ("6200", "800.00"),
    ] {
        assert_eq!(closing_of(&tb, code), closing, "{code}: {tb}");
    }
    assert_eq!(tb["lines"].as_array().unwrap().len(), 9);
    assert_eq!(tb["total_debit"], "25300.00");
    assert_eq!(tb["total_debit"], tb["total_credit"]);
    assert_eq!(tb["total_closing_debit"], "16500.00");
    assert_eq!(tb["total_closing_credit"], "16500.00");
    assert_eq!(tb["currency"], "EUR");
    // February opens with January's closing balances and moves nothing.
    let feb = b.trial_balance("2026-02-01", "2026-02-28");
    let cash = feb["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "1000")
        .unwrap();
    assert_eq!(
        (cash["opening"].as_str(), cash["debit"].as_str()),
        (Some("7700.00"), Some("0.00"))
    );
    // The income statement and the balance sheet of the same month.
    let is = b
        .app
        .get(
            "/api/v1/finance/reports/income-statement?from=2026-01-01&to=2026-01-31&compare_from=2026-02-01&compare_to=2026-02-28",
            &b.admin,
        )
        .expect(200)
        .body;
    assert_eq!(is["current"]["revenue"]["total"], "5000.00");
    assert_eq!(is["current"]["expenses"]["total"], "2800.00");
    assert_eq!(is["current"]["net_income"], "2200.00");
    assert_eq!(is["current"]["revenue"]["lines"][0]["code"], "4000");
    assert_eq!(is["comparison"]["net_income"], "0.00");
    let bs = b
        .app
        .get(
            "/api/v1/finance/reports/balance-sheet?as_of=2026-01-31",
            &b.admin,
        )
        .expect(200)
        .body;
    assert_eq!(bs["assets"]["total"], "13700.00");
    assert_eq!(bs["liabilities"]["total"], "1500.00");
    assert_eq!(bs["unclosed_earnings"], "2200.00");
    assert_eq!(bs["equity"]["total"], "12200.00");
    assert_eq!(bs["total_liabilities_and_equity"], bs["assets"]["total"]);
    b.app
        .get(
            "/api/v1/finance/reports/balance-sheet?as_of=2026-01-30",
            &b.admin,
        )
        .expect_problem(422, "validation_failed");
    // The journal as plain-text accounting (hledger's balances of it are checked in CI).
    let journal = b
        .app
        .get(
            "/api/v1/finance/export/journal?from=2026-01-01&to=2026-01-31",
            &b.admin,
        )
        .expect(200);
    assert!(journal
        .header("content-type")
        .unwrap()
        .starts_with("text/plain"));
    assert!(journal.text.contains("\n2026-01-02 (GJ-2026-000001) \n    1000 Cash  10000.00 EUR\n    3000 Share capital  -10000.00 EUR\n"), "{}", journal.text);
    assert_eq!(journal.text.matches("\n2026-").count(), 7);
    // The cash account's ledger, with its running balance.
    let ledger = b
        .app
        .get(
            &format!(
                "/api/v1/finance/accounts/{}/ledger?from=2026-01-01&to=2026-01-31",
                b.accounts["1000"]
            ),
            &b.admin,
        )
        .expect(200)
        .body;
    let balances: Vec<&str> = ledger["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["balance"].as_str().unwrap())
        .collect();
    assert_eq!(balances, ["10000.00", "9200.00", "7700.00"]);
    assert_eq!(ledger["opening"], "0.00");
    // From mid-month the opening balance counts the lines before.
    let late = b
        .app
        .get(
            &format!(
                "/api/v1/finance/accounts/{}/ledger?from=2026-01-16&to=2026-01-31",
                b.accounts["1000"]
            ),
            &b.admin,
        )
        .expect(200)
        .body;
    assert_eq!(late["opening"], "9200.00");
    assert_eq!(late["closing"], "7700.00");
}

#[test]
fn bad_entries_are_refused_with_the_field_and_write_nothing() {
    let b = books();
    let app = &b.app;
    let refuse = |body: Value, status: u16, code: &str| -> Resp {
        app.post("/api/v1/finance/entries", &b.admin, body)
            .expect_problem(status, code)
    };
    let r = refuse(
        b.entry(
            "GJ",
            "2026-03-01",
            &[("1000", "100.00", ""), ("3000", "", "99.99")],
            true,
        ),
        422,
        "unbalanced_entry",
    );
    assert!(
        r.body["detail"].as_str().unwrap().contains("0.01"),
        "{}",
        r.text
    );
    // Each a 422 naming the field: one line only, an amount finer than the cent, both sides.
    let one_line: &[(&str, &str, &str)] = &[("1000", "100.00", "")];
    let too_fine: &[(&str, &str, &str)] = &[("1000", "10.005", ""), ("3000", "", "10.005")];
    let both_sides: &[(&str, &str, &str)] = &[("1000", "10.00", "10.00"), ("3000", "", "10.00")];
    for (lines, field) in [
        (one_line, "lines"),
        (too_fine, "lines[0].debit"),
        (both_sides, "lines[0].debit"),
    ] {
        let r = refuse(
            b.entry("GJ", "2026-03-01", lines, true),
            422,
            "validation_failed",
        );
        assert_eq!(r.body["errors"][0]["field"], field, "{}", r.text);
    }
    let mut other_company_account = b.entry(
        "GJ",
        "2026-03-01",
        &[("1000", "1.00", ""), ("3000", "", "1.00")],
        true,
    );
    other_company_account["lines"][1]["account_id"] = json!("01900000-0000-7000-8000-000000000000");
    let r = refuse(other_company_account, 422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "lines[1].account_id");
    let r = refuse(
        b.entry(
            "GJ",
            "2031-01-01",
            &[("1000", "1.00", ""), ("3000", "", "1.00")],
            true,
        ),
        422,
        "validation_failed",
    );
    assert_eq!(r.body["errors"][0]["field"], "entry_date");
    // An inactive account takes no postings.
    app.patch(
        &format!("/api/v1/finance/accounts/{}", b.accounts["6900"]),
        &b.admin,
        1,
        json!({"active": false}),
    )
    .expect(200);
    let r = refuse(
        b.entry(
            "GJ",
            "2026-03-01",
            &[("6900", "1.00", ""), ("1000", "", "1.00")],
            true,
        ),
        422,
        "validation_failed",
    );
    assert_eq!(r.body["errors"][0]["field"], "lines[0].account_id");
    assert_eq!(b.entry_count(), 0, "nothing was written");
    let tb = b.trial_balance("2026-01-01", "2026-12-31");
    assert!(tb["lines"].as_array().unwrap().is_empty());
}

#[test]
fn drafts_post_with_a_number_and_posted_entries_never_change() {
    let b = books();
    let app = &b.app;
    let draft = app
        .post(
            "/api/v1/finance/entries",
            &b.admin,
            b.entry(
                "GJ",
                "2026-04-30",
                &[("6300", "120.50", ""), ("1100", "", "120.50")],
                false,
            ),
        )
        .expect(201);
    assert_eq!(draft.body["status"], "draft");
    assert!(draft.body["number"].is_null());
    let id = draft.id();
    // A draft moves nothing yet.
    assert!(b.trial_balance("2026-04-01", "2026-04-30")["lines"]
        .as_array()
        .unwrap()
        .is_empty());
    let posted = app
        .post(
            &format!("/api/v1/finance/entries/{id}/post"),
            &b.admin,
            json!({}),
        )
        .expect(200);
    assert_eq!(posted.body["status"], "posted");
    assert_eq!(posted.body["number"], "GJ-2026-000001");
    assert_eq!(posted.body["total"], "120.50");
    app.post(
        &format!("/api/v1/finance/entries/{id}/post"),
        &b.admin,
        json!({}),
    )
    .expect_problem(409, "entry_posted");
    app.delete(&format!("/api/v1/finance/entries/{id}"), &b.admin)
        .expect_problem(409, "entry_posted");
    assert_eq!(
        closing_of(&b.trial_balance("2026-04-01", "2026-04-30"), "6300"),
        "120.50"
    );
    // Another draft can be deleted.
    let gone = app
        .post(
            "/api/v1/finance/entries",
            &b.admin,
            b.entry(
                "GJ",
                "2026-04-30",
                &[("6300", "1.00", ""), ("1100", "", "1.00")],
                false,
            ),
        )
        .expect(201)
        .id();
    app.delete(&format!("/api/v1/finance/entries/{gone}"), &b.admin)
        .expect(204);
    app.get(&format!("/api/v1/finance/entries/{gone}"), &b.admin)
        .expect_problem(404, "not_found");
}

#[test]
fn reversals_undo_an_entry_once_and_closed_periods_take_nothing() {
    let b = books();
    let app = &b.app;
    let e = b
        .post(
            "2026-05-10",
            &[("1300", "999.99", ""), ("2000", "", "999.99")],
        )
        .expect(201);
    let rev = app
        .post(
            &format!("/api/v1/finance/entries/{}/reverse", e.id()),
            &b.admin,
            json!({"entry_date": "2026-05-31"}),
        )
        .expect(201);
    assert_eq!(rev.body["reverses_id"], e.body["id"]);
    assert_eq!(rev.body["number"], "GJ-2026-000002");
    assert_eq!(rev.body["lines"][0]["credit"], "999.99");
    let original = app
        .get(&format!("/api/v1/finance/entries/{}", e.id()), &b.admin)
        .expect(200);
    assert_eq!(original.body["reversed_by_id"], rev.body["id"]);
    app.post(
        &format!("/api/v1/finance/entries/{}/reverse", e.id()),
        &b.admin,
        json!({}),
    )
    .expect_problem(409, "already_reversed");
    let tb = b.trial_balance("2026-05-01", "2026-05-31");
    assert_eq!(closing_of(&tb, "1300"), "0.00");
    assert_eq!(tb["total_debit"], "1999.98");

    // Close June: nothing dated into it is posted, not even a reversal; reopening needs its
    // own right and then posting works again.
    let june = app
        .get("/api/v1/finance/periods?fiscal_year=2026", &b.admin)
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["number"] == 6)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let june_entry = b
        .post("2026-06-01", &[("1300", "5.00", ""), ("2000", "", "5.00")])
        .expect(201);
    app.post(
        &format!("/api/v1/finance/periods/{june}/close"),
        &b.admin,
        json!({}),
    )
    .expect(200);
    b.post("2026-06-15", &[("1300", "5.00", ""), ("2000", "", "5.00")])
        .expect_problem(409, "period_closed");
    app.post(
        &format!("/api/v1/finance/entries/{}/reverse", june_entry.id()),
        &b.admin,
        json!({}),
    )
    .expect_problem(409, "period_closed");
    app.post(
        &format!("/api/v1/finance/periods/{june}/close"),
        &b.admin,
        json!({}),
    )
    .expect_problem(409, "invalid_state");
    let closer = UserBuilder::new("closer")
        .permissions(&["finance.period.close", "finance.account.read"])
        .create(app, &b.admin);
    app.post(
        &format!("/api/v1/finance/periods/{june}/reopen"),
        &closer.token,
        json!({}),
    )
    .expect_problem(403, "forbidden");
    app.post(
        &format!("/api/v1/finance/periods/{june}/reopen"),
        &b.admin,
        json!({}),
    )
    .expect(200);
    b.post("2026-06-15", &[("1300", "5.00", ""), ("2000", "", "5.00")])
        .expect(201);
    let audit = app
        .get(&format!("/api/v1/audit/events?entity_id={june}"), &b.admin)
        .expect(200);
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["close", "reopen"]);
}

#[test]
fn numbers_stay_gapless_when_many_post_at_once() {
    let b = books();
    let threads: Vec<_> = (0..24)
        .map(|i| {
            let app = b.app.clone();
            let admin = b.admin.clone();
            // Every third one is unbalanced and refused: it must not use up a number.
            let credit = if i % 3 == 2 { "9.99" } else { "10.00" };
            let body = b.entry(
                "SJ",
                "2026-07-01",
                &[("1200", "10.00", ""), ("4000", "", credit)],
                true,
            );
            std::thread::spawn(move || app.post("/api/v1/finance/entries", &admin, body))
        })
        .collect();
    let mut numbers: Vec<String> = Vec::new();
    for t in threads {
        let r = t.join().unwrap();
        match r.status {
            201 => numbers.push(r.body["number"].as_str().unwrap().to_string()),
            422 => assert_eq!(r.body["code"], "unbalanced_entry"),
            other => panic!("{other}: {}", r.text),
        }
    }
    numbers.sort();
    let expected: Vec<String> = (1..=16).map(|n| format!("SJ-2026-{n:06}")).collect();
    assert_eq!(numbers, expected);
    let tb = b.trial_balance("2026-07-01", "2026-07-31");
    assert_eq!(closing_of(&tb, "4000"), "-160.00");
}

#[test]
fn the_ledger_is_finance_staff_only_and_branches_bind_postings() {
    let b = books();
    let app = &b.app;
    let seller = crm_seller(app, &b.admin, "sally");
    app.get("/api/v1/finance/entries", &seller.token)
        .expect_problem(403, "forbidden");
    app.get(
        "/api/v1/finance/reports/trial-balance?from=2026-01-01&to=2026-01-31",
        &seller.token,
    )
    .expect_problem(403, "forbidden");
    // A bookkeeper of the head office posts to it, not to another branch.
    let hq = app.get("/api/v1/org/branches", &b.admin).expect(200).body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other = app
        .post(
            "/api/v1/org/branches",
            &b.admin,
            json!({"code": "B2", "name": "Second city"}),
        )
        .expect(201)
        .id();
    let clerk = UserBuilder::new("clerk")
        .permissions(&[
            "finance.entry.*",
            "finance.report.read",
            "finance.account.read",
        ])
        .branches(&[&hq])
        .create(app, &b.admin);
    let mut body = b.entry(
        "GJ",
        "2026-08-03",
        &[("6200", "50.00", ""), ("1000", "", "50.00")],
        true,
    );
    body["lines"][0]["branch_id"] = json!(hq);
    body["lines"][1]["branch_id"] = json!(hq);
    app.post("/api/v1/finance/entries", &clerk.token, body.clone())
        .expect(201);
    body["lines"][0]["branch_id"] = json!(other);
    let r = app
        .post("/api/v1/finance/entries", &clerk.token, body.clone())
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "lines[0].branch_id");
    // The administrator posts to the other branch; the clerk's statements do not show it.
    app.post("/api/v1/finance/entries", &b.admin, body)
        .expect(201);
    let tb = app
        .get(
            "/api/v1/finance/reports/trial-balance?from=2026-08-01&to=2026-08-31",
            &clerk.token,
        )
        .expect(200)
        .body;
    assert_eq!(closing_of(&tb, "6200"), "50.00");
    let all = b.trial_balance("2026-08-01", "2026-08-31");
    assert_eq!(closing_of(&all, "6200"), "100.00");
    let by_branch = app
        .get(
            &format!("/api/v1/finance/reports/trial-balance?from=2026-08-01&to=2026-08-31&branch_id={other}"),
            &b.admin,
        )
        .expect(200)
        .body;
    assert_eq!(closing_of(&by_branch, "6200"), "50.00");
    assert_eq!(closing_of(&by_branch, "1000"), "absent");
    app.get(
        &format!(
            "/api/v1/finance/reports/trial-balance?from=2026-08-01&to=2026-08-31&branch_id={other}"
        ),
        &clerk.token,
    )
    .expect_problem(404, "not_found");
    // A statement over days that are not whole periods is refused.
    app.get(
        "/api/v1/finance/reports/trial-balance?from=2026-08-02&to=2026-08-31",
        &b.admin,
    )
    .expect_problem(422, "validation_failed");
}

#[test]
fn a_national_chart_imports_from_csv_all_or_nothing() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let csv = |body: &str| erp_tests::Req {
        raw_body: Some(("text/csv".into(), body.into())),
        ..erp_tests::Req::default()
    };
    let send = |body: &str| {
        app.send(
            "POST",
            "/api/v1/finance/import/accounts",
            Some(&admin),
            None,
            &csv(body),
        )
    };
    // A misspelt column, a wrong type and a parent that comes later: refused, row by row.
    let r = send("code,name,account_type,parnet\n10,Cash,asset,\n")
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "columns.parnet");
    let r = send(
        "code,name,account_type,parent\n1,Assets,asset,\n10,Cash,cash,1\n11,Bank,asset,19\n19,Other,asset,1\n",
    )
    .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert_eq!(
        fields,
        ["rows[2].account_type", "rows[3].parent"],
        "{}",
        r.text
    );
    let none = app.get("/api/v1/finance/accounts", &admin).expect(200);
    assert!(
        none.body["items"].as_array().unwrap().is_empty(),
        "nothing was written"
    );
    // The chart itself.
    let r = send(
        "code,name,account_type,parent,reconcilable,currency\n\
         01,Fixed assets,asset,,,\n\
         0100,Buildings,asset,01,false,\n\
         50,Cash and bank,asset,,,\n\
         5010,Bank account in soum,asset,50,true,UZS\n\
         60,Payables,liability,,,\n\
         6010,Suppliers,liability,60,true,\n",
    )
    .expect(200);
    assert_eq!(r.body["imported"], 6);
    let accounts = app
        .get("/api/v1/finance/accounts?code_prefix=50", &admin)
        .expect(200)
        .body;
    let bank = accounts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "5010")
        .unwrap()
        .clone();
    assert_eq!(bank["currency"], "UZS");
    assert_eq!(bank["reconcilable"], true);
    assert_eq!(bank["normal_side"], "debit");
    let parent = accounts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "50")
        .unwrap();
    assert_eq!(bank["parent_id"], parent["id"]);
    // The same file again: every code is taken.
    send("code,name,account_type\n01,Fixed assets,asset\n")
        .expect_problem(422, "validation_failed");
}

#[test]
fn budgets_are_approved_and_compared_with_the_ledger() {
    let b = books();
    let app = &b.app;
    b.post(
        "2026-01-10",
        &[("1200", "1000.00", ""), ("4000", "", "1000.00")],
    )
    .expect(201);
    b.post(
        "2026-01-20",
        &[("6200", "800.00", ""), ("1000", "", "800.00")],
    )
    .expect(201);
    let line = |code: &str, period: i32, amount: &str| json!({"account_id": b.accounts[code], "period": period, "amount": amount});
    let r = app
        .post(
            "/api/v1/finance/budgets",
            &b.admin,
            json!({"name": "2026 plan", "fiscal_year": 2026, "lines": [line("4000", 13, "1.00"), line("6200", 1, "1.00"), line("6200", 1, "2.00")]}),
        )
        .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert_eq!(fields, ["lines[0].period", "lines[2].period"], "{}", r.text);
    app.post(
        "/api/v1/finance/budgets",
        &b.admin,
        json!({"name": "2031 plan", "fiscal_year": 2031, "lines": []}),
    )
    .expect_problem(422, "validation_failed");
    let budget = app
        .post(
            "/api/v1/finance/budgets",
            &b.admin,
            json!({"name": "2026 plan", "fiscal_year": 2026, "lines": [line("4000", 1, "1200.00"), line("6200", 1, "700.00"), line("4000", 2, "1000.00")]}),
        )
        .expect(201);
    assert_eq!(budget.body["status"], "draft");
    assert_eq!(budget.body["total"], "2900.00");
    let id = budget.id();
    let report = app
        .get(
            &format!("/api/v1/finance/reports/budget-vs-actual?budget_id={id}&from=2026-01-01&to=2026-01-31"),
            &b.admin,
        )
        .expect(200)
        .body;
    let row = |code: &str| {
        report["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == code)
            .unwrap()
            .clone()
    };
    let revenue = row("4000");
    assert_eq!(
        (
            revenue["budget"].as_str(),
            revenue["actual"].as_str(),
            revenue["variance"].as_str()
        ),
        (Some("1200.00"), Some("1000.00"), Some("-200.00"))
    );
    assert_eq!(revenue["percent"], "83.33");
    let rent = row("6200");
    assert_eq!(
        (
            rent["budget"].as_str(),
            rent["actual"].as_str(),
            rent["variance"].as_str()
        ),
        (Some("700.00"), Some("800.00"), Some("100.00"))
    );
    assert_eq!(rent["percent"], "114.29");
    // The chart draws the same comparison, the figures as text.
    let chart = app.get(
        &format!("/api/v1/finance/reports/budget-vs-actual.svg?budget_id={id}&from=2026-01-01&to=2026-01-31"),
        &b.admin,
    );
    let chart = chart.expect(200).text;
    assert!(chart.starts_with("<svg ") && chart.contains("role=\"img\""));
    assert!(
        chart.contains(">1000.00 of 1200.00 (83.33%)</text>")
            && chart.contains(">800.00 of 700.00 (114.29%)</text>"),
        "{chart}"
    );
    let quarter = app
        .get(
            &format!("/api/v1/finance/reports/budget-vs-actual?budget_id={id}&from=2026-01-01&to=2026-03-31"),
            &b.admin,
        )
        .expect(200)
        .body;
    let revenue = quarter["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "4000")
        .unwrap();
    assert_eq!(revenue["budget"], "2200.00");
    // Approval is a right of its own, and happens once.
    let planner = UserBuilder::new("planner")
        .permissions(&["finance.budget.write", "finance.report.read"])
        .create(app, &b.admin);
    app.post(
        &format!("/api/v1/finance/budgets/{id}/approve"),
        &planner.token,
        json!({}),
    )
    .expect_problem(403, "forbidden");
    let approved = app
        .post(
            &format!("/api/v1/finance/budgets/{id}/approve"),
            &b.admin,
            json!({}),
        )
        .expect(200);
    assert_eq!(approved.body["status"], "approved");
    app.post(
        &format!("/api/v1/finance/budgets/{id}/approve"),
        &b.admin,
        json!({}),
    )
    .expect_problem(409, "invalid_state");
}

#[test]
fn a_chart_loads_in_bulk_all_or_nothing() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let account = |code: &str, name: &str, kind: &str| json!({"code": code, "name": name, "account_type": kind});
    let chart = |app: &TestApp| {
        app.get("/api/v1/finance/accounts?limit=500", &admin)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = chart(&app);
    let r = app
        .post(
            "/api/v1/finance/accounts/batch",
            &admin,
            json!({"accounts": [account("7100", "Rent", "expense"), account("7100", "Rent again", "expense"),
                                account("", "Power", "expense")]}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields().len(), 2, "{}", r.body);
    assert_eq!(r.error_fields()[0], "accounts[1]", "{}", r.body);
    assert_eq!(chart(&app), before, "nothing was written");
    let dry = app
        .post(
            "/api/v1/finance/accounts/batch?dry_run=true",
            &admin,
            json!({"accounts": [account("7100", "Rent", "expense")]}),
        )
        .expect(200);
    assert_eq!(dry.body["accounts"][0]["code"], "7100");
    assert_eq!(chart(&app), before);
    let made = app
        .post(
            "/api/v1/finance/accounts/batch",
            &admin,
            json!({"accounts": [account("7100", "Rent", "expense"), account("7200", "Power", "expense")]}),
        )
        .expect(201);
    assert_eq!(made.body["accounts"][1]["normal_side"], "debit");
    assert_eq!(chart(&app), before + 2);
}

#[test]
fn a_filter_naming_nothing_is_not_found_on_every_finance_list_and_report() {
    let b = books();
    let partner = b.partner("Kunde AG", "customer");
    let bank = b.accounts["1100"].as_str();
    let journal = b.journals["GJ"].as_str();
    let p = Some(partner.as_str());
    for (path, param, real, entity) in [
        (
            "/api/v1/finance/bank-statements",
            "account_id",
            Some(bank),
            "account",
        ),
        (
            "/api/v1/finance/reports/unreconciled",
            "account_id",
            Some(bank),
            "account",
        ),
        (
            "/api/v1/finance/entries",
            "journal_id",
            Some(journal),
            "journal",
        ),
        ("/api/v1/finance/invoices", "partner_id", p, "partner"),
        ("/api/v1/finance/payments", "partner_id", p, "partner"),
        (
            "/api/v1/finance/reports/aging?side=receivable",
            "partner_id",
            p,
            "partner",
        ),
        (
            "/api/v1/finance/reports/aging.svg?side=receivable",
            "partner_id",
            None,
            "partner",
        ),
        (
            "/api/v1/finance/reports/trial-balance?from=2026-01-01&to=2026-01-31",
            "branch_id",
            None,
            "branch",
        ),
        (
            "/api/v1/finance/reports/balance-sheet?as_of=2026-01-31",
            "branch_id",
            None,
            "branch",
        ),
    ] {
        check_id_filter(&b.app, &b.admin, path, param, real, entity);
    }
    // An account that exists but is no bank account is a bad choice, not a missing one.
    b.app
        .get(
            &format!(
                "/api/v1/finance/reports/unreconciled?account_id={}",
                b.accounts["4000"]
            ),
            &b.admin,
        )
        .expect_problem(422, "validation_failed");
}

#[test]
fn a_chart_exported_imports_into_another_company_and_exports_the_same() {
    let import = |app: &TestApp, admin: &str, body: &str| {
        let req = erp_tests::Req {
            raw_body: Some(("text/csv".into(), body.into())),
            ..erp_tests::Req::default()
        };
        app.send(
            "POST",
            "/api/v1/finance/import/accounts",
            Some(admin),
            None,
            &req,
        )
    };
    let export = |app: &TestApp, admin: &str| {
        let (status, _, body) = app.get_bytes("/api/v1/finance/export/accounts", admin);
        assert_eq!(status, 200);
        String::from_utf8(body).unwrap()
    };
    let here = TestApp::spawn();
    let admin = here.admin_token();
    // A child whose code sorts before its parent's, and a retired account.
    import(
        &here,
        &admin,
        "code,name,account_type,parent,reconcilable,currency,active\n\
         9,Assets,asset,,,,\n\
         10,Cash,asset,9,true,UZS,\n\
         11,Old till,asset,9,,,false\n\
         2,Payables,liability,,,,\n",
    )
    .expect(200);
    let exported = export(&here, &admin);
    assert_eq!(
        exported.lines().collect::<Vec<_>>(),
        [
            "code,name,account_type,parent,reconcilable,currency,active",
            "2,Payables,liability,,false,,true",
            "9,Assets,asset,,false,,true",
            "10,Cash,asset,9,true,UZS,true",
            "11,Old till,asset,9,false,,false",
        ],
        "each parent before its children"
    );
    let old = here
        .get("/api/v1/finance/accounts?code_prefix=11", &admin)
        .expect(200)
        .body;
    assert_eq!(old["items"][0]["active"], false, "{old}");

    let there = TestApp::spawn();
    let admin2 = there.admin_token();
    import(&there, &admin2, &exported).expect(200);
    assert_eq!(export(&there, &admin2), exported);
}
