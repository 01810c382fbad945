//! Receivables and payables through the API: taxed invoices and bills posted into the ledger,
//! payments and their allocation (partial, several invoices, overpayment, later allocation),
//! credit and debit notes, early-payment discounts and write-offs, aging and statements at
//! any date, the tax report against the ledger, refusals that write nothing, concurrent
//! payments that never over-allocate, and rights.

use std::sync::Arc;

use erp_tests::builders::{crm_seller, put, UserBuilder};
use erp_tests::finance::{books, closing_of, Books};
use erp_tests::TestApp;
use serde_json::{json, Value};

fn alloc(invoice: &str, amount: &str) -> Value {
    json!({"invoice_id": invoice, "amount": amount})
}

fn aging(b: &Books, side: &str, at: &str) -> Value {
    b.get(&format!(
        "/api/v1/finance/reports/aging?side={side}&at={at}"
    ))
}

fn invoice_of(b: &Books, id: &str) -> Value {
    b.get(&format!("/api/v1/finance/invoices/{id}"))
}

fn period_id(b: &Books, month: i64) -> String {
    b.get("/api/v1/finance/periods?fiscal_year=2026")["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["number"] == month)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_taxed_sale_is_invoiced_paid_in_parts_and_aged_at_any_date() {
    let b = books();
    let acme = b.partner("Acme", "customer");
    let vat = b.tax("VAT19", "vat", "19", false);
    let terms = b
        .app
        .post(
            "/api/v1/finance/payment-terms",
            &b.admin,
            json!({"code": "NET30", "name": "30 days net", "net_days": 30}),
        )
        .expect(201)
        .id();
    // 10 × 12.50 and 3 × 33.33 at 19 %: 224.99 net, 42.75 tax rounded once over the document.
    let inv = b
        .invoice(
            "customer_invoice",
            &acme,
            "2026-03-02",
            &[("10", "12.50", Some(&vat)), ("3", "33.33", Some(&vat))],
            json!({"payment_terms_id": terms, "reference": "PO 4711"}),
        )
        .expect(201)
        .body;
    assert_eq!(inv["number"], "SJ-2026-000001");
    assert_eq!(inv["status"], "posted");
    assert_eq!(inv["payment_state"], "open");
    assert_eq!(inv["due_date"], "2026-04-01");
    assert_eq!(
        (&inv["net"], &inv["tax"], &inv["total"]),
        (&json!("224.99"), &json!("42.75"), &json!("267.74"))
    );
    assert_eq!(
        inv["lines"][1]["tax"], "19.00",
        "the cent goes to the larger remainder"
    );
    assert_eq!(inv["taxes"][0]["base"], "224.99");
    let inv_id = inv["id"].as_str().unwrap().to_string();
    let entry = b.get(&format!(
        "/api/v1/finance/entries/{}",
        inv["entry_id"].as_str().unwrap()
    ));
    assert_eq!(entry["number"], inv["number"]);
    assert_eq!(entry["total"], "267.74");
    let tb = b.trial_balance("2026-03-01", "2026-03-31");
    assert_eq!(closing_of(&tb, "1200"), "267.74");
    assert_eq!(closing_of(&tb, "4000"), "-224.99");
    assert_eq!(closing_of(&tb, "2200"), "-42.75");

    // A part payment.
    let p1 = b
        .pay(
            "customer_receipt",
            &acme,
            "2026-03-20",
            "100.00",
            json!([alloc(&inv_id, "100.00")]),
        )
        .expect(201)
        .body;
    assert_eq!(p1["number"], "BJ-2026-000001");
    assert_eq!(p1["unallocated"], "0.00");
    let inv = invoice_of(&b, &inv_id);
    assert_eq!(
        (&inv["open_amount"], &inv["payment_state"]),
        (&json!("167.74"), &json!("partial"))
    );
    let march = aging(&b, "receivable", "2026-03-31");
    assert_eq!(march["totals"]["current"], "167.74");
    assert_eq!(march["partners"][0]["partner_name"], "Acme");
    assert_eq!(march["partners"][0]["invoices"][0]["days_overdue"], -1);
    let may = aging(&b, "receivable", "2026-05-15");
    assert_eq!(may["totals"]["days_31_60"], "167.74");
    assert_eq!(may["totals"]["current"], "0.00");

    // A second invoice, then a payment that settles the first and leaves a credit.
    let inv2 = b
        .invoice(
            "customer_invoice",
            &acme,
            "2026-04-10",
            &[("1", "50", None)],
            json!({}),
        )
        .expect(201)
        .id();
    let p2 = b
        .pay(
            "customer_receipt",
            &acme,
            "2026-04-15",
            "250.00",
            json!([alloc(&inv_id, "167.74")]),
        )
        .expect(201)
        .body;
    assert_eq!(p2["unallocated"], "82.26");
    assert_eq!(invoice_of(&b, &inv_id)["payment_state"], "paid");
    let april = aging(&b, "receivable", "2026-04-30");
    assert_eq!(april["totals"]["days_1_30"], "50.00");
    assert_eq!(april["totals"]["unapplied_credit"], "82.26");
    assert_eq!(april["totals"]["balance"], "-32.26");
    // The aging's balance is the receivable account's.
    let tb = b.trial_balance("2026-01-01", "2026-04-30");
    assert_eq!(closing_of(&tb, "1200"), "-32.26");
    assert_eq!(closing_of(&tb, "1100"), "350.00");

    // The credit is allocated later; the past stays as it was.
    let p2 = b
        .app
        .post(
            &format!(
                "/api/v1/finance/payments/{}/allocate",
                p2["id"].as_str().unwrap()
            ),
            &b.admin,
            json!({"allocations": [alloc(&inv2, "50.00")]}),
        )
        .expect(200)
        .body;
    assert_eq!(p2["unallocated"], "32.26");
    assert_eq!(p2["allocations"].as_array().unwrap().len(), 2);
    let april = aging(&b, "receivable", "2026-04-30");
    assert_eq!(april["totals"]["open_total"], "0.00");
    assert_eq!(april["totals"]["balance"], "-32.26");
    assert_eq!(
        aging(&b, "receivable", "2026-03-31")["totals"]["current"],
        "167.74"
    );
    let open = b.get(&format!(
        "/api/v1/finance/invoices?partner_id={acme}&open=true"
    ));
    assert!(open["items"].as_array().unwrap().is_empty());
    let credits = b.get("/api/v1/finance/payments?unallocated=true");
    assert_eq!(credits["items"].as_array().unwrap().len(), 1);

    // The customer's statement of April: opening, the invoice, the payment, the closing.
    let st = b.get(&format!(
        "/api/v1/finance/partners/{acme}/statement?side=receivable&from=2026-04-01&to=2026-04-30"
    ));
    assert_eq!(st["opening_balance"], "167.74");
    let items: Vec<(&str, &str)> = st["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["item"].as_str().unwrap(), l["balance"].as_str().unwrap()))
        .collect();
    assert_eq!(items, [("invoice", "217.74"), ("payment", "-32.26")]);
    assert_eq!(st["closing_balance"], "-32.26");
}

#[test]
fn tax_rounds_per_document_or_per_line_and_the_tax_report_equals_the_ledger() {
    let b = books();
    let acme = b.partner("Acme", "customer");
    let supplier = b.partner("Parts Ltd", "supplier");
    let t10 = b.tax("T10", "vat", "10", false);
    let gross = b.tax("G19", "vat", "19", true);
    let three = [("1", "1.05", Some(t10.as_str())); 3];
    // Document rounding (the default): 3.15 × 10 % = 0.315 -> 0.32, shared 0.11, 0.11, 0.10.
    let doc = b
        .invoice("customer_invoice", &acme, "2026-03-05", &three, json!({}))
        .expect(201)
        .body;
    assert_eq!(doc["tax"], "0.32");
    assert_eq!(doc["tax_rounding"], "document");
    let shares: Vec<&str> = doc["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["tax"].as_str().unwrap())
        .collect();
    assert_eq!(shares, ["0.11", "0.11", "0.10"]);
    // Line rounding: 0.105 -> 0.11 three times.
    let s = put(
        &b.app,
        "/api/v1/finance/settings",
        &b.admin,
        json!({"tax_rounding": "line"}),
    )
    .expect(200);
    assert_eq!(s.body["tax_rounding"], "line");
    let line = b
        .invoice("customer_invoice", &acme, "2026-03-05", &three, json!({}))
        .expect(201)
        .body;
    assert_eq!(
        (&line["tax"], &line["total"]),
        (&json!("0.33"), &json!("3.48"))
    );
    // Gross prices: 119.00 is 100.00 + 19.00; 10.00 is 8.40 + 1.60.
    let g = b
        .invoice(
            "customer_invoice",
            &acme,
            "2026-03-06",
            &[("1", "119", Some(&gross)), ("1", "10", Some(&gross))],
            json!({}),
        )
        .expect(201)
        .body;
    assert_eq!(
        (&g["net"], &g["tax"], &g["total"]),
        (&json!("108.40"), &json!("20.60"), &json!("129.00"))
    );
    // Input tax on a bill, and a credit note against the first invoice.
    b.invoice(
        "supplier_bill",
        &supplier,
        "2026-03-10",
        &[("2", "50", Some(&t10))],
        json!({}),
    )
    .expect(201);
    let cn = b
        .invoice(
            "customer_credit_note",
            &acme,
            "2026-03-12",
            &[("1", "1.05", Some(&t10))],
            json!({"corrects_id": doc["id"]}),
        )
        .expect(201)
        .body;
    assert_eq!(cn["total"], "1.16");
    assert_eq!(
        invoice_of(&b, doc["id"].as_str().unwrap())["open_amount"],
        "2.31"
    );

    let report = b.get("/api/v1/finance/reports/tax?from=2026-03-01&to=2026-03-31");
    let by_code = |code: &str| {
        report["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == code)
            .unwrap()
            .clone()
    };
    let t = by_code("T10");
    assert_eq!(
        (
            &t["sales_base"],
            &t["sales_tax"],
            &t["purchase_base"],
            &t["purchase_tax"]
        ),
        (
            &json!("5.25"),
            &json!("0.54"),
            &json!("100.00"),
            &json!("10.00")
        )
    );
    assert_eq!(by_code("G19")["sales_tax"], "20.60");
    assert_eq!(report["net_tax"], "11.14");
    let tb = b.trial_balance("2026-03-01", "2026-03-31");
    assert_eq!(closing_of(&tb, "2200"), "-21.14");
    assert_eq!(closing_of(&tb, "1400"), "10.00");

    // Cancelling in April takes the tax out of April, not March.
    b.app
        .post(
            &format!(
                "/api/v1/finance/invoices/{}/cancel",
                g["id"].as_str().unwrap()
            ),
            &b.admin,
            json!({"date": "2026-04-02"}),
        )
        .expect(200);
    let april = b.get("/api/v1/finance/reports/tax?from=2026-04-01&to=2026-04-30");
    assert_eq!(april["lines"][0]["sales_tax"], "-20.60");
    assert_eq!(april["net_tax"], "-20.60");
    assert_eq!(
        b.get("/api/v1/finance/reports/tax?from=2026-03-01&to=2026-03-31")["net_tax"],
        "11.14"
    );
    let tb = b.trial_balance("2026-04-01", "2026-04-30");
    assert_eq!(closing_of(&tb, "2200"), "-0.54");
}

#[test]
fn notes_discounts_and_write_offs_settle_invoices_within_the_rules() {
    let b = books();
    let acme = b.partner("Acme", "customer");
    let terms = b
        .app
        .post(
            "/api/v1/finance/payment-terms",
            &b.admin,
            json!({"code": "2-10-NET30", "name": "2 % in 10 days, 30 net", "net_days": 30, "discount_days": 10, "discount_rate": "2"}),
        )
        .expect(201)
        .id();
    put(
        &b.app,
        "/api/v1/finance/settings",
        &b.admin,
        json!({"write_off_tolerance": "0.05"}),
    )
    .expect(200);
    let a = b
        .invoice(
            "customer_invoice",
            &acme,
            "2026-05-04",
            &[("1", "1000", None)],
            json!({"payment_terms_id": terms}),
        )
        .expect(201)
        .body;
    assert_eq!(
        (&a["due_date"], &a["discount_until"], &a["discount_rate"]),
        (&json!("2026-06-03"), &json!("2026-05-14"), &json!("2"))
    );
    let a_id = a["id"].as_str().unwrap().to_string();
    // A credit note settles the invoice it corrects.
    let cn = b
        .invoice(
            "customer_credit_note",
            &acme,
            "2026-05-05",
            &[("1", "100", None)],
            json!({"corrects_id": a_id}),
        )
        .expect(201)
        .body;
    assert_eq!(cn["payment_state"], "paid");
    assert_eq!(invoice_of(&b, &a_id)["open_amount"], "900.00");
    // Paid within ten days: 880.00 and the 2 % discount settle it.
    b.pay(
        "customer_receipt",
        &acme,
        "2026-05-10",
        "880.00",
        json!([{"invoice_id": a_id, "amount": "880.00", "discount": "20.00"}]),
    )
    .expect(201);
    assert_eq!(invoice_of(&b, &a_id)["payment_state"], "paid");

    let bill = b
        .invoice(
            "customer_invoice",
            &acme,
            "2026-05-04",
            &[("1", "500", None)],
            json!({"payment_terms_id": terms}),
        )
        .expect(201)
        .id();
    let entries = b.entry_count();
    let refused = |date: &str, amount: &str, discount: &str, write_off: &str, field: &str| {
        let r = b
            .pay(
                "customer_receipt",
                &acme,
                date,
                amount,
                json!([{"invoice_id": bill, "amount": amount, "discount": discount, "write_off": write_off}]),
            )
            .expect_problem(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["field"], field, "{}", r.text);
    };
    // Too late for the discount; more discount than the terms give; more write-off than the
    // tolerance; a write-off that does not settle the rest.
    refused(
        "2026-05-20",
        "490.00",
        "10.00",
        "0",
        "allocations[0].discount",
    );
    refused(
        "2026-05-12",
        "480.00",
        "20.00",
        "0",
        "allocations[0].discount",
    );
    refused(
        "2026-05-12",
        "489.90",
        "10.00",
        "0.10",
        "allocations[0].write_off",
    );
    refused(
        "2026-05-12",
        "100.00",
        "0",
        "0.05",
        "allocations[0].write_off",
    );
    assert_eq!(b.entry_count(), entries, "nothing was written");
    assert_eq!(invoice_of(&b, &bill)["open_amount"], "500.00");
    // 489.96 paid, 10.00 discount and 0.04 written off settle 500.00.
    let p = b
        .pay(
            "customer_receipt",
            &acme,
            "2026-05-12",
            "489.96",
            json!([{"invoice_id": bill, "amount": "489.96", "discount": "10.00", "write_off": "0.04"}]),
        )
        .expect(201)
        .body;
    assert!(p["allocations"][0]["entry_id"].is_string());
    assert_eq!(invoice_of(&b, &bill)["payment_state"], "paid");
    let tb = b.trial_balance("2026-05-01", "2026-05-31");
    assert_eq!(closing_of(&tb, "1200"), "0.00");
    assert_eq!(closing_of(&tb, "6900"), "30.04");
    assert_eq!(closing_of(&tb, "4000"), "-1400.00");
    assert_eq!(closing_of(&tb, "1100"), "1369.96");
    let st = b.get(&format!(
        "/api/v1/finance/partners/{acme}/statement?side=receivable&from=2026-05-01&to=2026-05-31"
    ));
    assert_eq!(st["closing_balance"], "0.00");
    let kinds: Vec<&str> = st["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["item"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "invoice",
            "invoice",
            "credit_note",
            "payment",
            "discount",
            "payment",
            "discount",
            "write_off"
        ]
    );
}

#[test]
fn bad_documents_and_allocations_are_refused_and_write_nothing() {
    // Without books nothing can be invoiced.
    let bare = TestApp::spawn();
    let admin = bare.admin_token();
    let c = bare
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": "C", "roles": ["customer"]}),
        )
        .expect(201)
        .id();
    bare.post(
        "/api/v1/finance/invoices",
        &admin,
        json!({"kind": "customer_invoice", "partner_id": c, "invoice_date": "2026-01-05",
               "lines": [{"description": "x", "quantity": "1", "unit_price": "1"}]}),
    )
    .expect_problem(422, "posting_not_configured");

    let b = books();
    let acme = b.partner("Acme", "customer");
    let supplier = b.partner("Parts Ltd", "supplier");
    let field_of = |r: erp_tests::Resp| r.body["errors"][0]["field"].as_str().unwrap().to_string();
    let one = [("1", "100", None)];
    // Wrong partner role, unknown tax, due before the date, a price finer than it may be.
    assert_eq!(
        field_of(
            b.invoice("customer_invoice", &supplier, "2026-02-02", &one, json!({}))
                .expect_problem(422, "validation_failed")
        ),
        "partner_id"
    );
    let unknown = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        field_of(
            b.invoice(
                "customer_invoice",
                &acme,
                "2026-02-02",
                &[("1", "1", Some(&unknown))],
                json!({})
            )
            .expect_problem(422, "validation_failed")
        ),
        "lines[0].tax_id"
    );
    assert_eq!(
        field_of(
            b.invoice(
                "customer_invoice",
                &acme,
                "2026-02-02",
                &one,
                json!({"due_date": "2026-02-01"})
            )
            .expect_problem(422, "validation_failed")
        ),
        "due_date"
    );
    b.invoice(
        "customer_invoice",
        &acme,
        "2026-02-02",
        &[("1", "0.1234567", None)],
        json!({}),
    )
    .expect_problem(422, "validation_failed");
    // A closed period takes no invoice.
    let feb = period_id(&b, 2);
    b.app
        .post(
            &format!("/api/v1/finance/periods/{feb}/close"),
            &b.admin,
            json!({}),
        )
        .expect(200);
    b.invoice("customer_invoice", &acme, "2026-02-10", &one, json!({}))
        .expect_problem(409, "period_closed");
    let entries = b.entry_count();
    assert_eq!(entries, 0);
    assert!(b.get("/api/v1/finance/invoices")["items"]
        .as_array()
        .unwrap()
        .is_empty());

    // Over-allocating an invoice, or a payment, is refused whole.
    let inv = b
        .invoice("customer_invoice", &acme, "2026-03-02", &one, json!({}))
        .expect(201)
        .id();
    let inv2 = b
        .invoice("customer_invoice", &acme, "2026-03-02", &one, json!({}))
        .expect(201)
        .id();
    b.pay(
        "customer_receipt",
        &acme,
        "2026-03-05",
        "150.00",
        json!([alloc(&inv, "150.00")]),
    )
    .expect_problem(409, "over_allocation");
    b.pay(
        "customer_receipt",
        &acme,
        "2026-03-05",
        "100.00",
        json!([alloc(&inv, "60.00"), alloc(&inv2, "60.00")]),
    )
    .expect_problem(409, "over_allocation");
    let r = b
        .pay("customer_receipt", &acme, "2026-03-05", "10.001", json!([]))
        .expect_problem(422, "validation_failed");
    assert_eq!(field_of(r), "amount");
    let bill = b
        .invoice("supplier_bill", &supplier, "2026-03-02", &one, json!({}))
        .expect(201)
        .id();
    let r = b
        .pay(
            "customer_receipt",
            &acme,
            "2026-03-05",
            "10.00",
            json!([alloc(&bill, "10.00")]),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(field_of(r), "allocations[0].invoice_id");
    assert_eq!(b.entry_count(), entries + 3, "three documents, no payment");
    assert!(b.get("/api/v1/finance/payments")["items"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(invoice_of(&b, &inv)["open_amount"], "100.00");

    // A draft posts once; a posted document is not deleted.
    let draft = b
        .invoice(
            "customer_invoice",
            &acme,
            "2026-03-03",
            &one,
            json!({"post": false}),
        )
        .expect(201)
        .body;
    assert_eq!(
        (&draft["status"], &draft["number"]),
        (&json!("draft"), &Value::Null)
    );
    let path = format!("/api/v1/finance/invoices/{}", draft["id"].as_str().unwrap());
    let posted = b
        .app
        .post(&format!("{path}/post"), &b.admin, json!({}))
        .expect(200)
        .body;
    assert_eq!(posted["number"], "SJ-2026-000003");
    b.app
        .post(&format!("{path}/post"), &b.admin, json!({}))
        .expect_problem(409, "invalid_state");
    b.app
        .delete(&path, &b.admin)
        .expect_problem(409, "invalid_state");

    // A settled invoice is not cancelled; a cancelled one is not paid.
    b.pay(
        "customer_receipt",
        &acme,
        "2026-03-06",
        "10.00",
        json!([alloc(&inv, "10.00")]),
    )
    .expect(201);
    b.app
        .post(
            &format!("/api/v1/finance/invoices/{inv}/cancel"),
            &b.admin,
            json!({}),
        )
        .expect_problem(409, "document_settled");
    let cancelled = b
        .app
        .post(
            &format!("/api/v1/finance/invoices/{inv2}/cancel"),
            &b.admin,
            json!({}),
        )
        .expect(200)
        .body;
    assert_eq!(cancelled["status"], "cancelled");
    b.pay(
        "customer_receipt",
        &acme,
        "2026-03-07",
        "5.00",
        json!([alloc(&inv2, "5.00")]),
    )
    .expect_problem(409, "document_cancelled");
    let tb = b.trial_balance("2026-03-01", "2026-03-31");
    // inv (100 - 10) and the draft posted (100); inv2 cancelled.
    assert_eq!(closing_of(&tb, "1200"), "190.00");
}

#[test]
fn many_clients_paying_one_invoice_never_settle_more_than_its_total() {
    let b = Arc::new(books());
    let acme = b.partner("Acme", "customer");
    let inv = b
        .invoice(
            "customer_invoice",
            &acme,
            "2026-03-02",
            &[("1", "100", None)],
            json!({}),
        )
        .expect(201)
        .id();
    let handles: Vec<_> = (0..16)
        .map(|_| {
            let (b, acme, inv) = (b.clone(), acme.clone(), inv.clone());
            std::thread::spawn(move || {
                b.pay(
                    "customer_receipt",
                    &acme,
                    "2026-03-05",
                    "10.00",
                    json!([alloc(&inv, "10.00")]),
                )
                .status
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        10,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        6,
        "{statuses:?}"
    );
    assert_eq!(invoice_of(&b, &inv)["open_amount"], "0.00");
    let tb = b.trial_balance("2026-03-01", "2026-03-31");
    assert_eq!(closing_of(&tb, "1200"), "0.00");
    assert_eq!(closing_of(&tb, "1100"), "100.00");

    // One payment of 50.00 allocated by eight clients to eight invoices of 10.00 at once.
    let invoices: Vec<String> = (0..8)
        .map(|_| {
            b.invoice(
                "customer_invoice",
                &acme,
                "2026-03-02",
                &[("1", "10", None)],
                json!({}),
            )
            .expect(201)
            .id()
        })
        .collect();
    let pay = b
        .pay("customer_receipt", &acme, "2026-03-06", "50.00", json!([]))
        .expect(201)
        .id();
    let handles: Vec<_> = invoices
        .into_iter()
        .map(|inv| {
            let (b, pay) = (b.clone(), pay.clone());
            std::thread::spawn(move || {
                b.app
                    .post(
                        &format!("/api/v1/finance/payments/{pay}/allocate"),
                        &b.admin,
                        json!({"allocations": [alloc(&inv, "10.00")]}),
                    )
                    .status
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        5,
        "{statuses:?}"
    );
    let p = b.get(&format!("/api/v1/finance/payments/{pay}"));
    assert_eq!(p["unallocated"], "0.00");
    assert_eq!(p["allocations"].as_array().unwrap().len(), 5);
    assert_eq!(
        aging(&b, "receivable", "2026-03-31")["totals"]["open_total"],
        "30.00"
    );
}

#[test]
fn supplier_bills_debit_notes_and_payments_keep_the_payables() {
    let b = books();
    let parts = b.partner("Parts Ltd", "supplier");
    let vat = b.tax("VAT19", "vat", "19", false);
    let bill = b
        .invoice(
            "supplier_bill",
            &parts,
            "2026-06-01",
            &[("4", "25", Some(&vat))],
            json!({"due_date": "2026-07-01", "reference": "INV-889"}),
        )
        .expect(201)
        .body;
    assert_eq!(bill["number"], "PJ-2026-000001");
    assert_eq!(bill["total"], "119.00");
    // Lines without an account clear goods received not invoiced.
    assert_eq!(bill["lines"][0]["account_id"], b.accounts["2100"].as_str());
    let bill_id = bill["id"].as_str().unwrap().to_string();
    b.invoice(
        "supplier_debit_note",
        &parts,
        "2026-06-03",
        &[("1", "25", Some(&vat))],
        json!({"corrects_id": bill_id}),
    )
    .expect(201);
    let payables = aging(&b, "payable", "2026-06-05");
    assert_eq!(payables["totals"]["current"], "89.25");
    assert_eq!(payables["partners"][0]["partner_name"], "Parts Ltd");
    b.pay(
        "supplier_payment",
        &parts,
        "2026-06-10",
        "89.25",
        json!([alloc(&bill_id, "89.25")]),
    )
    .expect(201);
    assert_eq!(invoice_of(&b, &bill_id)["payment_state"], "paid");
    let tb = b.trial_balance("2026-06-01", "2026-06-30");
    assert_eq!(closing_of(&tb, "2000"), "0.00");
    assert_eq!(closing_of(&tb, "1100"), "-89.25");
    assert_eq!(closing_of(&tb, "2100"), "75.00");
    assert_eq!(closing_of(&tb, "1400"), "14.25");
    assert_eq!(
        aging(&b, "payable", "2026-06-30")["totals"]["balance"],
        "0.00"
    );
    assert_eq!(
        aging(&b, "payable", "2026-06-05")["totals"]["balance"],
        "89.25"
    );
}

#[test]
fn invoices_are_finance_rights_and_bound_to_branches() {
    let b = books();
    let app = &b.app;
    let acme = b.partner("Acme", "customer");
    let seller = crm_seller(app, &b.admin, "sally");
    app.get("/api/v1/finance/invoices", &seller.token)
        .expect_problem(403, "forbidden");
    app.get(
        "/api/v1/finance/reports/aging?side=receivable",
        &seller.token,
    )
    .expect_problem(403, "forbidden");
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
        .permissions(&["finance.invoice.read", "finance.invoice.write"])
        .branches(&[&hq])
        .create(app, &b.admin);
    let body = |branch: &str, post: bool| {
        json!({"kind": "customer_invoice", "partner_id": acme, "invoice_date": "2026-03-02", "branch_id": branch, "post": post,
               "lines": [{"description": "x", "quantity": "1", "unit_price": "10"}]})
    };
    // Drafting is the clerk's; posting is not.
    app.post("/api/v1/finance/invoices", &clerk.token, body(&hq, true))
        .expect_problem(403, "forbidden");
    let draft = app
        .post("/api/v1/finance/invoices", &clerk.token, body(&hq, false))
        .expect(201)
        .id();
    app.post(
        &format!("/api/v1/finance/invoices/{draft}/post"),
        &clerk.token,
        json!({}),
    )
    .expect_problem(403, "forbidden");
    let r = app
        .post(
            "/api/v1/finance/invoices",
            &clerk.token,
            body(&other, false),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "branch_id");
    // The other branch's invoice does not exist for the clerk.
    let theirs = app
        .post("/api/v1/finance/invoices", &b.admin, body(&other, true))
        .expect(201)
        .id();
    app.get(&format!("/api/v1/finance/invoices/{theirs}"), &clerk.token)
        .expect_problem(404, "not_found");
    let listed = app
        .get("/api/v1/finance/invoices", &clerk.token)
        .expect(200)
        .body;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed["items"][0]["id"], draft.as_str());
}
