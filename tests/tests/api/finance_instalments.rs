//! Payment terms in instalments: the schedule a document gets, what of each instalment stays
//! open as payments settle the earliest first, and the aging, dunning and payment run by the
//! instalments' own due dates.

use erp_tests::finance::books;
use serde_json::{json, Value};

fn bucket(aging: &Value, name: &str) -> String {
    aging["totals"][name].as_str().unwrap().to_string()
}

#[test]
fn instalment_terms_split_a_document_and_each_part_ages_from_its_own_due_date() {
    let b = books();
    let terms = |body: Value| b.app.post("/api/v1/finance/payment-terms", &b.admin, body);
    // Shares not adding up to 100, days not ascending, net days not the last: refused by field.
    for (bad, field) in [
        (
            json!([{"percent": "30", "days": 0}, {"percent": "60", "days": 30}]),
            "instalments",
        ),
        (
            json!([{"percent": "30", "days": 30}, {"percent": "70", "days": 30}]),
            "instalments[1].days",
        ),
        (
            json!([{"percent": "30", "days": 0}, {"percent": "70", "days": 60}]),
            "net_days",
        ),
    ] {
        let p = terms(json!({"code": "BAD", "name": "bad", "net_days": 30, "instalments": bad}))
            .expect_problem(422, "validation_failed");
        assert!(
            p.body.to_string().contains(&format!("\"{field}\"")),
            "{field}: {}",
            p.body
        );
    }
    let split = terms(
        json!({"code": "30-70", "name": "30 % now, 70 % in 30 days", "net_days": 30,
        "instalments": [{"percent": "30", "days": 0}, {"percent": "70", "days": 30}]}),
    )
    .expect(201)
    .body;
    assert_eq!(split["instalments"][1]["percent"], "70");
    let terms_id = split["id"].as_str().unwrap();
    let read = b.get(&format!("/api/v1/finance/payment-terms/{terms_id}"));
    assert_eq!(read["instalments"], split["instalments"]);
    assert_eq!(read["code"], "30-70");

    let acme = b.partner("Acme", "customer");
    // A due date of its own does not go with instalments.
    b.invoice(
        "customer_invoice",
        &acme,
        "2026-03-02",
        &[("1", "333.33", None)],
        json!({"payment_terms_id": terms_id, "due_date": "2026-03-31"}),
    )
    .expect_problem(422, "validation_failed");
    let inv = b
        .invoice(
            "customer_invoice",
            &acme,
            "2026-03-02",
            &[("1", "333.33", None)],
            json!({"payment_terms_id": terms_id}),
        )
        .expect(201)
        .body;
    let id = inv["id"].as_str().unwrap().to_string();
    // 30 % of 333.33 = 99.999 -> 100.00; the last takes the rest.
    assert_eq!(inv["due_date"], "2026-04-01");
    let schedule: Vec<(&str, &str, &str)> = inv["instalments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["due_date"].as_str().unwrap(),
                i["amount"].as_str().unwrap(),
                i["open_amount"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        schedule,
        [
            ("2026-03-02", "100.00", "100.00"),
            ("2026-04-01", "233.33", "233.33")
        ]
    );

    // On 20 March the first is 18 days overdue, the second not yet due.
    let aging = b.get("/api/v1/finance/reports/aging?side=receivable&at=2026-03-20");
    assert_eq!(
        (bucket(&aging, "days_1_30"), bucket(&aging, "current")),
        ("100.00".into(), "233.33".into())
    );
    let line = &aging["partners"][0]["invoices"][0];
    assert_eq!(
        (&line["due_date"], &line["days_overdue"]),
        (&json!("2026-03-02"), &json!(18))
    );
    // The dunning list asks for what is overdue only.
    let dunning = b.get("/api/v1/finance/reports/dunning?at=2026-03-20");
    assert_eq!(
        dunning["partners"][0]["invoices"][0]["open_amount"],
        "100.00"
    );
    assert_eq!(dunning["total_to_collect"], "100.00");

    // 150.00 settles the first instalment and 50.00 of the second.
    b.pay(
        "customer_receipt",
        &acme,
        "2026-03-25",
        "150.00",
        json!([{"invoice_id": id, "amount": "150.00"}]),
    )
    .expect(201);
    let now = b.get(&format!("/api/v1/finance/invoices/{id}"));
    assert_eq!(now["instalments"][0]["open_amount"], "0.00");
    assert_eq!(now["instalments"][1]["open_amount"], "183.33");
    let aging = b.get("/api/v1/finance/reports/aging?side=receivable&at=2026-03-25");
    assert_eq!(
        (bucket(&aging, "days_1_30"), bucket(&aging, "current")),
        ("0.00".into(), "183.33".into())
    );
    assert_eq!(
        aging["partners"][0]["invoices"][0]["due_date"],
        "2026-04-01"
    );
    let dunning = b.get("/api/v1/finance/reports/dunning?at=2026-03-25");
    assert_eq!(dunning["partners"], json!([]));

    // A bill under the same terms: the payment run pays what is due by the date asked.
    let supplier = b.partner("Globex", "supplier");
    b.invoice(
        "supplier_bill",
        &supplier,
        "2026-03-02",
        &[("1", "200.00", None)],
        json!({"payment_terms_id": terms_id}),
    )
    .expect(201);
    let first = b.get("/api/v1/finance/payment-proposal?pay_on=2026-03-10");
    assert_eq!(first["total"], "60.00");
    let all = b.get("/api/v1/finance/payment-proposal?pay_on=2026-03-10&due_by=2026-04-01");
    assert_eq!(all["total"], "200.00");
}
