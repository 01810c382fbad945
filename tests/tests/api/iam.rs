//! Users, roles, permissions, branch scope, API keys.

use erp_tests::builders::{partner, UserBuilder};
use erp_tests::{Req, TestApp};
use serde_json::json;

#[test]
fn a_user_may_do_only_what_their_roles_grant() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let clerk = UserBuilder::new("clerk")
        .permissions(&["partner.read"])
        .create(&app, &admin);

    app.get("/api/v1/partners", &clerk.token).expect(200);
    let r = app
        .post("/api/v1/partners", &clerk.token, partner("Nope", &[]))
        .expect_problem(403, "forbidden");
    assert!(r.body["detail"].as_str().unwrap().contains("partner.write"));
    app.get("/api/v1/iam/users", &clerk.token)
        .expect_problem(403, "forbidden");
    app.get("/api/v1/audit/events", &clerk.token)
        .expect_problem(403, "forbidden");
    // Users may always read themselves.
    app.get(&format!("/api/v1/iam/users/{}", clerk.id), &clerk.token)
        .expect(200);

    let perms = app
        .get(
            &format!("/api/v1/iam/users/{}/permissions", clerk.id),
            &admin,
        )
        .expect(200);
    assert_eq!(perms.body["permissions"], json!(["partner.read"]));

    // Grant a pattern through the role: takes effect on the next request.
    let role_id = app
        .get(&format!("/api/v1/iam/users/{}", clerk.id), &admin)
        .expect(200)
        .body["role_ids"][0]
        .as_str()
        .unwrap()
        .to_string();
    let role = app
        .get(&format!("/api/v1/iam/roles/{role_id}"), &admin)
        .expect(200);
    let version = role.body["version"].as_i64().unwrap();
    app.patch(
        &format!("/api/v1/iam/roles/{role_id}"),
        &admin,
        version,
        json!({"permissions": ["partner.*"]}),
    )
    .expect(200);
    app.post(
        "/api/v1/partners",
        &clerk.token,
        partner("Now allowed", &[]),
    )
    .expect(201);
    let perms = app
        .get(
            &format!("/api/v1/iam/users/{}/permissions", clerk.id),
            &admin,
        )
        .expect(200);
    assert_eq!(
        perms.body["permissions"],
        json!(["partner.delete", "partner.read", "partner.write"])
    );
}

#[test]
fn roles_refuse_unknown_permissions_and_duplicate_names() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let r = app
        .post(
            "/api/v1/iam/roles",
            &admin,
            json!({"name": "Odd", "permissions": ["partner.read", "partner.fly", "x.*"]}),
        )
        .expect_problem(422, "validation_failed");
    let fields: Vec<_> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert_eq!(fields, [json!("permissions[1]"), json!("permissions[2]")]);
    app.post(
        "/api/v1/iam/roles",
        &admin,
        json!({"name": "Sales", "permissions": ["partner.*"]}),
    )
    .expect(201);
    app.post("/api/v1/iam/roles", &admin, json!({"name": "Sales"}))
        .expect_problem(409, "duplicate_name");
    let list = app.get("/api/v1/iam/roles", &admin).expect(200);
    assert_eq!(
        list.body["items"].as_array().unwrap().len(),
        2,
        "Administrator and Sales"
    );
}

#[test]
fn deleting_a_role_takes_its_grants_away() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let u = UserBuilder::new("dora")
        .permissions(&["partner.read"])
        .create(&app, &admin);
    let role_id = app.get(&format!("/api/v1/iam/users/{}", u.id), &admin).body["role_ids"][0]
        .as_str()
        .unwrap()
        .to_string();
    app.delete(&format!("/api/v1/iam/roles/{role_id}"), &admin)
        .expect(204);
    app.get(&format!("/api/v1/iam/roles/{role_id}"), &admin)
        .expect_problem(404, "not_found");
    app.get("/api/v1/partners", &u.token)
        .expect_problem(403, "forbidden");
}

#[test]
fn users_are_unique_and_validated() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let body = json!({"username": "Eve", "display_name": "Eve", "password": "long-enough-1", "email": "eve@example.com"});
    let created = app
        .post("/api/v1/iam/users", &admin, body.clone())
        .expect(201);
    assert_eq!(
        created.body["username"], "eve",
        "user names are stored lower-case"
    );
    assert!(created.body.get("password_hash").is_none() && created.body.get("password").is_none());
    app.post("/api/v1/iam/users", &admin, body)
        .expect_problem(409, "duplicate_username");
    let r = app
        .post(
            "/api/v1/iam/users",
            &admin,
            json!({"username": "ab", "display_name": "", "password": "short", "email": "nope", "role_ids": [uuid::Uuid::now_v7()]}),
        )
        .expect_problem(422, "validation_failed");
    let fields: Vec<_> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        fields,
        [
            "username",
            "display_name",
            "email",
            "password",
            "role_ids[0]"
        ]
    );
    let list = app.get("/api/v1/iam/users?q=EV", &admin).expect(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
}

#[test]
fn a_disabled_user_is_locked_out_at_once() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let u = UserBuilder::new("frank")
        .permissions(&["partner.read"])
        .create(&app, &admin);
    app.get("/api/v1/partners", &u.token).expect(200);
    let r = app
        .post(
            &format!("/api/v1/iam/users/{}/disable", u.id),
            &admin,
            json!({}),
        )
        .expect(200);
    assert_eq!(r.body["active"], false);
    app.get("/api/v1/partners", &u.token)
        .expect_problem(401, "unauthenticated");
    app.login_response("frank", &u.password)
        .expect_problem(401, "unauthenticated");
    app.post(
        &format!("/api/v1/iam/users/{}/enable", u.id),
        &admin,
        json!({}),
    )
    .expect(200);
    app.login("frank", &u.password);

    let me = app.get("/api/v1/auth/me", &admin).body["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        &format!("/api/v1/iam/users/{me}/disable"),
        &admin,
        json!({}),
    )
    .expect_problem(409, "cannot_disable_self");
}

#[test]
fn an_admin_password_reset_ends_the_users_sessions() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let u = UserBuilder::new("gina").create(&app, &admin);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    app.post(
        &format!("/api/v1/iam/users/{}/password", u.id),
        &admin,
        json!({"new_password": "reset-password-2"}),
    )
    .expect(200);
    app.get("/api/v1/auth/me", &u.token)
        .expect_problem(401, "unauthenticated");
    app.login("gina", "reset-password-2");
}

#[test]
fn branch_data_outside_the_users_branches_does_not_exist_for_them() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let berlin = app
        .post(
            "/api/v1/org/branches",
            &admin,
            json!({"code": "BER", "name": "Berlin"}),
        )
        .expect(201)
        .id();
    let munich = app
        .post(
            "/api/v1/org/branches",
            &admin,
            json!({"code": "MUC", "name": "Munich"}),
        )
        .expect(201)
        .id();
    let u = UserBuilder::new("hans")
        .permissions(&["org.branch.read"])
        .branches(&[&berlin])
        .create(&app, &admin);

    app.get(&format!("/api/v1/org/branches/{berlin}"), &u.token)
        .expect(200);
    app.get(&format!("/api/v1/org/branches/{munich}"), &u.token)
        .expect_problem(404, "not_found");
    let list = app.get("/api/v1/org/branches", &u.token).expect(200);
    let codes: Vec<_> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["code"].clone())
        .collect();
    assert_eq!(codes, [json!("BER")]);
    let all = app.get("/api/v1/org/branches", &admin).expect(200);
    assert_eq!(
        all.body["items"].as_array().unwrap().len(),
        3,
        "HQ, Berlin, Munich"
    );
}

#[test]
fn api_keys_act_as_their_owner_within_their_scopes_until_revoked() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let created = app
        .post(
            "/api/v1/iam/api-keys",
            &admin,
            json!({"name": "shop sync", "scopes": ["partner.read"]}),
        )
        .expect(201);
    let key = created.body["key"].as_str().unwrap().to_string();
    let key_id = created.id();
    assert!(key.starts_with("erpk_"));

    let with_header = Req {
        headers: vec![("X-API-Key".into(), key.clone())],
        ..Req::default()
    };
    app.send("GET", "/api/v1/partners", None, None, &with_header)
        .expect(200);
    app.get("/api/v1/partners", &key).expect(200);
    let me = app.get("/api/v1/auth/me", &key).expect(200);
    assert_eq!(me.body["authenticated_by"], "api_key");
    assert_eq!(me.body["permissions"], json!(["partner.read"]));
    // Outside its scopes, although its owner may.
    app.post("/api/v1/partners", &key, partner("By key", &[]))
        .expect_problem(403, "forbidden");

    let listed = app.get("/api/v1/iam/api-keys", &admin).expect(200);
    let first = &listed.body["items"][0];
    assert!(
        first.get("key").is_none() && first.get("key_hash").is_none(),
        "the secret is never listed"
    );
    assert!(first["last_used_at"].is_string());

    app.post(
        &format!("/api/v1/iam/api-keys/{key_id}/revoke"),
        &admin,
        json!({}),
    )
    .expect(200);
    app.get("/api/v1/partners", &key)
        .expect_problem(401, "unauthenticated");
    let tampered = format!("{}x", &key[..key.len() - 1]);
    app.get("/api/v1/partners", &tampered)
        .expect_problem(401, "unauthenticated");
    app.post(
        "/api/v1/iam/api-keys",
        &admin,
        json!({"name": "bad", "scopes": ["nope"]}),
    )
    .expect_problem(422, "validation_failed");
}

#[test]
fn an_api_key_stops_working_when_it_expires() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    app.post(
        "/api/v1/iam/api-keys",
        &admin,
        json!({"name": "late", "expires_at": past}),
    )
    .expect_problem(422, "validation_failed");
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let key = app
        .post(
            "/api/v1/iam/api-keys",
            &admin,
            json!({"name": "short-lived", "expires_at": soon}),
        )
        .expect(201);
    let key = key.body["key"].as_str().unwrap().to_string();
    app.get("/api/v1/auth/me", &key).expect(200);
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let r = app
        .get("/api/v1/auth/me", &key)
        .expect_problem(401, "unauthenticated");
    assert!(r.body["detail"].as_str().unwrap().contains("expired"));
}

/// Servers remember who a credential belongs to between requests; a change made through
/// another server on the same database still takes effect on the very next request.
#[test]
fn rights_changed_through_another_server_hold_on_the_next_request() {
    let a = TestApp::spawn();
    let b = a.another_on_same_database();
    let admin = a.admin_token();
    let berlin = a
        .post(
            "/api/v1/org/branches",
            &admin,
            json!({"code": "BER", "name": "Berlin"}),
        )
        .expect(201)
        .id();
    let u = UserBuilder::new("ida")
        .permissions(&["partner.read", "org.branch.read"])
        .branches(&[&berlin])
        .create(&a, &admin);
    let key = a
        .post(
            "/api/v1/iam/api-keys",
            &admin,
            json!({"name": "sync", "scopes": ["partner.read"]}),
        )
        .expect(201);
    let (key_id, key) = (key.id(), key.body["key"].as_str().unwrap().to_string());
    for _ in 0..3 {
        a.get("/api/v1/partners", &u.token).expect(200);
        a.get(&format!("/api/v1/org/branches/{berlin}"), &u.token)
            .expect(200);
        a.get("/api/v1/partners", &key).expect(200);
    }

    // A role loses a grant on server B: server A refuses at once.
    let role_id = a.get(&format!("/api/v1/iam/users/{}", u.id), &admin).body["role_ids"][0]
        .as_str()
        .unwrap()
        .to_string();
    let version = b.get(&format!("/api/v1/iam/roles/{role_id}"), &admin).body["version"]
        .as_i64()
        .unwrap();
    b.patch(
        &format!("/api/v1/iam/roles/{role_id}"),
        &admin,
        version,
        json!({"permissions": ["org.branch.read"]}),
    )
    .expect(200);
    a.get("/api/v1/partners", &u.token)
        .expect_problem(403, "forbidden");

    // The user is moved off their branch on B: A no longer shows it.
    let user = b.get(&format!("/api/v1/iam/users/{}", u.id), &admin);
    b.patch(
        &format!("/api/v1/iam/users/{}", u.id),
        &admin,
        user.body["version"].as_i64().unwrap(),
        json!({"branch_ids": []}),
    )
    .expect(200);
    a.get(&format!("/api/v1/org/branches/{berlin}"), &u.token)
        .expect_problem(404, "not_found");

    // A key revoked on B is refused by A.
    b.post(
        &format!("/api/v1/iam/api-keys/{key_id}/revoke"),
        &admin,
        json!({}),
    )
    .expect(200);
    a.get("/api/v1/partners", &key)
        .expect_problem(401, "unauthenticated");

    // Logging out on B ends the token on A.
    let session = a.login_response("ida", &u.password).expect(200);
    let access = session.body["access_token"].as_str().unwrap().to_string();
    a.get("/api/v1/auth/me", &access).expect(200);
    b.post(
        "/api/v1/auth/logout",
        &access,
        json!({"refresh_token": session.body["refresh_token"]}),
    )
    .expect(204);
    a.get("/api/v1/auth/me", &access)
        .expect_problem(401, "unauthenticated");

    // Disabled on B: locked out of A.
    a.get("/api/v1/auth/me", &u.token).expect(200);
    b.post(
        &format!("/api/v1/iam/users/{}/disable", u.id),
        &admin,
        json!({}),
    )
    .expect(200);
    a.get("/api/v1/auth/me", &u.token)
        .expect_problem(401, "unauthenticated");
}
