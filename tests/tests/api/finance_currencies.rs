//! Documents and payments in another currency than the company's (EUR): booked at the rate of
//! their date line by line, settled in their own currency, the realised exchange difference
//! posted when they are settled; the aging, statement and ledger agree in company currency.

use erp_tests::finance::{books, closing_of, Books};
use serde_json::{json, Value};

fn rate(b: &Books, currency: &str, date: &str, rate: &str) {
    b.app
        .post(
            "/api/v1/finance/exchange-rates",
            &b.admin,
            json!({"currency": currency, "rate_date": date, "rate": rate}),
        )
        .expect(201);
}

fn pay_in(
    b: &Books,
    kind: &str,
    partner: &str,
    date: &str,
    amount: &str,
    currency: &str,
    allocations: Value,
) -> Value {
    b.pay_in(kind, partner, date, amount, Some(currency), allocations)
        .expect(201)
        .body
}

#[test]
fn a_dollar_invoice_is_booked_at_its_date_s_rate_and_paying_it_realises_the_difference() {
    let b = books();
    let acme = b.partner("Acme Inc", "customer");
    let usd = json!({"currency": "USD"});
    let lines = [("1", "33.35", None), ("1", "33.35", None)];
    // No rate of USD yet: refused by field, nothing written.
    let p = b
        .invoice("customer_invoice", &acme, "2026-03-02", &lines, usd.clone())
        .expect_problem(422, "validation_failed");
    assert!(
        p.body
            .to_string()
            .contains("no exchange rate of USD on or before 2026-03-02"),
        "{}",
        p.body
    );
    assert_eq!(b.get("/api/v1/finance/invoices")["items"], json!([]));
    assert_eq!(b.entry_count(), 0);
    // An unknown currency is refused as such.
    b.invoice(
        "customer_invoice",
        &acme,
        "2026-03-02",
        &lines,
        json!({"currency": "XYZ"}),
    )
    .expect_problem(422, "validation_failed");

    rate(&b, "USD", "2026-03-01", "0.9");
    rate(&b, "USD", "2026-04-01", "0.95");
    let inv = b
        .invoice("customer_invoice", &acme, "2026-03-02", &lines, usd)
        .expect(201)
        .body;
    let inv_id = inv["id"].as_str().unwrap().to_string();
    assert_eq!(
        (&inv["currency"], &inv["company_currency"]),
        (&json!("USD"), &json!("EUR"))
    );
    assert_eq!(inv["exchange_rate"], "0.9");
    assert_eq!(inv["total"], "66.70");
    // Each line converted once: 33.35 × 0.9 = 30.015 -> 30.02, twice; the receivable is their
    // sum (66.70 × 0.9 would be 60.03).
    assert_eq!(inv["total_in_company_currency"], "60.04");
    assert_eq!(inv["open_in_company_currency"], "60.04");
    let tb = b.trial_balance("2026-01-01", "2026-03-31");
    assert_eq!(closing_of(&tb, "1200"), "60.04");
    assert_eq!(closing_of(&tb, "4000"), "-60.04");

    // A euro receipt does not settle a dollar invoice.
    let p = b
        .pay(
            "customer_receipt",
            &acme,
            "2026-04-02",
            "10.00",
            json!([{"invoice_id": inv_id, "amount": "10.00"}]),
        )
        .expect_problem(422, "validation_failed");
    assert!(
        p.body.to_string().contains("allocations[0].invoice_id"),
        "{}",
        p.body
    );
    assert!(p.body.to_string().contains("is in USD"), "{}", p.body);

    // 30.00 USD on 2 April at 0.95 = 28.50 EUR for what was booked at 27.00: a gain of 1.50.
    let first = pay_in(
        &b,
        "customer_receipt",
        &acme,
        "2026-04-02",
        "30.00",
        "USD",
        json!([{"invoice_id": inv_id, "amount": "30.00"}]),
    );
    assert_eq!(first["amount_in_company_currency"], "28.50");
    assert_eq!(first["allocations"][0]["exchange_difference"], "-1.50");
    let now = b.get(&format!("/api/v1/finance/invoices/{inv_id}"));
    assert_eq!(
        (&now["open_amount"], &now["open_in_company_currency"]),
        (&json!("36.70"), &json!("33.04"))
    );
    let aging = b.get("/api/v1/finance/reports/aging?side=receivable&at=2026-04-02");
    let line = &aging["partners"][0]["invoices"][0];
    assert_eq!(
        (&line["currency"], &line["open_in_currency"]),
        (&json!("USD"), &json!("36.70"))
    );
    assert_eq!(line["open_amount"], "33.04");
    assert_eq!(aging["totals"]["balance"], "33.04");

    // The rest, 36.70 USD = 34.865 -> 34.87 EUR, clears all that is left booked (33.04):
    // a gain of 1.83, and nothing stays on the receivable in either currency.
    let rest = pay_in(
        &b,
        "customer_receipt",
        &acme,
        "2026-04-03",
        "36.70",
        "USD",
        json!([{"invoice_id": inv_id, "amount": "36.70"}]),
    );
    assert_eq!(rest["amount_in_company_currency"], "34.87");
    assert_eq!(rest["allocations"][0]["exchange_difference"], "-1.83");
    let paid = b.get(&format!("/api/v1/finance/invoices/{inv_id}"));
    assert_eq!(paid["payment_state"], "paid");
    assert_eq!(
        (&paid["open_amount"], &paid["open_in_company_currency"]),
        (&json!("0.00"), &json!("0.00"))
    );
    let tb = b.trial_balance("2026-01-01", "2026-04-30");
    assert_eq!(closing_of(&tb, "1200"), "0.00");
    assert_eq!(closing_of(&tb, "1100"), "63.37");
    assert_eq!(closing_of(&tb, "4800"), "-3.33");
    // The statement in company currency: the invoice, two receipts, two gains, nothing owed.
    let st = b.get(&format!(
        "/api/v1/finance/partners/{acme}/statement?side=receivable&from=2026-01-01&to=2026-04-30"
    ));
    let items: Vec<(&str, &str, &str)> = st["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["item"].as_str().unwrap(),
                l["charge"].as_str().unwrap(),
                l["credit"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            ("invoice", "60.04", "0.00"),
            ("payment", "0.00", "28.50"),
            ("exchange_difference", "1.50", "0.00"),
            ("payment", "0.00", "34.87"),
            ("exchange_difference", "1.83", "0.00"),
        ]
    );
    assert_eq!(st["lines"][4]["balance"], "0.00");
}

#[test]
fn a_dollar_bill_paid_dearer_is_a_loss_and_cancelling_the_payment_takes_it_back() {
    let b = books();
    let supplier = b.partner("Globex", "supplier");
    rate(&b, "USD", "2026-03-01", "0.9");
    rate(&b, "USD", "2026-04-01", "0.95");
    let bill = b
        .invoice(
            "supplier_bill",
            &supplier,
            "2026-03-02",
            &[("4", "25.00", None)],
            json!({"currency": "USD"}),
        )
        .expect(201)
        .body;
    let bill_id = bill["id"].as_str().unwrap().to_string();
    assert_eq!(bill["total_in_company_currency"], "90.00");
    // A payment in USD with nothing allocated stays a credit of the supplier, in USD.
    let payment = pay_in(
        &b,
        "supplier_payment",
        &supplier,
        "2026-04-02",
        "100.00",
        "USD",
        json!([]),
    );
    let pid = payment["id"].as_str().unwrap().to_string();
    assert_eq!(
        (
            &payment["unallocated"],
            &payment["amount_in_company_currency"]
        ),
        (&json!("100.00"), &json!("95.00"))
    );
    let allocated = b
        .app
        .post(
            &format!("/api/v1/finance/payments/{pid}/allocate"),
            &b.admin,
            json!({"allocations": [{"invoice_id": bill_id, "amount": "100.00"}]}),
        )
        .expect(200)
        .body;
    // Booked at 90.00, paid 95.00: a loss of 5.00 (on a bill, positive is a gain).
    assert_eq!(allocated["allocations"][0]["exchange_difference"], "-5.00");
    let tb = b.trial_balance("2026-01-01", "2026-04-30");
    assert_eq!(closing_of(&tb, "2000"), "0.00");
    assert_eq!(closing_of(&tb, "6800"), "5.00");
    assert_eq!(closing_of(&tb, "1100"), "-95.00");

    b.app
        .post(
            &format!("/api/v1/finance/payments/{pid}/cancel"),
            &b.admin,
            json!({"date": "2026-04-05"}),
        )
        .expect(200);
    let reopened = b.get(&format!("/api/v1/finance/invoices/{bill_id}"));
    assert_eq!(
        (
            &reopened["open_amount"],
            &reopened["open_in_company_currency"]
        ),
        (&json!("100.00"), &json!("90.00"))
    );
    let tb = b.trial_balance("2026-01-01", "2026-04-30");
    assert_eq!(closing_of(&tb, "2000"), "-90.00");
    assert_eq!(closing_of(&tb, "6800"), "0.00");
    assert_eq!(closing_of(&tb, "1100"), "0.00");
    let aging = b.get("/api/v1/finance/reports/aging?side=payable&at=2026-04-30");
    assert_eq!(aging["totals"]["balance"], "90.00");
}

#[test]
fn a_credit_note_is_in_its_invoice_s_currency_and_settles_it_at_its_own_rate() {
    let b = books();
    let acme = b.partner("Acme Inc", "customer");
    rate(&b, "GBP", "2026-05-01", "1.16");
    rate(&b, "GBP", "2026-05-10", "1.20");
    let inv = b
        .invoice(
            "customer_invoice",
            &acme,
            "2026-05-04",
            &[("1", "100.00", None)],
            json!({"currency": "GBP"}),
        )
        .expect(201)
        .body;
    let inv_id = inv["id"].as_str().unwrap();
    // A note in another currency than the invoice's is refused.
    b.invoice(
        "customer_credit_note",
        &acme,
        "2026-05-11",
        &[("1", "40.00", None)],
        json!({"corrects_id": inv_id, "currency": "EUR"}),
    )
    .expect_problem(422, "validation_failed");
    // Without a currency it takes the invoice's: 40 GBP at 1.20 = 48.00 against 46.40 booked.
    let note = b
        .invoice(
            "customer_credit_note",
            &acme,
            "2026-05-11",
            &[("1", "40.00", None)],
            json!({"corrects_id": inv_id}),
        )
        .expect(201)
        .body;
    assert_eq!(
        (&note["currency"], &note["total_in_company_currency"]),
        (&json!("GBP"), &json!("48.00"))
    );
    let now = b.get(&format!("/api/v1/finance/invoices/{inv_id}"));
    assert_eq!(
        (&now["open_amount"], &now["open_in_company_currency"]),
        (&json!("60.00"), &json!("69.60"))
    );
    assert_eq!(now["allocations"][0]["exchange_difference"], "-1.60");
    let tb = b.trial_balance("2026-01-01", "2026-05-31");
    // 116.00 invoiced, 48.00 credited, 1.60 realised: 69.60 left, as the invoice says.
    assert_eq!(closing_of(&tb, "1200"), "69.60");
    assert_eq!(closing_of(&tb, "4800"), "-1.60");
}

#[test]
fn a_revaluation_at_month_end_posts_unrealised_differences_and_reverses_them_the_next_day() {
    let b = books();
    let acme = b.partner("Acme Inc", "customer");
    let globex = b.partner("Globex", "supplier");
    rate(&b, "USD", "2026-03-01", "0.9");
    b.invoice(
        "customer_invoice",
        &acme,
        "2026-03-02",
        &[("1", "100.00", None)],
        json!({"currency": "USD"}),
    )
    .expect(201);
    b.invoice(
        "supplier_bill",
        &globex,
        "2026-03-05",
        &[("1", "50.00", None)],
        json!({"currency": "USD"}),
    )
    .expect(201);
    // A receipt in USD nobody allocated yet: a credit of the customer, in USD, worth 18.00.
    pay_in(
        &b,
        "customer_receipt",
        &acme,
        "2026-03-10",
        "20.00",
        "USD",
        json!([]),
    );
    let run = |body: Value| b.app.post("/api/v1/finance/revaluations", &b.admin, body);
    // Before anything is open there is nothing to revalue.
    run(json!({"date": "2026-02-28"})).expect_problem(409, "nothing_to_revalue");
    // At 30 March the rate is still 0.9: nothing changes value.
    run(json!({"date": "2026-03-30"})).expect_problem(409, "nothing_to_revalue");

    rate(&b, "USD", "2026-03-31", "0.92");
    let r = run(json!({"date": "2026-03-31"})).expect(201).body;
    assert_eq!(
        r["reverse_on"], "2026-04-01",
        "the first day of the next period"
    );
    // Invoice 90.00 -> 92.00 (a gain); bill 45.00 -> 46.00 and the receipt's credit
    // 18.00 -> 18.40 (losses: more is owed by us).
    assert_eq!((&r["gain"], &r["loss"]), (&json!("2.00"), &json!("1.40")));
    let mut diffs: Vec<(String, String)> = r["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["booked"].as_str().unwrap().into(),
                l["revalued"].as_str().unwrap().into(),
            )
        })
        .collect();
    diffs.sort();
    assert_eq!(
        diffs,
        [
            ("18.00".into(), "18.40".into()),
            ("45.00".into(), "46.00".into()),
            ("90.00".into(), "92.00".into())
        ]
    );
    let tb = b.trial_balance("2026-01-01", "2026-03-31");
    assert_eq!(closing_of(&tb, "1200"), "73.60");
    assert_eq!(closing_of(&tb, "2000"), "-46.00");
    assert_eq!(closing_of(&tb, "4800"), "-2.00");
    assert_eq!(closing_of(&tb, "6800"), "1.40");
    // The aging at that date agrees with the ledger.
    let aging = b.get("/api/v1/finance/reports/aging?side=receivable&at=2026-03-31");
    assert_eq!(aging["totals"]["balance"], "73.60");
    let aging = b.get("/api/v1/finance/reports/aging?side=payable&at=2026-03-31");
    assert_eq!(aging["totals"]["balance"], "46.00");
    // A second run while the first is in force would count twice.
    run(json!({"date": "2026-03-31"})).expect_problem(409, "revaluation_in_force");
    run(json!({"date": "2026-03-31", "reverse_on": "2026-03-31"}))
        .expect_problem(422, "validation_failed");

    // Reversed on 1 April: back at the booked values, and the run is listed.
    let tb = b.trial_balance("2026-01-01", "2026-04-30");
    assert_eq!(closing_of(&tb, "1200"), "72.00");
    assert_eq!(closing_of(&tb, "4800"), "0.00");
    assert_eq!(closing_of(&tb, "6800"), "0.00");
    let list = b.get("/api/v1/finance/revaluations");
    assert_eq!(list["items"][0]["id"], r["id"]);
    let read = b.get(&format!(
        "/api/v1/finance/revaluations/{}",
        r["id"].as_str().unwrap()
    ));
    assert_eq!(
        (&read["entry_id"], &read["reversal_entry_id"]),
        (&r["entry_id"], &r["reversal_entry_id"])
    );
    let entry = b.get(&format!(
        "/api/v1/finance/entries/{}",
        r["entry_id"].as_str().unwrap()
    ));
    assert_eq!(entry["reversed_by_id"], r["reversal_entry_id"]);

    // Paid in April at 0.95, the invoice realises its difference against its booked 90.00.
    rate(&b, "USD", "2026-04-10", "0.95");
    let inv = b.get("/api/v1/finance/invoices?kind=customer_invoice")["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let paid = pay_in(
        &b,
        "customer_receipt",
        &acme,
        "2026-04-10",
        "100.00",
        "USD",
        json!([{"invoice_id": inv, "amount": "100.00"}]),
    );
    assert_eq!(paid["allocations"][0]["exchange_difference"], "-5.00");
}

#[test]
fn many_clients_paying_one_dollar_invoice_settle_it_exactly_in_both_currencies() {
    let b = std::sync::Arc::new(books());
    let acme = b.partner("Acme Inc", "customer");
    rate(&b, "USD", "2026-03-01", "0.9");
    rate(&b, "USD", "2026-03-05", "0.933333333");
    let inv = b
        .invoice(
            "customer_invoice",
            &acme,
            "2026-03-02",
            &[("1", "100.00", None)],
            json!({"currency": "USD"}),
        )
        .expect(201)
        .id();
    let handles: Vec<_> = (0..16)
        .map(|_| {
            let (b, acme, inv) = (b.clone(), acme.clone(), inv.clone());
            std::thread::spawn(move || {
                b.pay_in(
                    "customer_receipt",
                    &acme,
                    "2026-03-05",
                    "10.00",
                    Some("USD"),
                    json!([{"invoice_id": inv, "amount": "10.00"}]),
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
    let paid = b.get(&format!("/api/v1/finance/invoices/{inv}"));
    assert_eq!(
        (&paid["open_amount"], &paid["open_in_company_currency"]),
        (&json!("0.00"), &json!("0.00"))
    );
    // Ten receipts of 9.33 EUR (10 × 0.933333333, rounded) for 90.00 booked: 3.30 gained.
    let tb = b.trial_balance("2026-03-01", "2026-03-31");
    assert_eq!(closing_of(&tb, "1200"), "0.00");
    assert_eq!(closing_of(&tb, "1100"), "93.30");
    assert_eq!(closing_of(&tb, "4800"), "-3.30");
}

/// The account statement of an account for March to May 2026.
fn ledger_of(b: &Books, account: &str) -> Value {
    b.get(&format!(
        "/api/v1/finance/accounts/{account}/ledger?from=2026-03-01&to=2026-05-31"
    ))
}

#[test]
fn a_dollar_bank_account_keeps_its_balance_in_dollars_beside_the_company_currency() {
    let b = books();
    let acme = b.partner("Acme Inc", "customer");
    let parts = b.partner("Parts Inc", "supplier");
    rate(&b, "USD", "2026-03-01", "0.9");
    rate(&b, "USD", "2026-04-01", "0.95");
    let dollars = b
        .app
        .post(
            "/api/v1/finance/accounts",
            &b.admin,
            json!({"code": "1110", "name": "Bank USD", "account_type": "asset",
                   "parent_id": b.accounts["1"], "currency": "USD", "reconcilable": true}),
        )
        .expect(201)
        .id();
    let pay = |kind: &str, partner: &str, date: &str, amount: &str| {
        b.app
            .post(
                "/api/v1/finance/payments",
                &b.admin,
                json!({"kind": kind, "partner_id": partner, "payment_date": date,
                       "account_id": dollars, "amount": amount}),
            )
            .expect(201)
            .body
    };
    // 1,000.00 in at 0.9 and 400.00 out at 0.95: 600.00 dollars, worth 900.00 - 380.00 in
    // the books; the payments take the account's currency.
    // A dollar invoice books its dollars on every line of its entry.
    let vat = b.tax("V10", "vat", "10", false);
    b.invoice(
        "customer_invoice",
        &acme,
        "2026-03-05",
        &[("1", "500.00", Some(&vat))],
        json!({"currency": "USD"}),
    )
    .expect(201);
    let receipt = pay("customer_receipt", &acme, "2026-03-10", "1000.00");
    assert_eq!(receipt["currency"], "USD");
    pay("supplier_payment", &parts, "2026-04-10", "400.00");

    let entry = b.get(&format!(
        "/api/v1/finance/entries/{}",
        receipt["entry_id"].as_str().unwrap()
    ));
    let bank_line = entry["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["account_code"] == "1110")
        .unwrap()
        .clone();
    assert_eq!(
        (
            &bank_line["debit"],
            &bank_line["currency"],
            &bank_line["amount_in_currency"]
        ),
        (&json!("900.00"), &json!("USD"), &json!("1000.00"))
    );

    let ledger = ledger_of(&b, &dollars);
    assert_eq!(ledger["currency"], "USD");
    assert_eq!(
        (&ledger["closing"], &ledger["closing_in_currency"]),
        (&json!("520.00"), &json!("600.00"))
    );
    let running: Vec<&str> = ledger["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["balance_in_currency"].as_str().unwrap())
        .collect();
    assert_eq!(running, ["1000.00", "600.00"]);
    // The receivable's statement shows the dollars of its line, but no dollar balance: the
    // account is not kept in one currency.
    let receivables = ledger_of(&b, &b.accounts["1200"]);
    let dollars_of = |ledger: &Value| -> Vec<(String, String)> {
        ledger["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["debit"].as_str().unwrap().to_string() + "/" + l["credit"].as_str().unwrap(),
                    l["amount_in_currency"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        dollars_of(&receivables),
        [
            ("495.00/0.00".to_string(), "550.00".to_string()),
            ("0.00/900.00".to_string(), "-1000.00".to_string())
        ]
    );
    let output_tax = ledger_of(&b, &b.accounts["2200"]);
    assert_eq!(
        dollars_of(&output_tax),
        [("0.00/45.00".to_string(), "-50.00".to_string())]
    );
    assert_eq!(receivables["closing_in_currency"], Value::Null);

    // A manual entry on the dollar account names its dollars; without them, or in another
    // currency, it is refused by field and nothing is written.
    let entries = b.entry_count();
    let charge = |line: Value| {
        b.app.post(
            "/api/v1/finance/entries",
            &b.admin,
            json!({"journal_id": b.journals["GJ"], "entry_date": "2026-05-02", "post": true,
            "lines": [
                line,
                {"account_id": b.accounts["6900"], "debit": "9.50"},
            ]}),
        )
    };
    for (line, field) in [
        (
            json!({"account_id": dollars, "credit": "9.50"}),
            "lines[0].currency",
        ),
        (
            json!({"account_id": dollars, "credit": "9.50", "currency": "GBP", "amount_in_currency": "8.00"}),
            "lines[0].currency",
        ),
        (
            json!({"account_id": dollars, "credit": "9.50", "currency": "USD"}),
            "lines[0].amount_in_currency",
        ),
        (
            json!({"account_id": dollars, "credit": "9.50", "currency": "USD", "amount_in_currency": "10.001"}),
            "lines[0].amount_in_currency",
        ),
        (
            json!({"account_id": dollars, "credit": "9.50", "currency": "EUR", "amount_in_currency": "9.50"}),
            "lines[0].currency",
        ),
    ] {
        let r = charge(line.clone()).expect_problem(422, "validation_failed");
        assert!(
            r.body["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == field),
            "{line}: {}",
            r.body
        );
    }
    assert_eq!(b.entry_count(), entries);
    let fee = charge(
        json!({"account_id": dollars, "credit": "9.50", "currency": "USD",
                            "amount_in_currency": "10.00"}),
    )
    .expect(201)
    .body;
    assert_eq!(fee["lines"][0]["amount_in_currency"], "10.00");
    let ledger = ledger_of(&b, &dollars);
    assert_eq!(
        (&ledger["closing"], &ledger["closing_in_currency"]),
        (&json!("510.50"), &json!("590.00"))
    );
    // A statement from a later date opens at the dollars before it, from the caches.
    let may = b.get(&format!(
        "/api/v1/finance/accounts/{dollars}/ledger?from=2026-05-01&to=2026-05-31"
    ));
    assert_eq!(may["opening_in_currency"], "600.00");
    assert_eq!(may["closing_in_currency"], "590.00");

    // Reversing the fee gives its dollars back.
    b.app
        .post(
            &format!(
                "/api/v1/finance/entries/{}/reverse",
                fee["id"].as_str().unwrap()
            ),
            &b.admin,
            json!({}),
        )
        .expect(201);
    assert_eq!(ledger_of(&b, &dollars)["closing_in_currency"], "600.00");

    // Settling the dollar invoice from the receipt with 0.04 written off: the write-off's
    // entry carries its dollars on the receivable and the write-off account.
    b.app
        .send(
            "PUT",
            "/api/v1/finance/settings",
            Some(&b.admin),
            Some(&json!({"write_off_tolerance": "0.05"})),
            &Default::default(),
        )
        .expect(200);
    let invoice = b.get("/api/v1/finance/invoices")["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let settled = b
        .app
        .post(
            &format!(
                "/api/v1/finance/payments/{}/allocate",
                receipt["id"].as_str().unwrap()
            ),
            &b.admin,
            json!({"allocations": [{"invoice_id": invoice, "amount": "549.96", "write_off": "0.04"}]}),
        )
        .expect(200)
        .body;
    let allocation = settled["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["invoice_id"] == invoice.as_str())
        .unwrap()
        .clone();
    let entry = b.get(&format!(
        "/api/v1/finance/entries/{}",
        allocation["entry_id"].as_str().unwrap()
    ));
    let in_dollars: Vec<(&str, &str)> = entry["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["currency"] == "USD")
        .map(|l| {
            (
                l["account_code"].as_str().unwrap(),
                l["amount_in_currency"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(in_dollars.contains(&("1200", "0.04")), "{entry}");
    assert_eq!(in_dollars.len(), 2, "{entry}");
}
