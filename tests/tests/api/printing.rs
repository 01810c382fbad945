//! Printable documents: quotes, sales orders, purchase orders and invoices as PDF, with the
//! company's letterhead, the other side's billing address, every line and the totals exactly
//! as the JSON gives them, in Uzbek Latin and Cyrillic as well as in English; long documents
//! run over pages; the same rights as the JSON.

use erp_tests::builders::{crm_seller, item, Stockroom, UserBuilder};
use erp_tests::finance::books;
use erp_tests::pdf::text_pieces;
use erp_tests::TestApp;
use serde_json::{json, Value};

/// The PDF at `path` as its text pieces, after checking it is served as one.
#[track_caller]
fn pdf(app: &TestApp, path: &str, token: &str) -> Vec<String> {
    let (status, content_type, bytes) = app.get_bytes(path, token);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(content_type, "application/pdf");
    text_pieces(&bytes)
}

#[track_caller]
fn shows(pieces: &[String], expected: &str) {
    assert!(
        pieces.iter().any(|p| p == expected),
        "{expected:?} is not printed; the document reads {pieces:?}"
    );
}

/// The head office with a letterhead: an Uzbek name, an address and a tax number.
fn letterhead(app: &TestApp, admin: &str) {
    let company = app.get("/api/v1/org/companies", admin).expect(200).body["items"][0].clone();
    app.patch(
        &format!("/api/v1/org/companies/{}", company["id"].as_str().unwrap()),
        admin,
        company["version"].as_i64().unwrap(),
        json!({"name": "Toshkent Mashinasozlik Zavodi", "tax_id": "305123456",
               "address": {"line1": "Amir Temur koʻchasi 15", "city": "Toshkent", "postal_code": "100000", "country": "UZ"}}),
    )
    .expect(200);
}

fn customer(app: &TestApp, token: &str) -> String {
    app.post(
        "/api/v1/crm/customers",
        token,
        json!({"partner": {"kind": "organisation", "name": "Ўзбекистон Савдо", "legal_name": "«Ўзбекистон Савдо» МЧЖ", "tax_id": "301234567",
                           "addresses": [
                               {"purpose": "shipping", "line1": "Omborxona 3", "city": "Chirchiq"},
                               {"purpose": "billing", "line1": "Navoiy shoh koʻchasi 7", "city": "Samarqand", "postal_code": "140100", "country": "UZ"}]}}),
    )
    .expect(201)
    .id()
}

#[test]
fn a_quote_and_its_order_print_every_line_and_the_total_as_the_json_gives_them() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    letterhead(&app, &admin);
    let room = Stockroom::create(&app, &admin, "SHOP");
    let paint = item(&app, &admin, "PAINT-5", json!({"name": "Boʻyoq oq, 5 l"}));
    let brush = item(
        &app,
        &admin,
        "BRUSH",
        json!({"name": "Кисть малярная (широкая)"}),
    );
    let ann = crm_seller(&app, &admin, "ann");
    let c = customer(&app, &ann.token);
    let deal = app
        .post(
            "/api/v1/crm/deals",
            &ann.token,
            json!({"customer_id": c, "title": "Spring", "value": "500.00"}),
        )
        .expect(201)
        .id();
    let quote = app
        .post(
            &format!("/api/v1/crm/deals/{deal}/quotes"),
            &ann.token,
            json!({"valid_until": "2027-01-31", "notes": "Narxlar QQS siz.\nЦены без НДС.",
                   "lines": [
                {"item_id": paint, "quantity": "3", "unit_price": "19.99", "discount_percent": "5"},
                {"item_id": brush, "quantity": "7", "unit_price": "0.333333"}]}),
        )
        .expect(201)
        .body;
    let q = pdf(
        &app,
        &format!("/api/v1/crm/quotes/{}/pdf", quote["id"].as_str().unwrap()),
        &ann.token,
    );
    for expected in [
        "Quote",
        quote["number"].as_str().unwrap(),
        "Toshkent Mashinasozlik Zavodi",
        "Amir Temur koʻchasi 15",
        "100000 Toshkent",
        "Tax ID 305123456",
        // The legal name and the billing address, not the shipping one.
        "«Ўзбекистон Савдо» МЧЖ",
        "Navoiy shoh koʻchasi 7",
        "140100 Samarqand",
        "Tax ID 301234567",
        "2027-01-31",
        "PAINT-5 Boʻyoq oq, 5 l",
        "BRUSH Кисть малярная (широкая)",
        "3 ea",
        "0.333333",
        "Narxlar QQS siz.",
        "Цены без НДС.",
    ] {
        shows(&q, expected);
    }
    for line in quote["lines"].as_array().unwrap() {
        shows(&q, line["line_total"].as_str().unwrap());
        shows(&q, line["unit_price"].as_str().unwrap());
    }
    assert_eq!(quote["total"], "59.3048");
    shows(&q, "59.3048");
    assert!(!q.iter().any(|p| p.contains("Chirchiq")), "{q:?}");

    let order = app
        .post(
            &format!("/api/v1/crm/quotes/{}/order", quote["id"].as_str().unwrap()),
            &ann.token,
            json!({"location_id": room.stock}),
        )
        .expect(201)
        .body;
    let o = pdf(
        &app,
        &format!(
            "/api/v1/crm/sales-orders/{}/pdf",
            order["id"].as_str().unwrap()
        ),
        &ann.token,
    );
    shows(&o, "Sales order");
    shows(&o, order["number"].as_str().unwrap());
    shows(&o, order["total"].as_str().unwrap());
    shows(&o, "draft");
    for line in order["lines"].as_array().unwrap() {
        shows(&o, line["line_total"].as_str().unwrap());
    }
}

#[test]
fn a_long_order_runs_over_pages_with_every_line_once() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "SHOP");
    let ann = crm_seller(&app, &admin, "ann");
    let c = customer(&app, &ann.token);
    let lines: Vec<Value> = (1..=70)
        .map(|i| {
            let id = item(
                &app,
                &admin,
                &format!("P-{i:03}"),
                json!({"name": format!("Part {i} with a description long enough to wrap onto a second line in its column")}),
            );
            json!({"item_id": id, "quantity": format!("{i}"), "unit_price": "1.01"})
        })
        .collect();
    let order = app
        .post(
            "/api/v1/crm/sales-orders",
            &ann.token,
            json!({"customer_id": c, "location_id": room.stock, "lines": lines}),
        )
        .expect(201)
        .body;
    let path = format!(
        "/api/v1/crm/sales-orders/{}/pdf",
        order["id"].as_str().unwrap()
    );
    let (_, _, bytes) = app.get_bytes(&path, &ann.token);
    let pieces = text_pieces(&bytes);
    let number = order["number"].as_str().unwrap();
    let footers: Vec<&String> = pieces
        .iter()
        .filter(|p| p.starts_with(&format!("Sales order {number} · page ")))
        .collect();
    assert!(footers.len() >= 3, "{footers:?}");
    let pages = footers.len();
    assert_eq!(
        footers[0],
        &format!("Sales order {number} · page 1 of {pages}")
    );
    for line in order["lines"].as_array().unwrap() {
        let n = line["line_no"].as_i64().unwrap();
        let sku_line = format!("P-{n:03} Part {n} ");
        assert_eq!(
            pieces.iter().filter(|p| p.starts_with(&sku_line)).count(),
            1,
            "line {} printed once",
            line["line_no"]
        );
        shows(&pieces, line["line_total"].as_str().unwrap());
    }
    // 1.01 × (1 + 2 + ... + 70) = 1.01 × 2485.
    assert_eq!(order["total"], "2509.85");
    shows(&pieces, "2509.85");
    // Each page ends with its footer; every page with lines repeats the table's header.
    let mut with_lines = 0;
    for page in pieces.split(|p| p.starts_with(&format!("Sales order {number} · page "))) {
        if page.iter().any(|p| p.starts_with("P-")) {
            with_lines += 1;
            assert!(page.iter().any(|p| p == "Unit price"), "{page:?}");
        }
    }
    assert!(with_lines >= 3);
}

#[test]
fn a_purchase_order_prints_for_the_supplier_with_where_to_deliver() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    letterhead(&app, &admin);
    let room = Stockroom::create(&app, &admin, "CENTRAL");
    let supplier = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": "Chilonzor Metall", "roles": ["supplier"],
                   "addresses": [{"purpose": "office", "line1": "Bunyodkor 1", "city": "Toshkent"}]}),
        )
        .expect(201)
        .id();
    let bolt = item(&app, &admin, "BOLT", json!({"name": "Bolt M8"}));
    let po = app
        .post(
            "/api/v1/inventory/purchase-orders",
            &admin,
            json!({"supplier_id": supplier, "warehouse_id": room.warehouse, "order_date": "2026-11-02",
                   "lines": [{"item_id": bolt, "quantity": "250", "unit_price": "0.1234", "expected_date": "2026-11-20"}]}),
        )
        .expect(201)
        .body;
    let p = pdf(
        &app,
        &format!(
            "/api/v1/inventory/purchase-orders/{}/pdf",
            po["id"].as_str().unwrap()
        ),
        &admin,
    );
    for expected in [
        "Purchase order",
        po["number"].as_str().unwrap(),
        "Supplier",
        "Chilonzor Metall",
        // No billing address: the first one.
        "Bunyodkor 1",
        "2026-11-02",
        "2026-11-20",
        "BOLT Bolt M8",
        "250 ea",
        "0.1234",
        po["lines"][0]["line_total"].as_str().unwrap(),
        po["total"].as_str().unwrap(),
    ] {
        shows(&p, expected);
    }
    assert_eq!(po["total"], "30.85");
    assert!(p.iter().any(|piece| piece.starts_with("CENTRAL ")), "{p:?}");

    // The rights of the JSON: no token 401, no right 403, someone else's id 404.
    let path = format!(
        "/api/v1/inventory/purchase-orders/{}/pdf",
        po["id"].as_str().unwrap()
    );
    // Shown in the browser, saved under its title and number.
    assert_eq!(
        app.get(&path, &admin).header("content-disposition"),
        Some(
            format!(
                "inline; filename=\"Purchase_order_{}.pdf\"",
                po["number"].as_str().unwrap()
            )
            .as_str()
        )
    );
    app.send("GET", &path, None, None, &Default::default())
        .expect_problem(401, "unauthenticated");
    let clerk = UserBuilder::new("clerk")
        .permissions(&["inventory.item.read"])
        .create(&app, &admin);
    app.get(&path, &clerk.token)
        .expect_problem(403, "forbidden");
    app.get(
        "/api/v1/inventory/purchase-orders/01900000-0000-7000-8000-000000000000/pdf",
        &admin,
    )
    .expect_problem(404, "not_found");
}

#[test]
fn an_invoice_prints_lines_taxes_and_totals_and_a_draft_says_so() {
    let b = books();
    let (app, admin) = (&b.app, &b.admin);
    letterhead(app, admin);
    let customer = b.partner("Samarqand Savdo", "customer");
    let vat = b.tax("VAT12", "vat", "12", false);
    let draft = app
        .post(
            "/api/v1/finance/invoices",
            admin,
            json!({"kind": "customer_invoice", "partner_id": customer, "invoice_date": "2026-11-10",
                   "reference": "PO 4711",
                   "lines": [
                       {"description": "Montaj ishlari — монтаж", "quantity": "2.5", "unit_price": "120.00", "tax_id": vat},
                       {"description": "Transport", "quantity": "1", "unit_price": "35.50", "discount_percent": "10", "tax_id": vat}]}),
        )
        .expect(201)
        .body;
    let id = draft["id"].as_str().unwrap();
    let d = pdf(app, &format!("/api/v1/finance/invoices/{id}/pdf"), admin);
    shows(&d, "Draft invoice");
    shows(&d, "not numbered");

    let posted = app
        .post(
            &format!("/api/v1/finance/invoices/{id}/post"),
            admin,
            json!({}),
        )
        .expect(200)
        .body;
    let i = pdf(app, &format!("/api/v1/finance/invoices/{id}/pdf"), admin);
    shows(&i, "Invoice");
    shows(&i, posted["number"].as_str().unwrap());
    for expected in [
        "Samarqand Savdo",
        "Montaj ishlari — монтаж",
        "2026-11-10",
        posted["due_date"].as_str().unwrap(),
        "PO 4711",
        "VAT12",
    ] {
        shows(&i, expected);
    }
    for line in posted["lines"].as_array().unwrap() {
        shows(&i, line["net"].as_str().unwrap());
        shows(&i, line["tax"].as_str().unwrap());
    }
    // 2.5 × 120.00 = 300.00 and 35.50 less 10% = 31.95; 12% of 331.95 = 39.83 (39.834).
    assert_eq!(
        (&posted["net"], &posted["tax"], &posted["total"]),
        (&json!("331.95"), &json!("39.83"), &json!("371.78"))
    );
    for total in ["net", "tax", "total"] {
        shows(&i, posted[total].as_str().unwrap());
    }
    assert!(!i.iter().any(|p| p == "Draft invoice"));
}
