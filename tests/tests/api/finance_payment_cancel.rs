//! Cancelling a payment: its allocations are undone (the invoice is open again, the discount
//! reversed), its entry reversed on the date given; the aging and statement of earlier dates
//! still show it as it was; a payment a bank line accounts for is not cancelled.

use erp_tests::builders::crm_seller;
use erp_tests::finance::{books, closing_of};
use serde_json::json;

#[test]
fn a_cancelled_payment_reopens_what_it_settled_and_history_stays_true() {
    let b = books();
    let nord = b.partner("Nord", "customer");
    let terms = b
        .app
        .post(
            "/api/v1/finance/payment-terms",
            &b.admin,
            json!({"code": "2-10-NET30", "name": "2/10 net 30", "net_days": 30,
                   "discount_days": 10, "discount_rate": "2"}),
        )
        .expect(201)
        .id();
    let inv = b
        .invoice(
            "customer_invoice",
            &nord,
            "2026-03-02",
            &[("1", "100", None)],
            json!({"payment_terms_id": terms}),
        )
        .expect(201)
        .body;
    let inv_id = inv["id"].as_str().unwrap().to_string();
    let paid = b
        .pay(
            "customer_receipt",
            &nord,
            "2026-03-05",
            "98.00",
            json!([{"invoice_id": inv_id, "amount": "98.00", "discount": "2.00"}]),
        )
        .expect(201)
        .body;
    let pid = paid["id"].as_str().unwrap().to_string();
    let cancel = |body: serde_json::Value| {
        b.app.post(
            &format!("/api/v1/finance/payments/{pid}/cancel"),
            &b.admin,
            body,
        )
    };
    let ann = crm_seller(&b.app, &b.admin, "ann");
    b.app
        .post(
            &format!("/api/v1/finance/payments/{pid}/cancel"),
            &ann.token,
            json!({}),
        )
        .expect_problem(403, "forbidden");
    let e = cancel(json!({"date": "2026-03-04"}))
        .expect_problem(422, "validation_failed")
        .body
        .to_string();
    assert!(e.contains("date"), "{e}");

    let done = cancel(json!({"date": "2026-03-20"})).expect(200).body;
    assert_eq!(done["status"], "cancelled");
    assert_eq!(done["cancelled_on"], "2026-03-20");
    assert_eq!(done["unallocated"], "0.00");
    assert_eq!(done["allocations"][0]["undone_on"], "2026-03-20");
    let again = b.get(&format!("/api/v1/finance/invoices/{inv_id}"));
    assert_eq!(
        (
            again["open_amount"].as_str(),
            again["payment_state"].as_str()
        ),
        (Some("100.00"), Some("open"))
    );
    cancel(json!({})).expect_problem(409, "invalid_state");
    // The ledger: the receivable is back, the bank and the discount are not.
    let tb = b.trial_balance("2026-03-01", "2026-03-31");
    assert_eq!(closing_of(&tb, "1200"), "100.00");
    assert_eq!(closing_of(&tb, "1100"), "0.00");
    assert_eq!(closing_of(&tb, "6900"), "0.00");
    // The aging of a day between payment and cancellation shows it paid; after, open.
    let aging = |at: &str| {
        b.get(&format!(
            "/api/v1/finance/reports/aging?side=receivable&at={at}"
        ))["totals"]["balance"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(aging("2026-03-10"), "0.00");
    assert_eq!(aging("2026-03-31"), "100.00");
    // The statement tells the story and ends where the ledger does.
    let st = b.get(&format!(
        "/api/v1/finance/partners/{nord}/statement?side=receivable&from=2026-03-01&to=2026-03-31"
    ));
    let items: Vec<&str> = st["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["item"].as_str().unwrap())
        .collect();
    assert_eq!(
        items,
        [
            "invoice",
            "payment",
            "discount",
            "cancellation",
            "cancellation"
        ]
    );
    assert_eq!(st["closing_balance"], "100.00");
    let mid = b.get(&format!(
        "/api/v1/finance/partners/{nord}/statement?side=receivable&from=2026-03-01&to=2026-03-10"
    ));
    assert_eq!(mid["closing_balance"], "0.00");
    // Paid again in full later; the invoice is settled once more.
    b.pay(
        "customer_receipt",
        &nord,
        "2026-03-25",
        "100.00",
        json!([{"invoice_id": inv_id, "amount": "100.00"}]),
    )
    .expect(201);
    assert_eq!(
        b.get(&format!("/api/v1/finance/invoices/{inv_id}"))["payment_state"],
        "paid"
    );

    // A payment a bank line accounts for stays.
    let receipt = b
        .pay("customer_receipt", &nord, "2026-03-26", "50.00", json!([]))
        .expect(201)
        .body;
    let st = b
        .app
        .post(
            "/api/v1/finance/bank-statements",
            &b.admin,
            json!({"account_id": b.accounts["1100"], "reference": "S1",
                   "lines": [{"booking_date": "2026-03-26", "amount": "50.00"}]}),
        )
        .expect(201)
        .body;
    b.app
        .post(
            &format!(
                "/api/v1/finance/bank-lines/{}/reconcile",
                st["lines"][0]["id"].as_str().unwrap()
            ),
            &b.admin,
            json!({"matches": [{"payment_id": receipt["id"], "amount": "50.00"}]}),
        )
        .expect(200);
    b.app
        .post(
            &format!(
                "/api/v1/finance/payments/{}/cancel",
                receipt["id"].as_str().unwrap()
            ),
            &b.admin,
            json!({}),
        )
        .expect_problem(409, "payment_reconciled");
}
