//! Collecting and paying: the dunning list of overdue customers by level, and the payment run
//! that proposes supplier bills by due date and open discount and pays them all or nothing.

use erp_tests::builders::UserBuilder;
use erp_tests::finance::{books, closing_of};
use serde_json::{json, Value};

fn names_and_levels(report: &Value) -> Vec<(String, i64)> {
    report["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["partner_name"].as_str().unwrap().to_string(),
                p["level"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_dunning_list_ranks_overdue_customers_and_leaves_out_those_whose_credit_covers_it() {
    let b = books();
    let alpha = b.partner("Alpha", "customer");
    let beta = b.partner("Beta", "customer");
    let gamma = b.partner("Gamma", "customer");
    let one = |partner: &str, date: &str, amount: &str, extra: Value| {
        b.invoice(
            "customer_invoice",
            partner,
            date,
            &[("1", amount, None)],
            extra,
        )
        .expect(201)
        .body
    };
    let old = one(&alpha, "2026-10-01", "100", json!({}));
    one(&alpha, "2026-11-20", "50", json!({}));
    one(&beta, "2026-11-25", "30", json!({}));
    // Beta paid 30.00 without saying for what: its credit covers what is overdue.
    b.pay("customer_receipt", &beta, "2026-11-26", "30.00", json!([]))
        .expect(201);
    // Gamma's invoice is not due yet.
    one(
        &gamma,
        "2026-11-28",
        "70",
        json!({"due_date": "2026-12-10"}),
    );

    let list = b.get("/api/v1/finance/reports/dunning?at=2026-12-01");
    assert_eq!(list["levels"], json!([1, 15, 30]));
    assert_eq!(names_and_levels(&list), [("Alpha".to_string(), 3)]);
    let a = &list["partners"][0];
    assert_eq!(a["overdue"], "150.00");
    assert_eq!(a["to_collect"], "150.00");
    assert_eq!(a["invoices"][0]["invoice_id"], old["id"]);
    assert_eq!(a["invoices"][0]["days_overdue"], 61);
    assert_eq!(a["invoices"][0]["level"], 3);
    assert_eq!(a["invoices"][1]["level"], 1);
    assert_eq!(list["total_to_collect"], "150.00");
    // Levels are the caller's: from 60 and 90 days, the old invoice is at level 2.
    let list = b.get("/api/v1/finance/reports/dunning?at=2026-12-01&levels=1,60,90");
    assert_eq!(list["partners"][0]["level"], 2);
    // Later on, Gamma is overdue too and Alpha stays first (the higher level).
    let list = b.get("/api/v1/finance/reports/dunning?at=2026-12-20");
    assert_eq!(
        names_and_levels(&list),
        [("Alpha".to_string(), 3), ("Gamma".to_string(), 1)]
    );
    for bad in ["5,3", "abc", "0,10", ""] {
        b.app
            .get(
                &format!("/api/v1/finance/reports/dunning?levels={bad}"),
                &b.admin,
            )
            .expect_problem(422, "validation_failed");
    }
    // A CRM seller sees no dunning list.
    let ann = erp_tests::builders::crm_seller(&b.app, &b.admin, "ann");
    b.app
        .get("/api/v1/finance/reports/dunning", &ann.token)
        .expect_problem(403, "forbidden");
}

#[test]
fn the_payment_run_pays_what_is_due_and_takes_open_discounts_all_or_nothing() {
    let b = books();
    let s1 = b.partner("Sigma", "supplier");
    let s2 = b.partner("Tau", "supplier");
    let terms = b
        .app
        .post(
            "/api/v1/finance/payment-terms",
            &b.admin,
            json!({"code": "2-10-NET30", "name": "2 % in 10 days, net 30", "net_days": 30,
                   "discount_days": 10, "discount_rate": "2"}),
        )
        .expect(201)
        .id();
    let bill = |partner: &str, date: &str, amount: &str, extra: Value| {
        b.invoice(
            "supplier_bill",
            partner,
            date,
            &[("1", amount, None)],
            extra,
        )
        .expect(201)
        .body
    };
    // Due 2026-12-25, but 2 % off until 2026-12-05.
    let early = bill(&s1, "2026-11-25", "100", json!({"payment_terms_id": terms}));
    // Due since 2026-11-01.
    let due = bill(&s1, "2026-11-01", "40", json!({}));
    // Due 2026-12-15, no discount.
    bill(&s2, "2026-11-28", "60", json!({"due_date": "2026-12-15"}));

    let p = b.get("/api/v1/finance/payment-proposal?pay_on=2026-12-01");
    assert_eq!(p["suppliers"].as_array().unwrap().len(), 1);
    let sigma = &p["suppliers"][0];
    assert_eq!(sigma["partner_name"], "Sigma");
    assert_eq!(sigma["bills"][0]["invoice_id"], due["id"]);
    assert_eq!(sigma["bills"][1]["invoice_id"], early["id"]);
    assert_eq!(sigma["bills"][1]["discount"], "2.00");
    assert_eq!(sigma["bills"][1]["pay"], "98.00");
    assert_eq!(
        (p["total"].as_str(), p["discounts"].as_str()),
        (Some("138.00"), Some("2.00"))
    );
    // Looking to the end of the month, Tau's bill is due too; after the discount date, Sigma's
    // early bill is paid in full.
    let p = b.get("/api/v1/finance/payment-proposal?pay_on=2026-12-06&due_by=2026-12-31");
    assert_eq!(p["total"], "200.00");
    assert_eq!(p["discounts"], "0.00");

    // A clerk who may read bills but not pay them.
    let clerk = UserBuilder::new("clerk")
        .permissions(&["finance.invoice.read"])
        .create(&b.app, &b.admin);
    let run =
        json!({"pay_on": "2026-12-01", "account_id": b.accounts["1100"], "partner_ids": [s1]});
    b.app
        .post(
            "/api/v1/finance/payment-proposal/execute",
            &clerk.token,
            run.clone(),
        )
        .expect_problem(403, "forbidden");
    let done = b
        .app
        .post(
            "/api/v1/finance/payment-proposal/execute",
            &b.admin,
            run.clone(),
        )
        .expect(201)
        .body;
    assert_eq!(done["payments"].as_array().unwrap().len(), 1);
    assert_eq!(done["payments"][0]["amount"], "138.00");
    assert_eq!(done["total"], "138.00");
    for id in [&early["id"], &due["id"]] {
        let inv = b.get(&format!(
            "/api/v1/finance/invoices/{}",
            id.as_str().unwrap()
        ));
        assert_eq!(inv["payment_state"], "paid");
    }
    let tb = b.trial_balance("2026-01-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "2000"), "-60.00");
    assert_eq!(closing_of(&tb, "1100"), "-138.00");
    assert_eq!(closing_of(&tb, "4900"), "-2.00");
    // Sigma has nothing left to pay.
    b.app
        .post("/api/v1/finance/payment-proposal/execute", &b.admin, run)
        .expect_problem(409, "nothing_to_pay");
    // A run into a closed period writes nothing: Tau's bill stays open.
    let periods = b.get("/api/v1/finance/periods?limit=100");
    let december = periods["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["starts_on"] == "2026-12-01")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    b.app
        .post(
            &format!("/api/v1/finance/periods/{december}/close"),
            &b.admin,
            json!({}),
        )
        .expect(200);
    b.app
        .post(
            "/api/v1/finance/payment-proposal/execute",
            &b.admin,
            json!({"pay_on": "2026-12-20", "account_id": b.accounts["1100"]}),
        )
        .expect_problem(409, "period_closed");
    let p = b.get("/api/v1/finance/payment-proposal?pay_on=2026-12-20");
    assert_eq!(p["total"], "60.00");
}
