//! Supplier bills against purchase orders: the three-way match of ordered, received and billed;
//! a bill clears goods received not invoiced at the order's price and posts what the supplier
//! charges more or less as a price difference; a bill outside the tolerances is held with the
//! reasons until someone with the right releases it; concurrent bills never bill twice.

use erp_tests::builders::{item, Stockroom, UserBuilder};
use erp_tests::finance::{books, closing_of, Books};
use erp_tests::Resp;
use serde_json::{json, Value};

struct Purchasing {
    b: Books,
    acme: String,
    /// The order and its line ids.
    po: String,
    lines: Vec<String>,
}

/// Books set up and a confirmed order from Acme: 100 bolts at 0.35, 30 nuts at 1.2345.
fn purchasing() -> Purchasing {
    let b = books();
    let room = Stockroom::create(&b.app, &b.admin, "W1");
    let acme = b.partner("Acme", "supplier");
    let bolt = item(&b.app, &b.admin, "BOLT", json!({"name": "Hex bolt"}));
    let nut = item(&b.app, &b.admin, "NUT", json!({}));
    let po = b
        .app
        .post(
            "/api/v1/inventory/purchase-orders",
            &b.admin,
            json!({"supplier_id": acme, "warehouse_id": room.warehouse, "lines": [
                {"item_id": bolt, "quantity": "100", "unit_price": "0.35"},
                {"item_id": nut, "quantity": "30", "unit_price": "1.2345"}
            ]}),
        )
        .expect(201)
        .body;
    let id = po["id"].as_str().unwrap().to_string();
    b.app
        .post(
            &format!("/api/v1/inventory/purchase-orders/{id}/confirm"),
            &b.admin,
            json!({}),
        )
        .expect(200);
    let lines = po["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    Purchasing {
        b,
        acme,
        po: id,
        lines,
    }
}

impl Purchasing {
    fn receive(&self, line: usize, quantity: &str) {
        self.b
            .app
            .post(
                &format!("/api/v1/inventory/purchase-orders/{}/receive", self.po),
                &self.b.admin,
                json!({"lines": [{"line_id": self.lines[line], "quantity": quantity}]}),
            )
            .expect(200);
    }

    fn bill(&self, body: Value) -> Resp {
        self.bill_as(&self.b.admin, body)
    }

    fn bill_as(&self, token: &str, body: Value) -> Resp {
        self.b.app.post(
            &format!("/api/v1/inventory/purchase-orders/{}/bill", self.po),
            token,
            body,
        )
    }

    /// The billed quantity of each order line.
    fn billed(&self) -> Vec<String> {
        self.b
            .get(&format!("/api/v1/inventory/purchase-orders/{}", self.po))["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["billed_quantity"].as_str().unwrap().to_string())
            .collect()
    }

    fn settings(&self, body: Value) {
        self.b
            .app
            .send(
                "PUT",
                "/api/v1/finance/settings",
                Some(&self.b.admin),
                Some(&body),
                &Default::default(),
            )
            .expect(200);
    }
}

#[test]
fn a_bill_clears_goods_received_and_a_price_difference_is_held_until_released() {
    let p = purchasing();
    let vat = p.b.tax("VAT19", "vat", "19", false);
    // Nothing received: nothing to bill by default.
    p.bill(json!({"reference": "INV-1"}))
        .expect_problem(409, "nothing_to_bill");
    p.receive(0, "60");
    p.receive(1, "30");
    let bill = p
        .bill(json!({"reference": "INV-77", "invoice_date": "2026-12-01", "tax_id": vat, "post": true}))
        .expect(201)
        .body;
    // 60 × 0.35 = 21.00; 30 × 1.2345 = 37.035, billed as 37.04; VAT 19 % of 58.04 = 11.03.
    assert_eq!(bill["kind"], "supplier_bill");
    assert_eq!(bill["status"], "posted");
    assert!(bill["hold_reason"].is_null());
    assert_eq!(bill["reference"], "INV-77");
    assert_eq!(
        (
            bill["net"].as_str(),
            bill["tax"].as_str(),
            bill["total"].as_str()
        ),
        (Some("58.04"), Some("11.03"), Some("69.07"))
    );
    assert_eq!(bill["lines"][0]["description"], "BOLT Hex bolt");
    assert_eq!(bill["lines"][1]["clears"], "37.035");
    assert_eq!(p.billed(), ["60", "30"]);
    // The receipts' goods received not invoiced are cleared to the last digit; the half cent
    // the supplier rounded up is a price difference.
    let tb = p.b.trial_balance("2026-01-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "2100"), "0.00");
    assert_eq!(closing_of(&tb, "5100"), "0.005");
    assert_eq!(closing_of(&tb, "2000"), "-69.07");
    assert_eq!(closing_of(&tb, "1400"), "11.03");
    // Everything received is billed.
    p.bill(json!({"reference": "INV-78"}))
        .expect_problem(409, "nothing_to_bill");

    // The rest of the bolts come; the supplier charges 0.36 instead of 0.35: held.
    p.receive(0, "40");
    let held = p
        .bill(
            json!({"reference": "INV-79", "invoice_date": "2026-12-02", "post": true,
                     "lines": [{"line_no": 1, "quantity": "40", "unit_price": "0.36"}]}),
        )
        .expect(201)
        .body;
    assert_eq!(held["status"], "draft");
    assert_eq!(
        held["hold_reason"],
        "line 1: price 0.36 against 0.35 ordered"
    );
    assert_eq!(p.billed(), ["100", "30"]);
    let held_id = held["id"].as_str().unwrap().to_string();
    p.b.app
        .post(
            &format!("/api/v1/finance/invoices/{held_id}/post"),
            &p.b.admin,
            json!({}),
        )
        .expect_problem(409, "document_held");
    // Releasing is a right of its own.
    let clerk = UserBuilder::new("clerk")
        .permissions(&[
            "finance.invoice.read",
            "finance.invoice.write",
            "finance.invoice.post",
        ])
        .create(&p.b.app, &p.b.admin);
    p.b.app
        .post(
            &format!("/api/v1/finance/invoices/{held_id}/release"),
            &clerk.token,
            json!({}),
        )
        .expect_problem(403, "forbidden");
    let released =
        p.b.app
            .post(
                &format!("/api/v1/finance/invoices/{held_id}/release"),
                &p.b.admin,
                json!({}),
            )
            .expect(200)
            .body;
    assert!(released["released_by"].is_string());
    assert_eq!(
        released["hold_reason"],
        "line 1: price 0.36 against 0.35 ordered"
    );
    p.b.app
        .post(
            &format!("/api/v1/finance/invoices/{held_id}/release"),
            &p.b.admin,
            json!({}),
        )
        .expect_problem(409, "invalid_state");
    p.b.app
        .post(
            &format!("/api/v1/finance/invoices/{held_id}/post"),
            &clerk.token,
            json!({}),
        )
        .expect(200);
    // 40 × 0.36 = 14.40 clears 14.00 of goods received; 0.40 more is a price difference.
    let tb = p.b.trial_balance("2026-01-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "2100"), "0.00");
    assert_eq!(closing_of(&tb, "5100"), "0.405");
    assert_eq!(closing_of(&tb, "2000"), "-83.47");
}

#[test]
fn quantities_beyond_the_receipts_are_held_unless_the_tolerance_allows_them() {
    let p = purchasing();
    p.receive(1, "30");
    // Billing nuts not yet received is held.
    let held = p
        .bill(json!({"reference": "N-1", "invoice_date": "2026-12-01",
                     "lines": [{"line_no": 2, "quantity": "35"}]}))
        .expect(201)
        .body;
    assert_eq!(held["hold_reason"], "line 2: bills 35 in all, 30 received");
    // A deleted draft no longer counts as billed.
    p.b.app
        .delete(
            &format!("/api/v1/finance/invoices/{}", held["id"].as_str().unwrap()),
            &p.b.admin,
        )
        .expect(204);
    assert_eq!(p.billed(), ["0", "0"]);
    // With 20 % quantity and 5 % price tolerance, 35 of 30 at 1.27 (2.9 % more) match.
    p.settings(json!({"match_quantity_tolerance": "20", "match_price_tolerance": "5"}));
    let ok = p
        .bill(
            json!({"reference": "N-2", "invoice_date": "2026-12-01", "post": true,
                     "lines": [{"line_no": 2, "quantity": "35", "unit_price": "1.27"}]}),
        )
        .expect(201)
        .body;
    assert_eq!(ok["status"], "posted");
    assert!(ok["hold_reason"].is_null());
    assert_eq!(p.billed(), ["0", "35"]);
    // 5 more makes 40 of 30: beyond 20 %.
    let again = p
        .bill(json!({"reference": "N-3", "invoice_date": "2026-12-01",
                     "lines": [{"line_no": 2, "quantity": "5"}]}))
        .expect(201)
        .body;
    assert_eq!(again["hold_reason"], "line 2: bills 40 in all, 30 received");
    // Goods billed before they arrive leave goods received not invoiced in debit until they do:
    // 35 × 1.2345 cleared against 30 received.
    let tb = p.b.trial_balance("2026-01-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "2100"), "6.1725");
}

#[test]
fn bad_bills_are_refused_by_field_and_write_nothing() {
    let p = purchasing();
    p.receive(0, "10");
    p.bill(json!({"reference": ""}))
        .expect_problem(422, "validation_failed");
    let e = p
        .bill(
            json!({"reference": "X", "lines": [{"line_no": 9, "quantity": "1"},
                                            {"line_no": 1, "quantity": "0"},
                                            {"line_no": 2, "quantity": "1", "unit_price": "-1"}]}),
        )
        .expect_problem(422, "validation_failed")
        .body
        .to_string();
    for field in [
        "lines[0].line_no",
        "lines[1].quantity",
        "lines[2].unit_price",
    ] {
        assert!(e.contains(field), "{field} in {e}");
    }
    p.bill(json!({"reference": "X", "tax_id": "0190a0a0-0000-7000-8000-000000000000"}))
        .expect_problem(422, "validation_failed");
    p.bill(json!({"reference": "X", "unknown": true}))
        .expect_problem(422, "validation_failed");
    let buyer = UserBuilder::new("buyer")
        .permissions(&["inventory.purchase.read", "inventory.purchase.write"])
        .create(&p.b.app, &p.b.admin);
    p.bill_as(&buyer.token, json!({"reference": "X"}))
        .expect_problem(403, "forbidden");
    p.b.app
        .send(
            "PUT",
            "/api/v1/finance/settings",
            Some(&p.b.admin),
            Some(&json!({"match_price_tolerance": "150"})),
            &Default::default(),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(p.billed(), ["0", "0"]);
    assert_eq!(
        p.b.get("/api/v1/finance/invoices")["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // A draft order is not billed.
    let draft = p
        .b
        .app
        .post(
            "/api/v1/inventory/purchase-orders",
            &p.b.admin,
            json!({"supplier_id": p.acme, "warehouse_id": p.b.get(&format!("/api/v1/inventory/purchase-orders/{}", p.po))["warehouse_id"],
                   "lines": [{"item_id": p.b.get(&format!("/api/v1/inventory/purchase-orders/{}", p.po))["lines"][0]["item_id"], "quantity": "1", "unit_price": "1"}]}),
        )
        .expect(201)
        .id();
    p.b.app
        .post(
            &format!("/api/v1/inventory/purchase-orders/{draft}/bill"),
            &p.b.admin,
            json!({"reference": "X"}),
        )
        .expect_problem(409, "invalid_state");
}

#[test]
fn six_clients_billing_one_order_bill_it_once() {
    let p = purchasing();
    p.receive(0, "100");
    let handles: Vec<_> = (0..6)
        .map(|i| {
            let (app, admin, po) = (p.b.app.clone(), p.b.admin.clone(), p.po.clone());
            std::thread::spawn(move || {
                app.post(
                    &format!("/api/v1/inventory/purchase-orders/{po}/bill"),
                    &admin,
                    json!({"reference": format!("C-{i}"), "invoice_date": "2026-12-01", "post": true}),
                )
                .status
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(p.billed(), ["100", "0"]);
    let tb = p.b.trial_balance("2026-01-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "2100"), "0.00");
    assert_eq!(closing_of(&tb, "2000"), "-35.00");
}

#[test]
fn an_order_in_dollars_is_billed_in_dollars_clearing_its_goods_at_the_receipt_rates() {
    let b = books();
    let room = Stockroom::create(&b.app, &b.admin, "W1");
    let acme = b.partner("Acme Inc", "supplier");
    let bolt = item(&b.app, &b.admin, "BOLT", json!({}));
    let rate = |date: &str, rate: &str| {
        let r = b.app.post(
            "/api/v1/finance/exchange-rates",
            &b.admin,
            json!({"currency": "USD", "rate_date": date, "rate": rate}),
        );
        assert!(r.status == 201 || r.status == 200, "{}", r.body);
    };
    let po = b
        .app
        .post(
            "/api/v1/inventory/purchase-orders",
            &b.admin,
            json!({"supplier_id": acme, "warehouse_id": room.warehouse, "currency": "USD",
                   "lines": [{"item_id": bolt, "quantity": "100", "unit_price": "2.05"}]}),
        )
        .expect(201);
    let path = format!("/api/v1/inventory/purchase-orders/{}", po.id());
    let line = po.body["lines"][0]["id"].as_str().unwrap().to_string();
    b.app
        .post(&format!("{path}/confirm"), &b.admin, json!({}))
        .expect(200);
    let receive = |quantity: &str| {
        b.app
            .post(
                &format!("{path}/receive"),
                &b.admin,
                json!({"lines": [{"line_id": line, "quantity": quantity}]}),
            )
            .expect(200);
    };
    // Receipts are valued at the day's rate: 60 at 0.9 (1.845 each, 110.70), then the dollar
    // rises and 40 come at 0.95 (1.9475 each, 77.90): 188.60 of goods received not invoiced.
    rate("2026-01-01", "0.9");
    receive("60");
    let today = chrono::Utc::now().date_naive().to_string();
    rate(&today, "0.95");
    receive("40");
    let tb = b.trial_balance("2026-01-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "2100"), "-188.60");

    // A bill of a dollar order bills only what came.
    let bill = |body: Value| b.app.post(&format!("{path}/bill"), &b.admin, body);
    let r = bill(json!({"reference": "A-1", "lines": [{"line_no": 1, "quantity": "101"}]}))
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "lines[0].quantity");
    assert_eq!(b.get("/api/v1/finance/invoices")["items"], json!([]));

    // Billed in two halves at 0.95: 50 × 2.05 = 102.50 dollars, 97.38 in the books each.
    // Half the received value is cleared, then exactly the rest; what the dollar gained
    // since the receipts is the difference.
    let first = bill(
        json!({"reference": "A-1", "invoice_date": today, "post": true,
                            "lines": [{"line_no": 1, "quantity": "50"}]}),
    )
    .expect(201)
    .body;
    assert_eq!(
        (
            &first["currency"],
            &first["total"],
            &first["total_in_company_currency"]
        ),
        (&json!("USD"), &json!("102.50"), &json!("97.38"))
    );
    assert_eq!(first["lines"][0]["clears"], "94.30");
    let second = bill(json!({"reference": "A-2", "invoice_date": today, "post": true}))
        .expect(201)
        .body;
    assert_eq!(second["lines"][0]["quantity"], "50");
    assert_eq!(second["lines"][0]["clears"], "94.30");
    let tb = b.trial_balance("2026-01-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "2100"), "0.00");
    assert_eq!(closing_of(&tb, "5100"), "6.16");
    assert_eq!(closing_of(&tb, "2000"), "-194.76");
    // Cancelling the second bill puts its goods back to be billed, and billing them again
    // clears the same rest.
    b.app
        .post(
            &format!(
                "/api/v1/finance/invoices/{}/cancel",
                second["id"].as_str().unwrap()
            ),
            &b.admin,
            json!({}),
        )
        .expect(200);
    let again = bill(json!({"reference": "A-3", "invoice_date": today, "post": true}))
        .expect(201)
        .body;
    assert_eq!(again["lines"][0]["clears"], "94.30");
    let tb = b.trial_balance("2026-01-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "2100"), "0.00");
}
