//! Bad input of every kind gets a 4xx problem+json and leaves the data as it was.

use erp_tests::builders::partner;
use erp_tests::{Req, TestApp};
use serde_json::json;

fn partner_count(app: &TestApp, token: &str) -> usize {
    app.get("/api/v1/partners?limit=500", token)
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .len()
}

fn raw(ct: &str, body: &str) -> Req {
    Req {
        raw_body: Some((ct.into(), body.into())),
        ..Req::default()
    }
}

#[test]
fn malformed_bodies_are_refused_and_change_nothing() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    app.post(
        "/api/v1/partners",
        &admin,
        partner("Existing", &["customer"]),
    )
    .expect(201);
    let send = |req: Req| app.send("POST", "/api/v1/partners", Some(&admin), None, &req);

    send(raw("application/json", "{\"kind\": \"organisation\", "))
        .expect_problem(400, "bad_request");
    send(raw("application/json", "")).expect_problem(400, "bad_request");
    send(raw("application/json", "{} trailing")).expect_problem(400, "bad_request");
    send(raw("application/json", "[1,2,3]")).expect_problem(422, "validation_failed");
    send(raw("text/plain", "{\"kind\":\"person\"}")).expect_problem(415, "unsupported_media_type");
    send(raw("application/x-www-form-urlencoded", "kind=person"))
        .expect_problem(415, "unsupported_media_type");

    // Wrong type, unknown field, missing field, bad enum: 422 naming the field.
    let r = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": 42}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "name");
    let r = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": "X", "colour": "red"}),
        )
        .expect_problem(422, "validation_failed");
    assert!(r.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("colour"));
    app.post("/api/v1/partners", &admin, json!({"name": "No kind"}))
        .expect_problem(422, "validation_failed");
    let r = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "robot", "name": "X"}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "kind");
    let r = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "person", "name": "X", "emails": [{"value": "ok@x.de"}, {"value": 7}]}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "emails[1].value");

    // Business validation reports every field at once.
    let r = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": "  ", "emails": [{"value": "not-an-email"}], "phones": [{"value": "call me"}]}),
        )
        .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert_eq!(fields, ["name", "phones[0].value", "emails[0].value"]);

    assert_eq!(
        partner_count(&app, &admin),
        1,
        "nothing was written by refused requests"
    );
}

#[test]
fn huge_bodies_get_413() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let notes = "x".repeat(300 * 1024);
    let r = app.post(
        "/api/v1/partners",
        &admin,
        json!({"kind": "organisation", "name": "Big", "notes": notes}),
    );
    r.expect_problem(413, "payload_too_large");
    assert_eq!(partner_count(&app, &admin), 0);
}

#[test]
fn bad_ids_and_queries_are_4xx() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    app.get("/api/v1/partners/not-a-uuid", &admin)
        .expect_problem(422, "validation_failed");
    app.get(
        "/api/v1/partners/00000000-0000-0000-0000-000000000000",
        &admin,
    )
    .expect_problem(404, "not_found");
    app.get("/api/v1/iam/users/%27%20OR%201%3D1--", &admin)
        .expect_problem(422, "validation_failed");
    let r = app
        .get("/api/v1/partners?limit=abc", &admin)
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "limit");
    app.get("/api/v1/partners?limit=0", &admin)
        .expect_problem(422, "validation_failed");
    app.get("/api/v1/partners?limit=501", &admin)
        .expect_problem(422, "validation_failed");
    app.get("/api/v1/partners?cursor=garbage", &admin)
        .expect_problem(422, "validation_failed");
    app.get("/api/v1/partners?updated_since=yesterday", &admin)
        .expect_problem(422, "validation_failed");
    app.get("/api/v1/partners?role=king", &admin)
        .expect_problem(422, "validation_failed");
    app.get("/api/v1/no/such/route", &admin)
        .expect_problem(404, "not_found");
}

#[test]
fn sql_looking_strings_are_stored_as_text() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let evil = "Robert'); DROP TABLE partners;--";
    let created = app
        .post("/api/v1/partners", &admin, partner(evil, &["supplier"]))
        .expect(201);
    let id = created.id();
    assert_eq!(
        app.get(&format!("/api/v1/partners/{id}"), &admin)
            .expect(200)
            .body["name"],
        evil
    );
    let found = app
        .get("/api/v1/partners?q=%27%29%3B%20DROP", &admin)
        .expect(200);
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1);
    let none = app
        .get("/api/v1/partners?q=%25%27%20OR%20%271%27%3D%271", &admin)
        .expect(200);
    assert_eq!(none.body["items"].as_array().unwrap().len(), 0);
    assert_eq!(partner_count(&app, &admin), 1);
    app.login_response("admin' --", "x")
        .expect_problem(401, "unauthenticated");
}

#[test]
fn decimals_in_floats_and_control_characters_are_refused() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    app.post(
        "/api/v1/partners",
        &admin,
        json!({"kind": "organisation", "name": "Bell\u{7}Co"}),
    )
    .expect_problem(422, "validation_failed");
    app.post(
        "/api/v1/iam/users",
        &admin,
        json!({"username": "x y", "display_name": "X", "password": "long-enough-1"}),
    )
    .expect_problem(422, "validation_failed");
}
