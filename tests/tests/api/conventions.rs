//! The API conventions every endpoint shares: versioned writes, pagination, idempotency.

use erp_tests::builders::partner;
use erp_tests::{Req, TestApp};
use serde_json::json;

#[test]
fn stale_writes_get_412_and_unversioned_writes_428() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let created = app
        .post("/api/v1/partners", &admin, partner("Acme", &["customer"]))
        .expect(201);
    assert_eq!(created.header("etag"), Some("\"1\""));
    let path = created.header("location").unwrap().to_string();
    let read = app.get(&path, &admin).expect(200);
    assert_eq!(read.header("etag"), Some("\"1\""));

    app.patch(&path, &admin, 1, json!({"name": "Acme GmbH"}))
        .expect(200);
    let r = app
        .patch(&path, &admin, 1, json!({"name": "Lost update"}))
        .expect_problem(412, "version_mismatch");
    assert_eq!(r.body["current_version"], 2);
    let none = Req::default();
    app.send(
        "PATCH",
        &path,
        Some(&admin),
        Some(&json!({"name": "No version"})),
        &none,
    )
    .expect_problem(428, "precondition_required");
    // The version may also come in the body.
    let ok = app
        .send(
            "PATCH",
            &path,
            Some(&admin),
            Some(&json!({"name": "Acme AG", "version": 2})),
            &none,
        )
        .expect(200);
    assert_eq!(ok.header("etag"), Some("\"3\""));
    let bad = Req {
        headers: vec![("If-Match".into(), "nonsense".into())],
        ..Req::default()
    };
    app.send(
        "PATCH",
        &path,
        Some(&admin),
        Some(&json!({"name": "X"})),
        &bad,
    )
    .expect_problem(422, "validation_failed");
    assert_eq!(app.get(&path, &admin).body["name"], "Acme AG");
}

#[test]
fn lists_page_with_a_cursor_and_sync_with_updated_since() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(
            app.post("/api/v1/partners", &admin, partner(&format!("P{i}"), &[]))
                .expect(201)
                .id(),
        );
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/partners?limit=3".to_string();
    loop {
        let page = app.get(&path, &admin).expect(200);
        seen.extend(
            page.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_str().unwrap().to_string()),
        );
        match page.body["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/partners?limit=3&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ids, "every record once, in creation order");

    std::thread::sleep(std::time::Duration::from_millis(20));
    let mark = chrono::Utc::now();
    std::thread::sleep(std::time::Duration::from_millis(20));
    app.patch(
        &format!("/api/v1/partners/{}", ids[4]),
        &admin,
        1,
        json!({"notes": "changed"}),
    )
    .expect(200);
    let since = mark
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        .replace('+', "%2B");
    let changed = app
        .get(&format!("/api/v1/partners?updated_since={since}"), &admin)
        .expect(200);
    let changed: Vec<_> = changed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(changed, [ids[4].clone()]);
}

#[test]
fn partners_hold_addresses_contacts_and_roles_and_are_found_by_phone() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let body = json!({
        "kind": "person", "first_name": "Ada", "last_name": "Lovelace", "tax_id": "DE123",
        "roles": ["customer", "supplier"],
        "addresses": [{"purpose": "billing", "line1": "1 Main St", "city": "London", "country": "GB", "is_primary": true},
                      {"purpose": "shipping", "line1": "Dock 4", "country": "GB"}],
        "phones": [{"label": "mobile", "value": "+44 (20) 7946-0018", "is_primary": true}],
        "emails": [{"value": "Ada@Example.com"}]
    });
    let p = app.post("/api/v1/partners", &admin, body).expect(201);
    assert_eq!(p.body["name"], "Ada Lovelace");
    assert_eq!(p.body["addresses"].as_array().unwrap().len(), 2);
    assert_eq!(p.body["roles"], json!(["customer", "supplier"]));
    app.post(
        "/api/v1/partners",
        &admin,
        partner("Other Ltd", &["supplier"]),
    )
    .expect(201);

    let by_phone = app
        .get("/api/v1/partners?phone=%2B442079460018", &admin)
        .expect(200);
    assert_eq!(by_phone.body["items"].as_array().unwrap().len(), 1);
    let by_email = app
        .get("/api/v1/partners?email=ada%40example.COM", &admin)
        .expect(200);
    assert_eq!(by_email.body["items"][0]["id"], p.body["id"]);
    let suppliers = app
        .get("/api/v1/partners?role=supplier", &admin)
        .expect(200);
    assert_eq!(suppliers.body["items"].as_array().unwrap().len(), 2);
    let customers = app
        .get("/api/v1/partners?role=customer&kind=person", &admin)
        .expect(200);
    assert_eq!(customers.body["items"].as_array().unwrap().len(), 1);

    let path = format!("/api/v1/partners/{}", p.id());
    let updated = app
        .patch(
            &path,
            &admin,
            1,
            json!({"roles": ["customer"], "emails": []}),
        )
        .expect(200);
    assert_eq!(updated.body["roles"], json!(["customer"]));
    assert_eq!(updated.body["emails"], json!([]));
    assert_eq!(
        updated.body["phones"].as_array().unwrap().len(),
        1,
        "lists not sent stay"
    );
    app.post("/api/v1/partners", &admin, json!({"kind": "person", "phones": [{"value": "1", "is_primary": true}, {"value": "2222", "is_primary": true}]}))
        .expect_problem(422, "validation_failed");
    app.delete(&path, &admin).expect(204);
    app.get(&path, &admin).expect_problem(404, "not_found");
}

#[test]
fn companies_and_branches_are_managed_and_validated() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let companies = app.get("/api/v1/org/companies", &admin).expect(200);
    let main = &companies.body["items"][0];
    assert_eq!(main["code"], "MAIN");
    let cid = main["id"].as_str().unwrap();
    app.patch(&format!("/api/v1/org/companies/{cid}"), &admin, 1, json!({"name": "Acme Holding", "currency": "USD", "time_zone": "America/New_York", "address": {"city": "New York", "country": "US"}}))
        .expect(200);
    let r = app
        .patch(
            &format!("/api/v1/org/companies/{cid}"),
            &admin,
            2,
            json!({"currency": "usd", "time_zone": "Mars", "address": {"country": "USA"}}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 3);
    let read = app
        .get(&format!("/api/v1/org/companies/{cid}"), &admin)
        .expect(200)
        .body;
    assert_eq!(
        (
            read["name"].as_str(),
            read["currency"].as_str(),
            read["version"].as_i64()
        ),
        (Some("Acme Holding"), Some("USD"), Some(2)),
        "the refused change left it as it was: {read}"
    );

    let b = app
        .post(
            "/api/v1/org/branches",
            &admin,
            json!({"code": "NYC", "name": "New York"}),
        )
        .expect(201);
    assert_eq!(
        b.body["currency"], "USD",
        "a branch takes the company's currency by default"
    );
    app.post(
        "/api/v1/org/branches",
        &admin,
        json!({"code": "NYC", "name": "Again"}),
    )
    .expect_problem(409, "duplicate_code");
    app.post(
        "/api/v1/org/branches",
        &admin,
        json!({"code": "a b", "name": "Bad code"}),
    )
    .expect_problem(422, "validation_failed");
    let branch = format!("/api/v1/org/branches/{}", b.id());
    let moved = app
        .patch(
            &branch,
            &admin,
            1,
            json!({"name": "New York City", "time_zone": "America/New_York"}),
        )
        .expect(200)
        .body;
    assert_eq!(
        (moved["name"].as_str(), moved["time_zone"].as_str()),
        (Some("New York City"), Some("America/New_York"))
    );
    let r = app
        .patch(&branch, &admin, 2, json!({"time_zone": "Mars"}))
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["time_zone"]);

    let other = app
        .post("/api/v1/org/companies", &admin, json!({"code": "SUB", "name": "Subsidiary", "currency": "EUR", "time_zone": "Europe/Berlin"}))
        .expect(201);
    app.post(
        "/api/v1/org/companies",
        &admin,
        json!({"code": "SUB", "name": "Again", "currency": "EUR", "time_zone": "UTC"}),
    )
    .expect_problem(409, "duplicate_code");
    assert_eq!(
        app.get("/api/v1/org/companies", &admin).body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // A user of the subsidiary sees only the subsidiary.
    app.post(
        "/api/v1/iam/users",
        &admin,
        json!({"username": "sub-user", "display_name": "S", "password": "sub-password-1", "company_id": other.id()}),
    )
    .expect(201);
    let sub = app.login("sub-user", "sub-password-1");
    app.get(&format!("/api/v1/org/companies/{cid}"), &sub)
        .expect_problem(403, "forbidden");
}

#[test]
fn idempotency_key_replays_the_first_response() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let with_key = |k: &str| Req {
        headers: vec![("Idempotency-Key".into(), k.into())],
        ..Req::default()
    };
    let body = partner("Once Only", &["customer"]);
    let first = app
        .send(
            "POST",
            "/api/v1/partners",
            Some(&admin),
            Some(&body),
            &with_key("k-1"),
        )
        .expect(201);
    let again = app
        .send(
            "POST",
            "/api/v1/partners",
            Some(&admin),
            Some(&body),
            &with_key("k-1"),
        )
        .expect(201);
    assert_eq!(first.body, again.body);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(first.header("location"), again.header("location"));
    let list = app.get("/api/v1/partners", &admin).expect(200);
    assert_eq!(
        list.body["items"].as_array().unwrap().len(),
        1,
        "the repeat created nothing"
    );

    app.send(
        "POST",
        "/api/v1/partners",
        Some(&admin),
        Some(&partner("Different", &[])),
        &with_key("k-1"),
    )
    .expect_problem(422, "idempotency_key_reused");
    // A refused request is replayed as refused, too.
    let bad = json!({"kind": "organisation"});
    app.send(
        "POST",
        "/api/v1/partners",
        Some(&admin),
        Some(&bad),
        &with_key("k-2"),
    )
    .expect_problem(422, "validation_failed");
    app.send(
        "POST",
        "/api/v1/partners",
        Some(&admin),
        Some(&bad),
        &with_key("k-2"),
    )
    .expect_problem(422, "validation_failed");
    app.send(
        "POST",
        "/api/v1/partners",
        Some(&admin),
        Some(&body),
        &with_key(&"x".repeat(300)),
    )
    .expect_problem(422, "validation_failed");
    // Without a key the same body makes a second record.
    app.post("/api/v1/partners", &admin, body).expect(201);
    assert_eq!(
        app.get("/api/v1/partners", &admin).body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn client_made_ids_are_kept_and_not_duplicated() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let id = uuid::Uuid::now_v7().to_string();
    let mut body = partner("Offline branch record", &[]);
    body["id"] = json!(id);
    let created = app
        .post("/api/v1/partners", &admin, body.clone())
        .expect(201);
    assert_eq!(created.body["id"], id);
    app.post("/api/v1/partners", &admin, body)
        .expect_problem(409, "duplicate_id");
}

#[test]
fn every_response_carries_a_request_id() {
    let app = TestApp::spawn();
    let r = app
        .send("GET", "/health/live", None, None, &Req::default())
        .expect(200);
    assert!(r.header("x-request-id").is_some());
    let mine = Req {
        headers: vec![("X-Request-Id".into(), "trace-42".into())],
        ..Req::default()
    };
    let r = app
        .send("GET", "/health/ready", None, None, &mine)
        .expect(200);
    assert_eq!(r.header("x-request-id"), Some("trace-42"));
    assert_eq!(r.body["status"], "ok");

    // A problem carries the same id in its body, whatever refused the request: a handler,
    // the authentication, a route that does not exist.
    let admin = app.admin_token();
    let traced = Req {
        headers: vec![("X-Request-Id".into(), "trace-43".into())],
        ..Req::default()
    };
    let unknown = format!("/api/v1/partners/{}", uuid::Uuid::now_v7());
    let p = app
        .send("GET", &unknown, Some(&admin), None, &traced)
        .expect_problem(404, "not_found");
    assert_eq!(p.body["request_id"], "trace-43");
    assert_eq!(p.body["status"], 404, "the other fields stay: {}", p.body);
    let p = app
        .send("GET", "/api/v1/partners", None, None, &traced)
        .expect(401);
    assert_eq!(p.body["request_id"], "trace-43");
    let p = app.get("/api/v1/no-such-thing", &admin).expect(404);
    assert_eq!(
        p.body["request_id"].as_str(),
        p.header("x-request-id"),
        "a generated id: {}",
        p.body
    );
}

#[test]
fn metrics_count_requests_by_route_for_permitted_callers() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    app.get("/api/v1/partners", &admin).expect(200);
    app.get(
        &format!("/api/v1/partners/{}", uuid::Uuid::now_v7()),
        &admin,
    )
    .expect(404);
    let m = app.get("/metrics", &admin).expect(200);
    assert!(m.header("content-type").unwrap().starts_with("text/plain"));
    assert!(
        m.text.contains(
            r#"erp_http_requests_total{method="GET",route="/api/v1/partners",status="200"} 1"#
        ),
        "{}",
        m.text
    );
    assert!(m
        .text
        .contains(r#"route="/api/v1/partners/{id}",status="404"} 1"#));
    assert!(m.text.contains("erp_db_pool_connections{state=\"idle\"}"));
    let nobody = erp_tests::builders::UserBuilder::new("nobody").create(&app, &admin);
    app.get("/metrics", &nobody.token)
        .expect_problem(403, "forbidden");
}

/// A method the path does not take is 405 naming the ones it does (`Allow`), as HTTP says;
/// a path nobody serves stays 404.
#[test]
fn a_method_a_path_does_not_take_is_405_with_allow() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let r = app
        .send(
            "PUT",
            "/api/v1/inventory/items",
            Some(&admin),
            Some(&serde_json::json!({})),
            &Req::default(),
        )
        .expect_problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET, POST"));
    let item = format!("/api/v1/inventory/items/{}", uuid::Uuid::now_v7());
    let r = app
        .send("DELETE", &item, Some(&admin), None, &Req::default())
        .expect_problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET, PATCH"));
    app.send(
        "PATCH",
        "/api/v1/no-such-thing",
        Some(&admin),
        None,
        &Req::default(),
    )
    .expect_problem(404, "not_found");
}

/// A record others refer to is kept: deleting a partner that is a customer's card is 409
/// `referenced`, as the contract declares for every DELETE.
#[test]
fn deleting_a_referenced_record_is_409_referenced_as_declared() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let card = app
        .post(
            "/api/v1/crm/customers",
            &admin,
            serde_json::json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    let opts = Req {
        headers: vec![("If-Match".into(), "\"1\"".into())],
        ..Req::default()
    };
    app.send(
        "DELETE",
        &format!("/api/v1/partners/{card}"),
        Some(&admin),
        None,
        &opts,
    )
    .expect_problem(409, "referenced");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("../openapi/openapi.json").unwrap()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if let Some(delete) = item.get("delete") {
            assert!(delete["responses"].get("409").is_some(), "DELETE {path}");
        }
    }
}

/// What the contract declares a response carries, it carries: `ETag` with the body's version
/// on versioned resources (reads, changes, actions, creations), `Location` where a created
/// resource is read.
#[test]
fn declared_etag_and_location_headers_are_sent() {
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../openapi/openapi.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let declares = |method: &str, path: &str, status: &str, header: &str| {
        doc["paths"][format!("/api/v1{path}")][method]["responses"][status]["headers"]
            .get(header)
            .is_some()
    };
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let check = |r: &erp_tests::Resp, method: &str, path: &str| {
        let status = r.status.to_string();
        assert!(
            declares(method, path, &status, "ETag"),
            "{method} {path} {status} declares ETag"
        );
        assert_eq!(
            r.header("etag"),
            Some(format!("\"{}\"", r.body["version"]).as_str()),
            "{method} {path}"
        );
        if status == "201" && declares(method, path, "201", "Location") {
            let location = r.header("location").expect("Location sent");
            app.get(location, &admin).expect(200);
        }
    };
    let item = app.post(
        "/api/v1/inventory/items",
        &admin,
        json!({"sku": "E-1", "name": "Etag", "base_uom_id": erp_tests::builders::uom(&app, &admin, "ea")}),
    );
    check(&item, "post", "/inventory/items");
    assert!(declares("post", "/inventory/items", "201", "Location"));
    let customer = app.post(
        "/api/v1/crm/customers",
        &admin,
        json!({"partner": {"kind": "organisation", "name": "Nord"}}),
    );
    check(&customer, "post", "/crm/customers");
    let ticket = app
        .post(
            "/api/v1/crm/tickets",
            &admin,
            json!({"customer_id": customer.id(), "kind": "service", "subject": "Install"}),
        )
        .expect(201);
    check(&ticket, "post", "/crm/tickets");
    let resolved = app
        .post(
            &format!("/api/v1/crm/tickets/{}/resolve", ticket.id()),
            &admin,
            json!({"resolution": "installed"}),
        )
        .expect(200);
    check(&resolved, "post", "/crm/tickets/{id}/resolve");
    let contact = app
        .post(
            &format!("/api/v1/crm/customers/{}/contacts", customer.id()),
            &admin,
            json!({"name": "Eve"}),
        )
        .expect(201);
    check(&contact, "post", "/crm/customers/{id}/contacts");
    let settings = app.get("/api/v1/finance/settings", &admin).expect(200);
    check(&settings, "get", "/finance/settings");
}

/// Lists kept in an order of their own (tasks most urgent first, quotes newest first) page
/// by a cursor on that order: every row once, none skipped, whatever the page size.
#[test]
fn lists_in_their_own_order_page_by_a_cursor_on_it() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let customer = app
        .post(
            "/api/v1/crm/customers",
            &admin,
            json!({"partner": {"kind": "organisation", "name": "Nord"}}),
        )
        .expect(201)
        .id();
    let at = |hours: i64| (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339();
    // Two tasks due at the same instant: the id breaks the tie, so neither is lost between
    // pages.
    let same = at(5);
    for (i, due) in [at(30), at(-3), same.clone(), at(1), same, at(12), at(-20)]
        .iter()
        .enumerate()
    {
        app.post(
            "/api/v1/crm/tasks",
            &admin,
            json!({"title": format!("task {i}"), "due_at": due, "customer_id": customer}),
        )
        .expect(201);
    }
    let all = app
        .get("/api/v1/crm/tasks?limit=500", &admin)
        .expect(200)
        .body;
    assert_eq!(all["items"].as_array().unwrap().len(), 7);
    assert!(all["next_cursor"].is_null());
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/crm/tasks?limit=2&cursor={c}"),
            None => "/api/v1/crm/tasks?limit=2".to_string(),
        };
        let page = app.get(&path, &admin).expect(200).body;
        assert!(page["items"].as_array().unwrap().len() <= 2);
        paged.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(paged, *all["items"].as_array().unwrap());
    let dues: Vec<&str> = paged
        .iter()
        .map(|t| t["due_at"].as_str().unwrap())
        .collect();
    let mut sorted = dues.clone();
    sorted.sort();
    assert_eq!(dues, sorted, "most urgent first");
    // The overdue view pages too, with only the overdue.
    let overdue = app
        .get("/api/v1/crm/tasks?view=overdue&limit=1", &admin)
        .expect(200)
        .body;
    assert_eq!(overdue["items"].as_array().unwrap().len(), 1);
    let rest = app
        .get(
            &format!(
                "/api/v1/crm/tasks?view=overdue&limit=1&cursor={}",
                overdue["next_cursor"].as_str().unwrap()
            ),
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
    // A cursor of another kind, or made up, is refused by name.
    let r = app
        .get("/api/v1/crm/tasks?cursor=bm90LWEtY3Vyc29y", &admin)
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["cursor"]);

    // Quotes: newest first, two at a time.
    let deal = app
        .post(
            "/api/v1/crm/deals",
            &admin,
            json!({"customer_id": customer, "title": "Spring", "value": "5.00"}),
        )
        .expect(201)
        .id();
    let item = erp_tests::builders::item(&app, &admin, "Q-1", json!({}));
    let made: Vec<String> = (0..5)
        .map(|_| {
            app.post(
                &format!("/api/v1/crm/deals/{deal}/quotes"),
                &admin,
                json!({"lines": [{"item_id": item, "quantity": "1", "unit_price": "1.00"}]}),
            )
            .expect(201)
            .id()
        })
        .collect();
    let mut seen = Vec::new();
    let mut path = "/api/v1/crm/quotes?limit=2".to_string();
    loop {
        let page = app.get(&path, &admin).expect(200).body;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| q["id"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/crm/quotes?limit=2&cursor={c}"),
            None => break,
        }
    }
    let newest_first: Vec<String> = made.into_iter().rev().collect();
    assert_eq!(seen, newest_first);
}
