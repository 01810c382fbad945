//! Login, refresh, logout, token validation.

use erp_tests::builders::UserBuilder;
use erp_tests::{Req, TestApp, ADMIN_PASSWORD, JWT_SECRET};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;

/// A token signed as the tests choose, in the login session `sid`.
fn token_with(secret: &str, alg: Algorithm, sub: &str, sid: &str, exp_offset: i64) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": sub, "cid": "x", "iat": now, "exp": now + exp_offset, "typ": "access", "sid": sid});
    encode(
        &Header::new(alg),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[test]
fn login_returns_tokens_that_open_the_api() {
    let app = TestApp::spawn();
    let r = app.login_response("admin", ADMIN_PASSWORD).expect(200);
    assert_eq!(r.body["token_type"], "Bearer");
    assert!(r.body["expires_in"].as_i64().unwrap() > 0);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let token = r.body["access_token"].as_str().unwrap();
    let me = app.get("/api/v1/auth/me", token).expect(200);
    assert_eq!(me.body["username"], "admin");
    assert!(me.body["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "iam.user.write"));
}

#[test]
fn wrong_password_and_unknown_user_get_the_same_401() {
    let app = TestApp::spawn();
    let a = app
        .login_response("admin", "wrong-password")
        .expect_problem(401, "unauthenticated");
    let b = app
        .login_response("nobody", "wrong-password")
        .expect_problem(401, "unauthenticated");
    assert_eq!(a.body["detail"], b.body["detail"]);
    // User names are case-insensitive.
    app.login_response("ADMIN", ADMIN_PASSWORD).expect(200);
}

#[test]
fn refresh_rotates_and_a_reused_refresh_token_ends_all_sessions() {
    let app = TestApp::spawn();
    let first = app.login_response("admin", ADMIN_PASSWORD).expect(200);
    let other_session = app.login_response("admin", ADMIN_PASSWORD).expect(200);
    let r1 = first.body["refresh_token"].as_str().unwrap().to_string();
    let refresh = |t: &str| {
        app.send(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(&json!({"refresh_token": t})),
            &Req::default(),
        )
    };

    let second = refresh(&r1).expect(200);
    let r2 = second.body["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(r1, r2);
    app.get(
        "/api/v1/auth/me",
        second.body["access_token"].as_str().unwrap(),
    )
    .expect(200);

    // r1 was used: presenting it again is treated as theft.
    refresh(&r1).expect_problem(401, "unauthenticated");
    refresh(&r2).expect_problem(401, "unauthenticated");
    refresh(other_session.body["refresh_token"].as_str().unwrap())
        .expect_problem(401, "unauthenticated");
    refresh("made-up").expect_problem(401, "unauthenticated");
}

#[test]
fn logout_revokes_the_refresh_token() {
    let app = TestApp::spawn();
    let s = app.login_response("admin", ADMIN_PASSWORD).expect(200);
    let access = s.body["access_token"].as_str().unwrap();
    let refresh_token = s.body["refresh_token"].as_str().unwrap();
    app.post(
        "/api/v1/auth/logout",
        access,
        json!({"refresh_token": refresh_token}),
    )
    .expect(204);
    app.send(
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": refresh_token})),
        &Req::default(),
    )
    .expect_problem(401, "unauthenticated");
}

#[test]
fn expired_forged_and_unsigned_tokens_are_refused() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let me = app.get("/api/v1/auth/me", &admin).expect(200);
    let sub = me.body["user_id"].as_str().unwrap();
    let sid = &erp_tests::claims_of(&admin)["sid"]
        .as_str()
        .unwrap()
        .to_string();

    // Sanity: a token made with the right secret works, so the refusals below are about the flaw.
    app.get(
        "/api/v1/auth/me",
        &token_with(JWT_SECRET, Algorithm::HS256, sub, sid, 300),
    )
    .expect(200);

    let expired = token_with(JWT_SECRET, Algorithm::HS256, sub, sid, -120);
    let r = app
        .get("/api/v1/auth/me", &expired)
        .expect_problem(401, "unauthenticated");
    assert!(r.body["detail"].as_str().unwrap().contains("expired"));
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));

    let forged = token_with(
        "another-secret-that-is-long-enough-000",
        Algorithm::HS256,
        sub,
        sid,
        300,
    );
    app.get("/api/v1/auth/me", &forged)
        .expect_problem(401, "unauthenticated");

    // Signed with the right secret, but naming someone who is not a user: not an id at all,
    // or an id of nobody.
    for stranger in ["admin", "1 OR 1=1", "00000000-0000-0000-0000-000000000000"] {
        let t = token_with(JWT_SECRET, Algorithm::HS256, stranger, sid, 300);
        app.get("/api/v1/auth/me", &t)
            .expect_problem(401, "unauthenticated");
    }

    let hs512 = token_with(JWT_SECRET, Algorithm::HS512, sub, sid, 300);
    app.get("/api/v1/auth/me", &hs512)
        .expect_problem(401, "unauthenticated");

    // alg: none, no signature.
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let now = chrono::Utc::now().timestamp();
    let unsigned = format!(
        "{}.{}.",
        b64.encode(r#"{"alg":"none","typ":"JWT"}"#),
        b64.encode(
            json!({"sub": sub, "cid": "x", "iat": now, "exp": now + 300, "typ": "access"})
                .to_string()
        )
    );
    app.get("/api/v1/auth/me", &unsigned)
        .expect_problem(401, "unauthenticated");

    for garbage in ["", "abc", "a.b.c", "Bearer"] {
        app.get("/api/v1/auth/me", garbage)
            .expect_problem(401, "unauthenticated");
    }
    let basic = Req {
        headers: vec![("Authorization".into(), "Basic YWRtaW46eA==".into())],
        ..Req::default()
    };
    app.send("GET", "/api/v1/auth/me", None, None, &basic)
        .expect_problem(401, "unauthenticated");
}

#[test]
fn changing_the_password_ends_sessions_and_needs_the_current_one() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let user = UserBuilder::new("carol").create(&app, &admin);
    app.post(
        "/api/v1/auth/password",
        &user.token,
        json!({"current_password": "wrong-one", "new_password": "new-password-9"}),
    )
    .expect_problem(422, "validation_failed");
    app.post(
        "/api/v1/auth/password",
        &user.token,
        json!({"current_password": user.password, "new_password": "short"}),
    )
    .expect_problem(422, "validation_failed");
    // Tokens carry whole seconds: wait into the next one so "issued before the change" is visible.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    app.post(
        "/api/v1/auth/password",
        &user.token,
        json!({"current_password": user.password, "new_password": "new-password-9"}),
    )
    .expect(204);
    app.get("/api/v1/auth/me", &user.token)
        .expect_problem(401, "unauthenticated");
    app.login_response("carol", &user.password)
        .expect_problem(401, "unauthenticated");
    app.login("carol", "new-password-9");
}
