//! Documents on customers, deals and tickets: upload with type and size limits checked
//! against the content, list, download byte for byte, delete; access follows the customer.

use erp_tests::builders::{crm_manager, crm_seller, item, Stockroom};
use erp_tests::{Req, Resp, TestApp};
use serde_json::json;

fn upload(app: &TestApp, token: &str, query: &str, content_type: &str, body: &str) -> Resp {
    app.send(
        "POST",
        &format!("/api/v1/crm/documents?{query}"),
        Some(token),
        None,
        &Req {
            raw_body: Some((content_type.into(), body.into())),
            ..Default::default()
        },
    )
}

#[test]
fn files_are_attached_listed_downloaded_and_deleted_within_their_limits() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = crm_seller(&app, &admin, "ann");
    let bob = crm_manager(&app, &admin, "bob");
    let c = app
        .post(
            "/api/v1/crm/customers",
            &ann.token,
            json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    let pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
    let doc = upload(
        &app,
        &ann.token,
        &format!("entity_type=customer&entity_id={c}&file_name=Contract%202026.pdf"),
        "application/pdf",
        pdf,
    )
    .expect(201)
    .body;
    assert_eq!(doc["file_name"], "Contract 2026.pdf");
    assert_eq!(doc["size_bytes"], pdf.len());
    assert_eq!(
        doc["sha256"].as_str().unwrap().len(),
        64,
        "a hex SHA-256 to check downloads against"
    );
    let id = doc["id"].as_str().unwrap().to_string();
    let deal = app
        .post(
            "/api/v1/crm/deals",
            &ann.token,
            json!({"customer_id": c, "title": "d", "value": "1.00"}),
        )
        .expect(201)
        .id();
    upload(
        &app,
        &ann.token,
        &format!("entity_type=deal&entity_id={deal}&file_name=notes.txt"),
        "text/plain; charset=utf-8",
        "Wants delivery before May.",
    )
    .expect(201);
    // Orders and tickets take files too; each record lists its own.
    let room = Stockroom::create(&app, &admin, "SHOP");
    let beam = item(&app, &admin, "BEAM", json!({}));
    let order = app
        .post(
            "/api/v1/crm/sales-orders",
            &ann.token,
            json!({"customer_id": c, "location_id": room.stock, "lines": [{"item_id": beam, "quantity": "1", "unit_price": "1"}]}),
        )
        .expect(201)
        .id();
    let ticket = app
        .post(
            "/api/v1/crm/tickets",
            &ann.token,
            json!({"customer_id": c, "kind": "service", "subject": "Install"}),
        )
        .expect(201)
        .id();
    for (kind, id) in [("order", &order), ("ticket", &ticket)] {
        upload(
            &app,
            &ann.token,
            &format!("entity_type={kind}&entity_id={id}&file_name={kind}.csv"),
            "text/csv",
            "sku,qty\nBEAM,1\n",
        )
        .expect(201);
        app.get(
            &format!("/api/v1/crm/documents?entity_type={kind}&entity_id={id}"),
            &bob.token,
        )
        .expect_problem(404, "not_found");
        let mine = app
            .get(
                &format!("/api/v1/crm/documents?entity_type={kind}&entity_id={id}"),
                &ann.token,
            )
            .expect(200)
            .body;
        assert_eq!(mine["items"][0]["file_name"], format!("{kind}.csv"));
    }
    let listed = app
        .get(
            &format!("/api/v1/crm/documents?entity_type=customer&entity_id={c}"),
            &ann.token,
        )
        .expect(200)
        .body;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let got = app
        .get(&format!("/api/v1/crm/documents/{id}"), &ann.token)
        .expect(200);
    assert_eq!(got.text, pdf);
    assert_eq!(got.header("content-type"), Some("application/pdf"));
    assert!(got
        .header("content-disposition")
        .unwrap()
        .contains("Contract 2026.pdf"));
    // Someone else's customer: nothing to see, nothing to attach to.
    app.get(&format!("/api/v1/crm/documents/{id}"), &bob.token)
        .expect_problem(404, "not_found");
    app.get(
        &format!("/api/v1/crm/documents?entity_type=customer&entity_id={c}"),
        &bob.token,
    )
    .expect_problem(404, "not_found");
    upload(
        &app,
        &bob.token,
        &format!("entity_type=customer&entity_id={c}&file_name=x.pdf"),
        "application/pdf",
        pdf,
    )
    .expect_problem(422, "validation_failed");
    // Limits: the type must be allowed and match the content; names have no paths; size.
    let q = format!("entity_type=customer&entity_id={c}&file_name=a.png");
    upload(&app, &ann.token, &q, "image/png", "not a picture")
        .expect_problem(422, "validation_failed");
    upload(&app, &ann.token, &q, "application/x-msdownload", "MZ")
        .expect_problem(415, "unsupported_media_type");
    upload(&app, &ann.token, &q, "text/plain", "").expect_problem(422, "validation_failed");
    upload(
        &app,
        &ann.token,
        &format!("entity_type=customer&entity_id={c}&file_name=..%2Fetc%2Fpasswd"),
        "text/plain",
        "x",
    )
    .expect_problem(422, "validation_failed");
    let big = "a".repeat(10 * 1024 * 1024 + 1);
    upload(
        &app,
        &ann.token,
        &q.replace("a.png", "big.txt"),
        "text/plain",
        &big,
    )
    .expect_problem(413, "payload_too_large");
    app.delete(&format!("/api/v1/crm/documents/{id}"), &ann.token)
        .expect(204);
    app.get(&format!("/api/v1/crm/documents/{id}"), &ann.token)
        .expect_problem(404, "not_found");
}
