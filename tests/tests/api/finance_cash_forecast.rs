//! The cash-flow forecast by week: cash today, open receivables and payables by due date, and
//! what sales orders, purchase orders and the weighted pipeline expect, each line with its
//! source.

use erp_tests::builders::{crm_seller, item, receive, Stockroom};
use erp_tests::finance::books;
use serde_json::{json, Value};

fn sources(f: &Value) -> Vec<(String, String)> {
    f["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["source"].as_str().unwrap().to_string(),
                l["amount"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn open_items_fall_into_the_weeks_of_their_due_dates_from_the_cash_there_is() {
    let b = books();
    b.post(
        "2026-11-02",
        &[("1100", "5000.00", ""), ("3200", "", "5000.00")],
    )
    .expect(201);
    let nord = b.partner("Nord", "customer");
    let acme = b.partner("Acme", "supplier");
    let due = b
        .invoice(
            "customer_invoice",
            &nord,
            "2026-11-20",
            &[("1", "100", None)],
            json!({"due_date": "2026-12-10"}),
        )
        .expect(201)
        .body;
    // Overdue since November: expected in the first week.
    b.invoice(
        "customer_invoice",
        &nord,
        "2026-11-01",
        &[("1", "50", None)],
        json!({}),
    )
    .expect(201);
    b.invoice(
        "supplier_bill",
        &acme,
        "2026-11-25",
        &[("1", "80", None)],
        json!({"due_date": "2026-12-20"}),
    )
    .expect(201);
    b.pay(
        "customer_receipt",
        &nord,
        "2026-11-30",
        "30.00",
        json!([{"invoice_id": due["id"], "amount": "30.00"}]),
    )
    .expect(201);

    let f = b.get("/api/v1/finance/reports/cash-forecast?from=2026-12-07&weeks=3");
    assert_eq!(f["cash_accounts"], json!(["1000", "1100"]));
    assert_eq!(f["opening_cash"], "5030.00");
    let weeks = f["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 3);
    assert_eq!(
        (
            weeks[0]["starts_on"].as_str(),
            weeks[0]["ends_on"].as_str(),
            weeks[0]["inflow"].as_str(),
            weeks[0]["closing"].as_str()
        ),
        (
            Some("2026-12-07"),
            Some("2026-12-13"),
            Some("120.00"),
            Some("5150.00")
        )
    );
    assert_eq!(
        (weeks[1]["outflow"].as_str(), weeks[1]["closing"].as_str()),
        (Some("-80.00"), Some("5070.00"))
    );
    assert_eq!(weeks[2]["net"], "0.00");
    // The chart draws the same weeks, each closing balance as text.
    let chart = b.app.get(
        "/api/v1/finance/reports/cash-forecast.svg?from=2026-12-07&weeks=3",
        &b.admin,
    );
    let chart = chart.expect(200).text;
    for week in [
        ">in 120.00, out 0.00, end 5150.00</text>",
        ">in 0.00, out -80.00, end 5070.00</text>",
        ">in 0.00, out 0.00, end 5070.00</text>",
    ] {
        assert!(chart.contains(week), "{week}: {chart}");
    }
    assert_eq!(
        sources(&f),
        [
            ("receivable".to_string(), "50.00".to_string()),
            ("receivable".to_string(), "70.00".to_string()),
            ("payable".to_string(), "-80.00".to_string())
        ]
    );
    // Only the bank account counts when asked so; a code that is no account is refused.
    let f =
        b.get("/api/v1/finance/reports/cash-forecast?from=2026-12-07&weeks=1&cash_accounts=1100");
    assert_eq!(f["cash_accounts"], json!(["1100"]));
    for bad in [
        "weeks=0",
        "weeks=105",
        "cash_accounts=9999",
        "sales_days=-1",
    ] {
        let r = b.app.get(
            &format!("/api/v1/finance/reports/cash-forecast?{bad}"),
            &b.admin,
        );
        assert!(
            r.status == 422 || r.status == 400,
            "{bad}: {} {}",
            r.status,
            r.body
        );
    }
    let ann = crm_seller(&b.app, &b.admin, "ann");
    b.app
        .get("/api/v1/finance/reports/cash-forecast", &ann.token)
        .expect_problem(403, "forbidden");
}

#[test]
fn sales_orders_purchase_orders_and_the_pipeline_are_expected_too() {
    let b = books();
    let today = chrono::Utc::now().date_naive().to_string();
    let room = Stockroom::create(&b.app, &b.admin, "SHOP");
    let bolt = item(&b.app, &b.admin, "BOLT", json!({}));
    receive(&b.app, &b.admin, &bolt, &room.stock, "100", "0.50");
    let customer = b
        .app
        .post(
            "/api/v1/crm/customers",
            &b.admin,
            json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    // 40 bolts at 1.25 less 10 %: 45.00; 16 of them invoiced (18.00), 27.00 expected.
    let order = b
        .app
        .post(
            "/api/v1/crm/sales-orders",
            &b.admin,
            json!({"customer_id": customer, "location_id": room.stock, "lines": [
                {"item_id": bolt, "quantity": "40", "unit_price": "1.25", "discount_percent": "10"}]}),
        )
        .expect(201)
        .id();
    for step in ["confirm", "deliver"] {
        b.app
            .post(
                &format!("/api/v1/crm/sales-orders/{order}/{step}"),
                &b.admin,
                json!({}),
            )
            .expect(200);
    }
    b.app
        .post(
            &format!("/api/v1/crm/sales-orders/{order}/invoice"),
            &b.admin,
            json!({"invoice_date": "2026-12-01", "post": true,
                   "lines": [{"line_no": 1, "quantity": "16"}]}),
        )
        .expect(201);
    // A purchase order of 10 at 2.00 expected today.
    let acme = b.partner("Acme", "supplier");
    let po = b
        .app
        .post(
            "/api/v1/inventory/purchase-orders",
            &b.admin,
            json!({"supplier_id": acme, "warehouse_id": room.warehouse, "expected_date": today,
                   "lines": [{"item_id": bolt, "quantity": "10", "unit_price": "2.00"}]}),
        )
        .expect(201)
        .id();
    b.app
        .post(
            &format!("/api/v1/inventory/purchase-orders/{po}/confirm"),
            &b.admin,
            json!({}),
        )
        .expect(200);
    // A deal of 12000.00 in qualification (10 %), closing today.
    b.app
        .post(
            "/api/v1/crm/deals",
            &b.admin,
            json!({"customer_id": customer, "title": "Beams", "value": "12000.00", "expected_close": today}),
        )
        .expect(201);

    // MRP plans to buy 5 wire at its standard cost of 3.00, due today.
    let wire = item(
        &b.app,
        &b.admin,
        "WIRE",
        json!({"lead_time_days": 0, "standard_cost": "3.00"}),
    );
    b.app
        .post(
            "/api/v1/mrp/demands",
            &b.admin,
            json!({"item_id": wire, "kind": "mps", "due_date": today, "quantity": "5"}),
        )
        .expect(201);
    erp_tests::builders::mrp_run(&b.app, &b.admin, json!({"start_date": today, "buckets": 2}));
    let path = format!(
        "/api/v1/finance/reports/cash-forecast?from={today}&weeks=2&sales_days=0&purchase_days=0"
    );
    let f = b.get(&path);
    let mut got = sources(&f);
    got.sort();
    let want: Vec<(String, String)> = [
        ("pipeline", "1200.00"),
        ("planned_purchase", "-15.00"),
        ("purchase_order", "-20.00"),
        ("receivable", "18.00"),
        ("sales_order", "27.00"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want);
    assert_eq!(f["weeks"][0]["inflow"], "1245.00");
    assert_eq!(f["weeks"][0]["outflow"], "-35.00");
    // Without the pipeline.
    let f = b.get(&format!("{path}&include_pipeline=false"));
    assert!(sources(&f).iter().all(|(s, _)| s != "pipeline"));
}

#[test]
fn orders_and_deals_in_another_currency_count_at_the_rate_of_the_first_day() {
    let b = books();
    let today = chrono::Utc::now().date_naive().to_string();
    let room = Stockroom::create(&b.app, &b.admin, "SHOP");
    let bolt = item(&b.app, &b.admin, "BOLT", json!({}));
    let acme = b.partner("Acme Inc", "supplier");
    let po = b
        .app
        .post(
            "/api/v1/inventory/purchase-orders",
            &b.admin,
            json!({"supplier_id": acme, "warehouse_id": room.warehouse, "expected_date": today,
                   "currency": "USD",
                   "lines": [{"item_id": bolt, "quantity": "10", "unit_price": "2.05"}]}),
        )
        .expect(201)
        .id();
    b.app
        .post(
            &format!("/api/v1/inventory/purchase-orders/{po}/confirm"),
            &b.admin,
            json!({}),
        )
        .expect(200);
    let customer = b
        .app
        .post(
            "/api/v1/crm/customers",
            &b.admin,
            json!({"partner": {"kind": "organisation", "name": "Boston Beams"}}),
        )
        .expect(201)
        .id();
    // A deal of 1,000.00 dollars in qualification (10 %).
    b.app
        .post(
            "/api/v1/crm/deals",
            &b.admin,
            json!({"customer_id": customer, "title": "Beams", "value": "1000.00",
                   "currency": "USD", "expected_close": today}),
        )
        .expect(201);
    let path = format!(
        "/api/v1/finance/reports/cash-forecast?from={today}&weeks=2&sales_days=0&purchase_days=0"
    );
    // Without a dollar rate the forecast cannot count them, and says so.
    let r = b
        .app
        .get(&path, &b.admin)
        .expect_problem(422, "validation_failed");
    assert!(
        r.body.to_string().contains("no exchange rate of USD"),
        "{}",
        r.body
    );
    b.app
        .post(
            "/api/v1/finance/exchange-rates",
            &b.admin,
            json!({"currency": "USD", "rate_date": "2026-01-01", "rate": "0.9"}),
        )
        .expect(201);
    let f = b.get(&path);
    let mut got: Vec<(String, String, String, String)> = f["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let s = |k: &str| l[k].as_str().unwrap_or("-").to_string();
            (
                s("source"),
                s("amount"),
                s("currency"),
                s("amount_in_currency"),
            )
        })
        .collect();
    got.sort();
    // 20.50 dollars to pay are 18.45 here; 100.00 dollars expected are 90.00.
    let want: Vec<(String, String, String, String)> = [
        ("pipeline", "90.00", "USD", "100.00"),
        ("purchase_order", "-18.45", "USD", "-20.50"),
    ]
    .iter()
    .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
    .collect();
    assert_eq!(got, want);
    assert_eq!(f["weeks"][0]["net"], "71.55");
}
