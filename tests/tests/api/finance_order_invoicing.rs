//! Invoicing sales orders: a customer invoice bills what was delivered (or ordered, by the
//! order's policy) and not yet invoiced, never twice, even with many clients at once; the order
//! shows its invoiced quantities; the customer's account shows on the CRM card, the timeline
//! and the portal.

use erp_tests::builders::{crm_seller, item, receive, Stockroom, UserBuilder};
use erp_tests::finance::{books, closing_of, Books};
use serde_json::{json, Value};

struct Shop {
    b: Books,
    room: Stockroom,
    bolt: String,
    nut: String,
    customer: String,
}

/// Books set up, a stockroom holding 100 bolts and 50 nuts, and a customer.
fn shop() -> Shop {
    let b = books();
    let room = Stockroom::create(&b.app, &b.admin, "SHOP");
    let bolt = item(&b.app, &b.admin, "BOLT", json!({"name": "Hex bolt"}));
    let nut = item(&b.app, &b.admin, "NUT", json!({}));
    receive(&b.app, &b.admin, &bolt, &room.stock, "100", "0.50");
    receive(&b.app, &b.admin, &nut, &room.stock, "50", "0.10");
    let customer = b
        .app
        .post(
            "/api/v1/crm/customers",
            &b.admin,
            json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    Shop {
        b,
        room,
        bolt,
        nut,
        customer,
    }
}

impl Shop {
    /// A confirmed order: 40 bolts at 1.25 less 10 % (45.00), 5 nuts at 0.30 (1.50).
    fn order(&self, extra: Value) -> String {
        let mut body = json!({"customer_id": self.customer, "location_id": self.room.stock, "lines": [
            {"item_id": self.bolt, "quantity": "40", "unit_price": "1.25", "discount_percent": "10"},
            {"item_id": self.nut, "quantity": "5", "unit_price": "0.30"}
        ]});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        let id = self
            .b
            .app
            .post("/api/v1/crm/sales-orders", &self.b.admin, body)
            .expect(201)
            .id();
        self.b
            .app
            .post(
                &format!("/api/v1/crm/sales-orders/{id}/confirm"),
                &self.b.admin,
                json!({}),
            )
            .expect(200);
        id
    }

    fn deliver(&self, order: &str, lines: Value) {
        self.b
            .app
            .post(
                &format!("/api/v1/crm/sales-orders/{order}/deliver"),
                &self.b.admin,
                json!({ "lines": lines }),
            )
            .expect(200);
    }

    fn invoice(&self, order: &str, body: Value) -> erp_tests::Resp {
        self.b.app.post(
            &format!("/api/v1/crm/sales-orders/{order}/invoice"),
            &self.b.admin,
            body,
        )
    }

    fn get_order(&self, order: &str) -> Value {
        self.b.get(&format!("/api/v1/crm/sales-orders/{order}"))
    }
}

/// The invoiced quantity of each line of an order.
fn invoiced(order: &Value) -> Vec<String> {
    order["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["invoiced_quantity"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_order_is_invoiced_as_delivered_in_parts_and_never_twice() {
    let s = shop();
    let vat = s.b.tax("VAT19", "vat", "19", false);
    let order = s.order(json!({}));
    // Confirmed, nothing delivered: nothing to invoice yet, and nothing is written.
    s.invoice(&order, json!({"invoice_date": "2026-12-01"}))
        .expect_problem(409, "nothing_to_invoice");
    // A draft order is not invoiced at all.
    let draft =
        s.b.app
            .post(
                "/api/v1/crm/sales-orders",
                &s.b.admin,
                json!({"customer_id": s.customer, "location_id": s.room.stock,
                   "lines": [{"item_id": s.bolt, "quantity": "1", "unit_price": "1"}]}),
            )
            .expect(201)
            .id();
    s.invoice(&draft, json!({}))
        .expect_problem(409, "invalid_state");

    s.deliver(&order, json!([{"line_no": 1, "quantity": "16"}]));
    let first = s
        .invoice(
            &order,
            json!({"invoice_date": "2026-12-01", "tax_id": vat, "post": true}),
        )
        .expect(201)
        .body;
    // 16 × 1.25 less 10 % = 18.00; VAT 19 % = 3.42.
    assert_eq!(first["status"], "posted");
    assert!(first["number"].as_str().unwrap().starts_with("SJ-2026-"));
    assert_eq!(
        (
            first["net"].as_str(),
            first["tax"].as_str(),
            first["total"].as_str()
        ),
        (Some("18.00"), Some("3.42"), Some("21.42"))
    );
    let line = &first["lines"][0];
    assert_eq!(line["description"], "BOLT Hex bolt");
    assert_eq!(
        (
            line["quantity"].as_str(),
            line["unit_price"].as_str(),
            line["discount_percent"].as_str()
        ),
        (Some("16"), Some("1.25"), Some("10"))
    );
    let o = s.get_order(&order);
    assert_eq!(first["reference"], o["number"]);
    assert_eq!(invoiced(&o), ["16", "0"]);
    assert_eq!(o["invoices"][0]["id"], first["id"]);
    assert_eq!(o["invoices"][0]["number"], first["number"]);
    // Everything delivered is invoiced: a second invoice is refused.
    s.invoice(&order, json!({"invoice_date": "2026-12-01"}))
        .expect_problem(409, "nothing_to_invoice");

    // The rest is delivered; more than is left to invoice of a line is refused by field.
    s.deliver(&order, json!(null));
    let p = s
        .invoice(
            &order,
            json!({"invoice_date": "2026-12-02", "lines": [{"line_no": 1, "quantity": "25"}]}),
        )
        .expect_problem(422, "validation_failed");
    assert!(
        p.body.to_string().contains("lines[0].quantity"),
        "{}",
        p.body
    );
    s.invoice(
        &order,
        json!({"lines": [{"line_no": 3, "quantity": "1"}, {"line_no": 2, "quantity": "1"}, {"line_no": 2, "quantity": "1"}]}),
    )
    .expect_problem(422, "validation_failed");
    // A draft for the rest of the bolts counts as invoiced while it stands...
    let draft_inv = s
        .invoice(
            &order,
            json!({"invoice_date": "2026-12-02", "lines": [{"line_no": 1, "quantity": "24"}]}),
        )
        .expect(201)
        .body;
    assert_eq!(draft_inv["status"], "draft");
    assert_eq!(draft_inv["net"], "27.00");
    assert_eq!(invoiced(&s.get_order(&order)), ["40", "0"]);
    // ...and no longer once deleted.
    s.b.app
        .delete(
            &format!(
                "/api/v1/finance/invoices/{}",
                draft_inv["id"].as_str().unwrap()
            ),
            &s.b.admin,
        )
        .expect(204);
    assert_eq!(invoiced(&s.get_order(&order)), ["16", "0"]);
    // The default bills everything left: 24 bolts and 5 nuts.
    let rest = s
        .invoice(&order, json!({"invoice_date": "2026-12-02", "post": true}))
        .expect(201)
        .body;
    assert_eq!(rest["net"], "28.50");
    assert_eq!(invoiced(&s.get_order(&order)), ["40", "5"]);
    // Cancelling a posted invoice gives its quantities back to invoice again.
    s.b.app
        .post(
            &format!(
                "/api/v1/finance/invoices/{}/cancel",
                first["id"].as_str().unwrap()
            ),
            &s.b.admin,
            json!({}),
        )
        .expect(200);
    let o = s.get_order(&order);
    assert_eq!(invoiced(&o), ["24", "5"]);
    assert_eq!(o["invoices"].as_array().unwrap().len(), 1);
    let again = s
        .invoice(&order, json!({"invoice_date": "2026-12-03", "post": true}))
        .expect(201)
        .body;
    assert_eq!(again["net"], "18.00");
    let o = s.get_order(&order);
    assert_eq!(invoiced(&o), ["40", "5"]);
    // The standing invoices bill exactly the order's total.
    assert_eq!(o["total"], "46.50");
    // The receivable is what those invoices charge; revenue their net.
    let tb = s.b.trial_balance("2026-12-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "1200"), "46.50");
    assert_eq!(closing_of(&tb, "4000"), "-46.50");
}

#[test]
fn an_order_billed_as_ordered_is_invoiced_before_delivery_and_a_cancelled_one_as_delivered() {
    let s = shop();
    let advance = s.order(json!({"invoice_policy": "ordered"}));
    assert_eq!(s.get_order(&advance)["invoice_policy"], "ordered");
    let inv = s
        .invoice(&advance, json!({"invoice_date": "2026-12-01"}))
        .expect(201)
        .body;
    assert_eq!(inv["net"], "46.50");
    assert_eq!(invoiced(&s.get_order(&advance)), ["40", "5"]);

    // A cancelled order bills only what it delivered, even when billed as ordered.
    let part = s.order(json!({"invoice_policy": "ordered"}));
    s.deliver(&part, json!([{"line_no": 2, "quantity": "2"}]));
    s.b.app
        .post(
            &format!("/api/v1/crm/sales-orders/{part}/cancel"),
            &s.b.admin,
            json!({}),
        )
        .expect(200);
    let inv = s
        .invoice(&part, json!({"invoice_date": "2026-12-01"}))
        .expect(201)
        .body;
    assert_eq!(inv["lines"].as_array().unwrap().len(), 1);
    assert_eq!(inv["net"], "0.60");
    s.invoice(&part, json!({}))
        .expect_problem(409, "nothing_to_invoice");
    s.b.app
        .post(
            "/api/v1/crm/sales-orders",
            &s.b.admin,
            json!({"customer_id": s.customer, "location_id": s.room.stock, "invoice_policy": "weekly",
                   "lines": [{"item_id": s.bolt, "quantity": "1", "unit_price": "1"}]}),
        )
        .expect_problem(422, "validation_failed");
}

#[test]
fn eight_clients_invoicing_one_order_bill_it_once() {
    let s = shop();
    let order = s.order(json!({}));
    s.deliver(&order, json!(null));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (app, admin, order) = (s.b.app.clone(), s.b.admin.clone(), order.clone());
            std::thread::spawn(move || {
                app.post(
                    &format!("/api/v1/crm/sales-orders/{order}/invoice"),
                    &admin,
                    json!({"invoice_date": "2026-12-01", "post": true}),
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
        7,
        "{statuses:?}"
    );
    let o = s.get_order(&order);
    assert_eq!(invoiced(&o), ["40", "5"]);
    assert_eq!(o["invoices"].as_array().unwrap().len(), 1);
    let tb = s.b.trial_balance("2026-12-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "1200"), "46.50");
}

#[test]
fn the_customer_account_shows_on_the_card_the_timeline_and_the_portal() {
    let s = shop();
    let order = s.order(json!({}));
    s.deliver(&order, json!(null));
    // The card and the portal show the account today; the invoice is of earlier.
    let date = "2026-12-01";
    let inv = s
        .invoice(&order, json!({"invoice_date": date, "post": true}))
        .expect(201)
        .body;
    s.b.pay(
        "customer_receipt",
        &s.customer,
        date,
        "20.00",
        json!([{"invoice_id": inv["id"], "amount": "20.00"}]),
    )
    .expect(201);

    // Whoever may read invoices sees the customer's account on the card.
    let card = s.b.get(&format!("/api/v1/crm/customers/{}", s.customer));
    let account = &card["account"];
    assert_eq!(account["balance"], "26.50");
    assert_eq!(account["open_total"], "26.50");
    assert_eq!(account["currency"], "EUR");
    assert_eq!(account["open_invoices"][0]["number"], inv["number"]);
    assert_eq!(account["open_invoices"][0]["open_amount"], "26.50");
    let timeline =
        s.b.get(&format!("/api/v1/crm/customers/{}/timeline", s.customer));
    let kinds: Vec<&str> = timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"invoice"), "{kinds:?}");
    assert!(kinds.contains(&"payment"), "{kinds:?}");
    // The order's own step: invoiced, a kind the contract lists.
    assert!(kinds.contains(&"order_invoiced"), "{kinds:?}");
    // Each with who made it.
    let admin_id = s.b.get("/api/v1/auth/me")["user_id"].clone();
    for e in timeline["entries"].as_array().unwrap() {
        if e["kind"] == "invoice" || e["kind"] == "payment" {
            assert_eq!(e["user_id"], admin_id, "{e}");
        }
    }

    // A seller without finance rights sees neither, and may not invoice.
    let ann = crm_seller(&s.b.app, &s.b.admin, "ann");
    let theirs =
        s.b.app
            .post(
                "/api/v1/crm/customers",
                &ann.token,
                json!({"partner": {"kind": "organisation", "name": "Sud"}}),
            )
            .expect(201)
            .id();
    s.b.app
        .post(
            &format!("/api/v1/crm/customers/{}/portal-accounts", s.customer),
            &s.b.admin,
            json!({"login": "buyer@nord.example", "name": "Eve", "password": "portal-pass-1"}),
        )
        .expect(201);
    let card =
        s.b.app
            .get(&format!("/api/v1/crm/customers/{theirs}"), &ann.token)
            .expect(200)
            .body;
    assert!(card["account"].is_null(), "{card}");
    let ann_order =
        s.b.app
            .post(
                "/api/v1/crm/sales-orders",
                &ann.token,
                json!({"customer_id": theirs, "location_id": s.room.stock,
                   "lines": [{"item_id": s.bolt, "quantity": "1", "unit_price": "2"}]}),
            )
            .expect(201)
            .id();
    s.b.app
        .post(
            &format!("/api/v1/crm/sales-orders/{ann_order}/invoice"),
            &ann.token,
            json!({}),
        )
        .expect_problem(403, "forbidden");
    let timeline =
        s.b.app
            .get(
                &format!("/api/v1/crm/customers/{theirs}/timeline"),
                &ann.token,
            )
            .expect(200)
            .body;
    assert!(!timeline.to_string().contains("\"invoice\""));
    // A seller who may also bill invoices their own customers' orders.
    let bea = UserBuilder::new("bea")
        .permissions(&[
            "crm.customer.read",
            "crm.customer.write",
            "crm.order.write",
            "inventory.item.read",
            "finance.invoice.read",
            "finance.invoice.write",
        ])
        .create(&s.b.app, &s.b.admin);
    s.b.app
        .post(
            &format!("/api/v1/crm/sales-orders/{ann_order}/invoice"),
            &bea.token,
            json!({}),
        )
        .expect_problem(404, "not_found");

    // The portal shows the customer its open invoices.
    let token =
        s.b.app
            .send(
                "POST",
                "/api/v1/portal/login",
                None,
                Some(&json!({"login": "buyer@nord.example", "password": "portal-pass-1"})),
                &Default::default(),
            )
            .expect(200)
            .body["access_token"]
            .as_str()
            .unwrap()
            .to_string();
    let mine =
        s.b.app
            .get("/api/v1/portal/invoices", &token)
            .expect(200)
            .body;
    assert_eq!(mine["balance"], "26.50");
    assert_eq!(mine["open_invoices"].as_array().unwrap().len(), 1);
    assert_eq!(mine["open_invoices"][0]["invoice_id"], inv["id"]);
    // It prints the invoice itself; a document that is not its own is 404, as if absent.
    let (status, content_type, pdf) = s.b.app.get_bytes(
        &format!(
            "/api/v1/portal/invoices/{}/pdf",
            inv["id"].as_str().unwrap()
        ),
        &token,
    );
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    let pieces = erp_tests::pdf::text_pieces(&pdf);
    for shown in [&inv["number"], &inv["total"], &inv["net"]] {
        let shown = shown.as_str().unwrap().to_string();
        assert!(pieces.contains(&shown), "{shown} not in {pieces:?}");
    }
    let (status, _, _) = s.b.app.get_bytes(
        "/api/v1/portal/invoices/01900000-0000-7000-8000-000000000000/pdf",
        &token,
    );
    assert_eq!(status, 404);
    // And its statement: the invoice, the payment, what is left.
    let statement =
        s.b.app
            .get(
                "/api/v1/portal/statement?from=2026-11-01&to=2026-12-31",
                &token,
            )
            .expect(200)
            .body;
    let items: Vec<&str> = statement["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["item"].as_str().unwrap())
        .collect();
    assert_eq!(items, ["invoice", "payment"]);
    assert_eq!(statement["closing_balance"], "26.50");
    s.b.app
        .get(
            "/api/v1/portal/statement?from=2026-12-31&to=2026-11-01",
            &token,
        )
        .expect_problem(422, "validation_failed");
    // Staff tokens are not portal tokens.
    s.b.app
        .get("/api/v1/portal/invoices", &s.b.admin)
        .expect_problem(401, "unauthenticated");
    s.b.app
        .get("/api/v1/portal/statement?from=2026-11-01", &s.b.admin)
        .expect_problem(401, "unauthenticated");
}

#[test]
fn an_order_in_dollars_is_invoiced_in_dollars_at_the_rate_of_the_invoice_date() {
    let s = shop();
    let order = s.order(json!({"currency": "USD"}));
    s.deliver(&order, json!(null));
    // No rate of USD yet: refused by field, and nothing is written.
    let p = s
        .invoice(&order, json!({"invoice_date": "2026-12-01"}))
        .expect_problem(422, "validation_failed");
    assert!(
        p.body.to_string().contains("no exchange rate of USD"),
        "{}",
        p.body
    );
    assert_eq!(invoiced(&s.get_order(&order)), ["0", "0"]);
    assert_eq!(
        s.b.get("/api/v1/finance/invoices")["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    s.b.app
        .post(
            "/api/v1/finance/exchange-rates",
            &s.b.admin,
            json!({"currency": "USD", "rate_date": "2026-11-30", "rate": "0.9"}),
        )
        .expect(201);
    let inv = s
        .invoice(&order, json!({"invoice_date": "2026-12-01", "post": true}))
        .expect(201)
        .body;
    assert_eq!(
        (&inv["currency"], &inv["net"]),
        (&json!("USD"), &json!("46.50"))
    );
    assert_eq!(invoiced(&s.get_order(&order)), ["40", "5"]);
    // Revenue in euros: 45.00 × 0.9 + 1.50 × 0.9 = 40.50 + 1.35.
    let tb = s.b.trial_balance("2026-12-01", "2026-12-31");
    assert_eq!(closing_of(&tb, "4000"), "-41.85");
}
