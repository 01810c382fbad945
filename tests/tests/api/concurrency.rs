//! Many clients at once: no lock errors, no lost writes.

use std::sync::Arc;

use erp_tests::builders::partner;
use erp_tests::TestApp;
use serde_json::json;

const CLIENTS: usize = 32;

#[test]
fn dozens_of_parallel_logins_and_writes_all_succeed() {
    let app = Arc::new(TestApp::spawn());
    let admin = app.admin_token();
    let threads: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let app = app.clone();
            let admin = admin.clone();
            std::thread::spawn(move || {
                let token = app.login("admin", erp_tests::ADMIN_PASSWORD);
                let mut statuses = Vec::new();
                for j in 0..5 {
                    let r = app.post(
                        "/api/v1/partners",
                        &token,
                        partner(&format!("C{i}-{j}"), &["customer"]),
                    );
                    statuses.push(r.status);
                }
                statuses.push(
                    app.post(
                        "/api/v1/iam/roles",
                        &admin,
                        json!({"name": format!("role {i}")}),
                    )
                    .status,
                );
                statuses
            })
        })
        .collect();
    for t in threads {
        let statuses = t.join().expect("client thread");
        assert!(
            statuses.iter().all(|s| *s == 201),
            "every write succeeded: {statuses:?}"
        );
    }
    let mut count = 0;
    let mut path = "/api/v1/partners?limit=500".to_string();
    loop {
        let page = app.get(&path, &admin).expect(200);
        count += page.body["items"].as_array().unwrap().len();
        match page.body["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/partners?limit=500&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(count, CLIENTS * 5);
    let audit = app
        .get(
            "/api/v1/audit/events?entity_type=partner&action=create&limit=500",
            &admin,
        )
        .expect(200);
    assert_eq!(
        audit.body["items"].as_array().unwrap().len(),
        CLIENTS * 5,
        "one audit event per write"
    );
}

#[test]
fn concurrent_updates_of_one_record_never_lose_a_write() {
    let app = Arc::new(TestApp::spawn());
    let admin = app.admin_token();
    let id = app
        .post("/api/v1/partners", &admin, partner("Contended", &[]))
        .expect(201)
        .id();
    let path = format!("/api/v1/partners/{id}");
    // Every client reads version 1 and tries to write it: exactly one may win.
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let (app, admin, path) = (app.clone(), admin.clone(), path.clone());
            std::thread::spawn(move || {
                app.patch(&path, &admin, 1, json!({"notes": format!("writer {i}")}))
                    .status
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 412).count(),
        15,
        "{statuses:?}"
    );
    assert_eq!(app.get(&path, &admin).body["version"], 2);
}

#[test]
fn two_server_processes_share_one_database() {
    let a = TestApp::spawn();
    let b = a.another_on_same_database();
    let token = a.admin_token();
    // A token from one process works on the other: they share the signing secret and the data.
    let id = b
        .post("/api/v1/partners", &token, partner("Shared", &[]))
        .expect(201)
        .id();
    a.get(&format!("/api/v1/partners/{id}"), &token).expect(200);
    let refresh = a.login_response("admin", erp_tests::ADMIN_PASSWORD).body["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    b.send(
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": refresh})),
        &Default::default(),
    )
    .expect(200);
}
