//! CSV import of customers with duplicate detection, and merging duplicates with their
//! history.

use erp_tests::builders::UserBuilder;
use erp_tests::{Req, TestApp};
use serde_json::json;

fn csv(app: &TestApp, token: &str, body: &str) -> erp_tests::Resp {
    let opts = Req {
        raw_body: Some(("text/csv".into(), body.into())),
        ..Req::default()
    };
    app.send(
        "POST",
        "/api/v1/crm/customers/import",
        Some(token),
        None,
        &opts,
    )
}

#[test]
fn an_import_creates_merges_duplicates_and_reports_rejected_rows() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = UserBuilder::new("ann")
        .permissions(&[
            "crm.customer.read",
            "crm.customer.write",
            "crm.personal_data.read",
        ])
        .create(&app, &admin);
    let existing = app
        .post("/api/v1/crm/customers", &ann.token, json!({"partner": {"kind": "organisation", "name": "Nord", "phones": [{"value": "+49 30 111111"}]}, "tags": ["old"]}))
        .expect(201)
        .id();
    let file = "name,kind,phone,email,tax_id,status,tags,contact_name,contact_phone,contact_email\n\
                Süd GmbH,organisation,+49 89 222222,info@sued.example,DE123,prospect,metal;vip,Eva,+49 170 1,eva@sued.example\n\
                Nord (again),organisation,+49 (30) 111-111,,,,new,Otto,,\n\
                Süd,organisation,,INFO@sued.example,,,,,,\n\
                ,organisation,+49 40 333333,,,,,,,\n\
                Ost,organisation,,not-an-email,,,,,,\n\
                Max Muster,person,+49 40 444444,max@example.com,,customer,,,,\n";
    let r = csv(&app, &ann.token, file).expect(200).body;
    assert_eq!(r["created"], 2, "{r}");
    let merged: Vec<(u64, &str)> = r["merged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["row"].as_u64().unwrap(),
                m["matched_on"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(merged, vec![(2, "phone"), (3, "email")]);
    assert_eq!(r["merged"][0]["customer_id"], existing);
    let rejected: Vec<u64> = r["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rejected, vec![4, 5]);
    assert!(r["rejected"][0]["errors"][0]
        .as_str()
        .unwrap()
        .starts_with("name"));
    let nord = app
        .get(&format!("/api/v1/crm/customers/{existing}"), &ann.token)
        .expect(200)
        .body;
    assert_eq!(nord["tags"], json!(["new", "old"]));
    assert_eq!(nord["contacts"][0]["name"], "Otto");
    let all = app
        .get("/api/v1/crm/customers", &ann.token)
        .expect(200)
        .body;
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    // The same file again makes nothing new.
    let again = csv(&app, &ann.token, file).expect(200).body;
    assert_eq!(again["created"], 0);
    assert_eq!(
        app.get("/api/v1/crm/customers", &ann.token)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    csv(&app, &ann.token, "title\nx\n").expect_problem(422, "validation_failed");
    let json_body = app.post("/api/v1/crm/customers/import", &ann.token, json!({}));
    assert_eq!(json_body.status, 415);
}

#[test]
fn merging_two_customers_keeps_all_history_on_one() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ann = UserBuilder::new("ann")
        .permissions(&[
            "crm.customer.read",
            "crm.customer.write",
            "crm.deal.write",
            "crm.task.write",
            "crm.personal_data.read",
        ])
        .create(&app, &admin);
    let x = app.post("/api/v1/crm/customers", &ann.token, json!({"partner": {"kind": "organisation", "name": "Nord AG", "phones": [{"value": "+49 30 1234999"}]}, "tags": ["a"]})).expect(201).id();
    let y = app
        .post("/api/v1/crm/customers", &ann.token, json!({"partner": {"kind": "organisation", "name": "Nord", "emails": [{"value": "buy@nord.example"}]}, "tags": ["b"], "contacts": [{"name": "Otto"}]}))
        .expect(201)
        .id();
    app.post(
        &format!("/api/v1/crm/customers/{x}/interactions"),
        &ann.token,
        json!({"kind": "note", "body": "first"}),
    )
    .expect(201);
    app.post(
        &format!("/api/v1/crm/customers/{y}/interactions"),
        &ann.token,
        json!({"kind": "note", "body": "second"}),
    )
    .expect(201);
    app.post(
        "/api/v1/crm/deals",
        &ann.token,
        json!({"customer_id": y, "title": "D", "value": "10.00"}),
    )
    .expect(201);
    app.post(
        "/api/v1/crm/tasks",
        &ann.token,
        json!({"title": "t", "due_at": "2030-01-01T00:00:00Z", "customer_id": y}),
    )
    .expect(201);
    app.post(
        &format!("/api/v1/crm/customers/{x}/merge"),
        &ann.token,
        json!({"duplicate_id": x}),
    )
    .expect_problem(422, "validation_failed");
    let moved = app
        .post(
            &format!("/api/v1/crm/customers/{x}/merge"),
            &ann.token,
            json!({"duplicate_id": y}),
        )
        .expect(200)
        .body;
    assert_eq!(
        (
            moved["interactions"].as_i64(),
            moved["deals"].as_i64(),
            moved["tasks"].as_i64(),
            moved["contacts"].as_i64()
        ),
        (Some(1), Some(1), Some(1), Some(1))
    );
    app.get(&format!("/api/v1/crm/customers/{y}"), &ann.token)
        .expect_problem(404, "not_found");
    let card = app
        .get(&format!("/api/v1/crm/customers/{x}"), &ann.token)
        .expect(200)
        .body;
    assert_eq!(card["tags"], json!(["a", "b"]));
    assert_eq!(card["partner"]["emails"][0]["value"], "buy@nord.example");
    assert_eq!(
        (
            card["summary"]["interactions"].as_i64(),
            card["summary"]["open_deals"].as_i64()
        ),
        (Some(2), Some(1))
    );
    let timeline = app
        .get(&format!("/api/v1/crm/customers/{x}/timeline"), &ann.token)
        .expect(200)
        .body;
    assert_eq!(
        timeline["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "interaction")
            .count(),
        2
    );
}

#[test]
fn customers_exported_import_into_another_company_and_export_the_same() {
    let export = |app: &TestApp, token: &str, query: &str| {
        let (status, kind, body) =
            app.get_bytes(&format!("/api/v1/crm/export/customers{query}"), token);
        assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
        String::from_utf8(body).unwrap()
    };
    let here = TestApp::spawn();
    let admin = here.admin_token();
    let file = "name,kind,phone,email,tax_id,status,source,region,segment,tags,contact_name,contact_phone,contact_email\n\
                Süd GmbH,organisation,+49 89 222222,info@sued.example,DE123,prospect,fair,Bayern,industry,metal;vip,Eva,+49 170 1111111,eva@sued.example\n\
                Süd GmbH,organisation,+49 89 222222,,,,,,,,Otto,,otto@sued.example\n\
                \"Max Muster, Jr.\",person,+49 40 444444,max@example.com,,customer,,,,,,,\n";
    let r = csv(&here, &admin, file).expect(200).body;
    assert_eq!(
        (r["created"].as_u64(), r["merged"][0]["row"].as_u64()),
        (Some(2), Some(2))
    );
    let exported = export(&here, &admin, "");
    let lines: Vec<&str> = exported.lines().collect();
    assert_eq!(
        lines,
        [
            "name,kind,phone,email,tax_id,status,source,region,segment,tags,contact_name,contact_phone,contact_email",
            "Süd GmbH,organisation,+49 89 222222,info@sued.example,DE123,prospect,fair,Bayern,industry,metal;vip,Eva,+49 170 1111111,eva@sued.example",
            "Süd GmbH,organisation,+49 89 222222,info@sued.example,DE123,prospect,fair,Bayern,industry,metal;vip,Otto,,otto@sued.example",
            "\"Max Muster, Jr.\",person,+49 40 444444,max@example.com,,customer,import,,,,,,",
        ],
        "one row per contact person, each repeating the card"
    );
    assert_eq!(
        export(&here, &admin, "?status=customer").lines().count(),
        2,
        "the filters of the list"
    );

    // Another company takes the file: two customers, the second contact merged into the first.
    let there = TestApp::spawn();
    let admin2 = there.admin_token();
    let r = csv(&there, &admin2, &exported).expect(200).body;
    assert_eq!(r["created"], 2, "{r}");
    assert_eq!(export(&there, &admin2, ""), exported);

    // Without personal_data.read, no phones or e-mails; contact people by name, as on the card.
    let seller = UserBuilder::new("seller")
        .permissions(&["crm.customer.read", "crm.all"])
        .create(&here, &admin);
    let masked = export(&here, &seller.token, "");
    assert!(!masked.contains('@') && !masked.contains("+49"), "{masked}");
    assert_eq!(masked.lines().count(), 4, "{masked}");
}
