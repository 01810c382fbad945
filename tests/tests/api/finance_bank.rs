//! Bank statements: camt.053 and CSV imports, match proposals by reference, amount and partner,
//! reconciliation with invoices, payments and direct postings (in part, many to one, never
//! beyond the line), the unreconciled items; refusals write nothing.

use erp_tests::builders::crm_seller;
use erp_tests::finance::{books, closing_of, Books};
use serde_json::{json, Value};

fn camt(entries: &[(&str, &str, &str, &str)], opening: &str, closing: &str) -> String {
    let ntry: String = entries
        .iter()
        .enumerate()
        .map(|(i, (amount, ind, party, text))| {
            let role = if *ind == "CRDT" { "Dbtr" } else { "Cdtr" };
            format!(
                "<Ntry><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>{ind}</CdtDbtInd><Sts>BOOK</Sts>\
                 <BookgDt><Dt>2026-12-01</Dt></BookgDt><AcctSvcrRef>REF-{i}</AcctSvcrRef>\
                 <NtryDtls><TxDtls><RltdPties><{role}><Nm>{party}</Nm></{role}></RltdPties>\
                 <RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\
         <BkToCstmrStmt><Stmt><Id>ST-2026-12-01</Id><CreDtTm>2026-12-02T06:00:00</CreDtTm>\
         <Acct><Id><IBAN>DE02120300000000202051</IBAN></Id><Ccy>EUR</Ccy></Acct>\
         <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{opening}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal>\
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal>\
         {ntry}</Stmt></BkToCstmrStmt></Document>"
    )
}

fn reconcile(b: &Books, line: &Value, matches: Value) -> erp_tests::Resp {
    b.app.post(
        &format!(
            "/api/v1/finance/bank-lines/{}/reconcile",
            line["id"].as_str().unwrap()
        ),
        &b.admin,
        json!({ "matches": matches }),
    )
}

#[test]
fn a_camt053_statement_is_proposed_matched_and_reconciled_line_by_line() {
    let b = books();
    let nord = b.partner("Nord GmbH", "customer");
    let sud = b.partner("Sud", "customer");
    let acme = b.partner("Acme Ltd", "supplier");
    let invoice = b
        .invoice(
            "customer_invoice",
            &nord,
            "2026-11-20",
            &[("1", "119", None)],
            json!({}),
        )
        .expect(201)
        .body;
    let number = invoice["number"].as_str().unwrap().to_string();
    let bill = b
        .invoice(
            "supplier_bill",
            &acme,
            "2026-11-15",
            &[("1", "50", None)],
            json!({"reference": "ACME-77"}),
        )
        .expect(201)
        .body;
    // Sud's 30.00 was booked by hand before the statement came.
    let receipt = b
        .pay("customer_receipt", &sud, "2026-11-30", "30.00", json!([]))
        .expect(201)
        .body;
    let xml = camt(
        &[
            ("119.00", "CRDT", "NORD GMBH", &format!("Invoice {number}")),
            ("13.50", "DBIT", "Bank", "Account fees"),
            ("30.00", "CRDT", "Sud", "Payment"),
            ("50.00", "DBIT", "Acme Ltd", "ACME-77"),
        ],
        "1000.00",
        "1085.50",
    );
    let body = json!({"account_id": b.accounts["1100"], "camt053": xml});
    let st = b
        .app
        .post("/api/v1/finance/bank-statements", &b.admin, body.clone())
        .expect(201)
        .body;
    assert_eq!(st["reference"], "ST-2026-12-01");
    assert_eq!(st["source"], "camt053");
    assert_eq!(st["closing_balance"], "1085.50");
    let lines = st["lines"].as_array().unwrap().clone();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[1]["amount"], "-13.50");
    assert_eq!(lines[0]["counterparty_name"], "NORD GMBH");
    // Read back by id, it is the statement as imported.
    let read = b.get(&format!(
        "/api/v1/finance/bank-statements/{}",
        st["id"].as_str().unwrap()
    ));
    assert_eq!(read["closing_balance"], "1085.50");
    assert_eq!(read["lines"], st["lines"]);
    // The same statement twice is refused.
    b.app
        .post("/api/v1/finance/bank-statements", &b.admin, body)
        .expect_problem(409, "duplicate_statement");

    let proposals = b.get(&format!(
        "/api/v1/finance/bank-statements/{}/proposals",
        st["id"].as_str().unwrap()
    ));
    let best = |i: usize| proposals["lines"][i]["proposals"][0].clone();
    assert_eq!(best(0)["invoice_id"], invoice["id"]);
    assert_eq!(
        best(0)["reasons"],
        json!(["reference", "amount", "partner"])
    );
    assert!(proposals["lines"][1]["proposals"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(best(2)["payment_id"], receipt["id"]);
    assert_eq!(best(2)["reasons"], json!(["amount", "partner"]));
    assert_eq!(best(3)["invoice_id"], bill["id"]);

    // The invoice is paid by the line: a receipt is recorded and allocated.
    let r = reconcile(
        &b,
        &lines[0],
        json!([{"invoice_id": invoice["id"], "amount": "119.00"}]),
    )
    .expect(200)
    .body;
    assert_eq!(r["line"]["reconciled"], true);
    let paid = b.get(&format!(
        "/api/v1/finance/invoices/{}",
        invoice["id"].as_str().unwrap()
    ));
    assert_eq!(paid["payment_state"], "paid");
    // The fees go straight to an expense account.
    let fees = reconcile(
        &b,
        &lines[1],
        json!([{"account_id": b.accounts["6900"], "amount": "13.50", "description": "Bank fees"}]),
    )
    .expect(200)
    .body;
    assert!(fees["reconciliations"][0]["entry_id"].is_string());
    // The recorded receipt, in two parts; never more than the line.
    let part = reconcile(
        &b,
        &lines[2],
        json!([{"payment_id": receipt["id"], "amount": "20.00"}]),
    )
    .expect(200)
    .body;
    assert_eq!(
        (
            part["line"]["matched"].as_str(),
            part["line"]["reconciled"].as_bool()
        ),
        (Some("20.00"), Some(false))
    );
    reconcile(
        &b,
        &lines[2],
        json!([{"payment_id": receipt["id"], "amount": "20.00"}]),
    )
    .expect_problem(409, "over_allocation");
    // A receipt does not match money out.
    reconcile(
        &b,
        &lines[3],
        json!([{"payment_id": receipt["id"], "amount": "10.00"}]),
    )
    .expect_problem(422, "validation_failed");
    reconcile(
        &b,
        &lines[2],
        json!([{"payment_id": receipt["id"], "amount": "10.00"}]),
    )
    .expect(200);
    // The bill: a supplier payment is recorded for it.
    reconcile(
        &b,
        &lines[3],
        json!([{"invoice_id": bill["id"], "amount": "50.00"}]),
    )
    .expect(200);
    let report = b.get(&format!(
        "/api/v1/finance/reports/unreconciled?account_id={}",
        b.accounts["1100"]
    ));
    assert_eq!(report["bank_lines"], json!([]));
    assert_eq!(report["payments"], json!([]));
    assert_eq!(report["statement_balance"], "1085.50");
    // The books: 119.00 - 13.50 + 30.00 - 50.00 on the bank account.
    assert_eq!(report["book_balance"], "85.50");
    let tb = b.trial_balance("2026-11-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "1100"), "85.50");
    assert_eq!(closing_of(&tb, "1200"), "-30.00");
    assert_eq!(closing_of(&tb, "2000"), "0.00");
    assert_eq!(closing_of(&tb, "6900"), "13.50");
}

#[test]
fn a_csv_export_is_read_by_its_mapping_and_what_is_open_is_reported() {
    let b = books();
    let sud = b.partner("Sud", "customer");
    b.pay("customer_receipt", &sud, "2026-11-30", "75.00", json!([]))
        .expect(201);
    let csv = json!({
        "content": "Buchungstag;Betrag;Name;Zweck\n01.12.2026;1.250,00;Nord;Anzahlung\n02.12.2026;-9,90;Bank;Gebuehren\n",
        "delimiter": ";", "date_format": "%d.%m.%Y", "decimal_comma": true,
        "columns": {"booking_date": "Buchungstag", "amount": "Betrag", "counterparty_name": "Name", "remittance": "Zweck"}
    });
    let st = b
        .app
        .post(
            "/api/v1/finance/bank-statements",
            &b.admin,
            json!({"account_id": b.accounts["1100"], "reference": "CSV-1", "csv": csv,
                   "opening_balance": "0.00", "closing_balance": "1240.10"}),
        )
        .expect(201)
        .body;
    assert_eq!(st["source"], "csv");
    assert_eq!(st["statement_date"], "2026-12-02");
    assert_eq!(st["lines"][0]["amount"], "1250.00");
    assert_eq!(st["lines"][1]["amount"], "-9.90");
    let report = b.get(&format!(
        "/api/v1/finance/reports/unreconciled?account_id={}",
        b.accounts["1100"]
    ));
    assert_eq!(report["bank_lines"].as_array().unwrap().len(), 2);
    assert_eq!(report["payments"][0]["unreconciled"], "75.00");
    assert_eq!(report["statement_balance"], "1240.10");
    let listed = b.get(&format!(
        "/api/v1/finance/bank-statements?account_id={}",
        b.accounts["1100"]
    ));
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
}

#[test]
fn bad_statements_and_reconciliations_are_refused_by_field_and_write_nothing() {
    let b = books();
    let post = |body: Value| {
        b.app
            .post("/api/v1/finance/bank-statements", &b.admin, body)
    };
    let line = |amount: &str| json!({"booking_date": "2026-12-01", "amount": amount});
    let account = b.accounts["1100"].clone();
    let field_of = |r: erp_tests::Resp| r.expect_problem(422, "validation_failed").body.to_string();
    let e = field_of(post(
        json!({"account_id": account, "reference": "A", "lines": [line("1.00")], "camt053": "<x/>"}),
    ));
    assert!(e.contains("exactly one"), "{e}");
    let e = field_of(post(
        json!({"account_id": account, "reference": "A", "lines": [line("0.001"), line("0")]}),
    ));
    assert!(
        e.contains("lines[0].amount") && e.contains("lines[1].amount"),
        "{e}"
    );
    let e = field_of(post(
        json!({"account_id": account, "reference": "A", "lines": [line("5.00")],
                                 "opening_balance": "10.00", "closing_balance": "14.00"}),
    ));
    assert!(e.contains("closing_balance"), "{e}");
    let e = field_of(post(
        json!({"account_id": b.accounts["4000"], "reference": "A", "lines": [line("5.00")]}),
    ));
    assert!(e.contains("account_id"), "{e}");
    let e = field_of(post(
        json!({"account_id": account, "reference": "A", "csv": {
        "content": "Date,Value\n2026-12-01,5\n", "columns": {"booking_date": "Date", "amount": "Amount"}}}),
    ));
    assert!(e.contains("csv.columns.amount"), "{e}");
    let e = field_of(post(
        json!({"account_id": account, "camt053": "<Document><Stmt>"}),
    ));
    assert!(e.contains("camt053"), "{e}");
    let ann = crm_seller(&b.app, &b.admin, "ann");
    b.app
        .post(
            "/api/v1/finance/bank-statements",
            &ann.token,
            json!({"account_id": account, "reference": "A", "lines": [line("5.00")]}),
        )
        .expect_problem(403, "forbidden");
    assert_eq!(
        b.get("/api/v1/finance/bank-statements")["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // Six clients reconciling one line at once: one wins, and one entry is posted.
    let st = post(json!({"account_id": account, "reference": "B", "lines": [line("-25.00")]}))
        .expect(201)
        .body;
    let the_line = st["lines"][0].clone();
    let e = reconcile(
        &b,
        &the_line,
        json!([{"account_id": account, "amount": "25.00"}, {"invoice_id": null, "amount": "1.00"}]),
    )
    .expect_problem(422, "validation_failed")
    .body
    .to_string();
    assert!(
        e.contains("matches[0].account_id") && e.contains("matches[1].payment_id"),
        "{e}"
    );
    let before = b.entry_count();
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let (app, admin, line, fees) = (
                b.app.clone(),
                b.admin.clone(),
                the_line["id"].as_str().unwrap().to_string(),
                b.accounts["6900"].clone(),
            );
            std::thread::spawn(move || {
                app.post(
                    &format!("/api/v1/finance/bank-lines/{line}/reconcile"),
                    &admin,
                    json!({"matches": [{"account_id": fees, "amount": "25.00"}]}),
                )
                .status
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(b.entry_count(), before + 1);
}
