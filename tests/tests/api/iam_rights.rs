//! Nobody hands out more than they hold: the rights matrix of user management, roles and API
//! keys, built-in roles and the last administrator.

use erp_tests::{Resp, TestApp};
use serde_json::{json, Value};

struct World {
    app: TestApp,
    admin: String,
    hq: String,
    b2: String,
    administrator_role: String,
    clerk_role: String,
    writer_role: String,
    manager_role: String,
}

fn world() -> World {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let hq = app.get("/api/v1/org/branches", &admin).expect(200).body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b2 = app
        .post(
            "/api/v1/org/branches",
            &admin,
            json!({"code": "B2", "name": "Second city"}),
        )
        .expect(201)
        .id();
    let roles = app.get("/api/v1/iam/roles", &admin).expect(200);
    let administrator_role = roles.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Administrator")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let role = |name: &str, perms: &[&str]| {
        app.post(
            "/api/v1/iam/roles",
            &admin,
            json!({"name": name, "permissions": perms}),
        )
        .expect(201)
        .id()
    };
    let clerk_role = role("Clerk", &["partner.read"]);
    let writer_role = role("Writer", &["partner.read", "partner.write"]);
    let manager_role = role(
        "User manager",
        &[
            "iam.user.read",
            "iam.user.write",
            "iam.role.read",
            "iam.api_key.write",
        ],
    );
    World {
        app,
        admin,
        hq,
        b2,
        administrator_role,
        clerk_role,
        writer_role,
        manager_role,
    }
}

/// A user made by the administrator: roles, and branches (None: all branches).
fn make_user(w: &World, name: &str, roles: &[&str], branches: Option<&[&str]>) -> Resp {
    w.app
        .post(
            "/api/v1/iam/users",
            &w.admin,
            json!({
                "username": name, "display_name": name, "password": "user-password-1",
                "role_ids": roles, "branch_ids": branches.unwrap_or(&[]),
                "all_branches": branches.is_none(),
            }),
        )
        .expect(201)
}

/// A user's shape in the matrix: name, roles, and branches (None: all branches).
type Shape = (&'static str, Vec<String>, Option<Vec<String>>);

fn shapes(w: &World) -> Vec<Shape> {
    vec![
        (
            "clerk_hq",
            vec![w.clerk_role.clone()],
            Some(vec![w.hq.clone()]),
        ),
        (
            "clerk_b2",
            vec![w.clerk_role.clone()],
            Some(vec![w.b2.clone()]),
        ),
        (
            "writer_hq",
            vec![w.writer_role.clone()],
            Some(vec![w.hq.clone()]),
        ),
        ("admin_all", vec![w.administrator_role.clone()], None),
    ]
}

fn refused(r: Resp, code: &str) {
    r.expect_problem(403, code);
}

#[test]
fn user_managers_act_only_on_users_within_their_own_rights_and_branches() {
    let w = world();
    let app = &w.app;
    // Two user managers: one limited to HQ with the clerk's rights, one on all branches
    // who also writes partners.
    let mgr_hq = make_user(
        &w,
        "mgr_hq",
        &[&w.manager_role, &w.clerk_role],
        Some(&[&w.hq]),
    );
    let mgr_all = make_user(&w, "mgr_all", &[&w.manager_role, &w.writer_role], None);
    let actors = [
        (
            "mgr_hq",
            mgr_hq.id(),
            app.login("mgr_hq", "user-password-1"),
        ),
        (
            "mgr_all",
            mgr_all.id(),
            app.login("mgr_all", "user-password-1"),
        ),
    ];
    // Which target shapes each actor reaches.
    let reaches = |actor: &str, shape: &str| match (actor, shape) {
        (_, "admin_all") => false,
        ("mgr_hq", "clerk_hq") => true,
        ("mgr_hq", _) => false,
        ("mgr_all", _) => true,
        _ => unreachable!(),
    };
    let mut n = 0;
    for (actor, _, token) in &actors {
        for (shape, roles, branches) in shapes(&w) {
            let allowed = reaches(actor, shape);
            let expect = |r: Resp, what: &str, code: &str| {
                if allowed {
                    assert!(r.status < 300, "{actor} {what} {shape}: {}", r.text);
                } else {
                    assert_eq!(r.status, 403, "{actor} {what} {shape}: {}", r.text);
                    assert_eq!(r.body["code"], code, "{actor} {what} {shape}");
                }
            };
            let roles: Vec<&str> = roles.iter().map(String::as_str).collect();
            let branches: Option<Vec<&str>> = branches
                .as_ref()
                .map(|b| b.iter().map(String::as_str).collect());
            // Create a user of this shape.
            n += 1;
            let r = app.post(
                "/api/v1/iam/users",
                token,
                json!({
                    "username": format!("new{n}"), "display_name": "New", "password": "user-password-1",
                    "role_ids": roles, "branch_ids": branches.clone().unwrap_or_default(),
                    "all_branches": branches.is_none(),
                }),
            );
            expect(r, "create", "exceeds_own_rights");
            // Change the roles, the branches, the password and the state of one.
            let mut target = |label: &str| {
                n += 1;
                make_user(&w, &format!("{label}{n}"), &roles, branches.as_deref())
            };
            let t = target("roles");
            let r = app.patch(
                &format!("/api/v1/iam/users/{}", t.id()),
                token,
                1,
                json!({"role_ids": [w.clerk_role]}),
            );
            expect(r, "change roles of", "target_exceeds_own_rights");
            let t = target("branches");
            let r = app.patch(
                &format!("/api/v1/iam/users/{}", t.id()),
                token,
                1,
                json!({"branch_ids": [w.hq], "all_branches": false}),
            );
            expect(r, "change branches of", "target_exceeds_own_rights");
            let t = target("password");
            let r = app.post(
                &format!("/api/v1/iam/users/{}/password", t.id()),
                token,
                json!({"new_password": "taken-over-123"}),
            );
            expect(r, "reset the password of", "target_exceeds_own_rights");
            let t = target("disable");
            let r = app.post(
                &format!("/api/v1/iam/users/{}/disable", t.id()),
                token,
                json!({}),
            );
            expect(r, "disable", "target_exceeds_own_rights");
        }
    }
    // A refused reset changed nothing: the administrator still logs in.
    app.admin_token();
}

#[test]
fn nobody_grants_what_they_do_not_hold_nor_changes_their_own_rights() {
    let w = world();
    let app = &w.app;
    let mgr = make_user(&w, "mgr", &[&w.manager_role, &w.clerk_role], Some(&[&w.hq]));
    let token = app.login("mgr", "user-password-1");
    let clerk = make_user(&w, "clerk", &[&w.clerk_role], Some(&[&w.hq]));
    let users = |id: &str| format!("/api/v1/iam/users/{id}");

    // The reported take-over, step by step: each is refused and nothing changes.
    refused(
        app.patch(
            &users(&mgr.id()),
            &token,
            1,
            json!({"role_ids": [w.administrator_role]}),
        ),
        "cannot_change_own_rights",
    );
    refused(
        app.patch(&users(&mgr.id()), &token, 1, json!({"all_branches": true})),
        "cannot_change_own_rights",
    );
    refused(
        app.patch(
            &users(&mgr.id()),
            &token,
            1,
            json!({"branch_ids": [w.hq, w.b2]}),
        ),
        "cannot_change_own_rights",
    );
    refused(
        app.patch(
            &users(&clerk.id()),
            &token,
            1,
            json!({"role_ids": [w.administrator_role]}),
        ),
        "exceeds_own_rights",
    );
    refused(
        app.patch(
            &users(&clerk.id()),
            &token,
            1,
            json!({"branch_ids": [w.b2]}),
        ),
        "exceeds_own_rights",
    );
    refused(
        app.patch(
            &users(&clerk.id()),
            &token,
            1,
            json!({"all_branches": true}),
        ),
        "exceeds_own_rights",
    );
    let me = app.get(&users(&mgr.id()), &token).expect(200);
    assert_eq!(me.body["version"], 1);
    assert_eq!(me.body["all_branches"], false);
    // Their own password only with the current one, never through the reset route.
    refused(
        app.post(
            &format!("{}/password", users(&mgr.id())),
            &token,
            json!({"new_password": "no-current-needed"}),
        ),
        "own_password_needs_current",
    );
    // Within their own rights all of it works: display name of their own, roles and
    // branches of another.
    app.patch(
        &users(&mgr.id()),
        &token,
        1,
        json!({"display_name": "Manager"}),
    )
    .expect(200);
    app.patch(
        &users(&clerk.id()),
        &token,
        1,
        json!({"role_ids": [], "branch_ids": [w.hq]}),
    )
    .expect(200);

    // API keys: scopes within the creator's rights, owners within their reach.
    let keys = "/api/v1/iam/api-keys";
    refused(
        app.post(keys, &token, json!({"name": "all", "scopes": ["*"]})),
        "exceeds_own_rights",
    );
    refused(
        app.post(
            keys,
            &token,
            json!({"name": "w", "scopes": ["partner.write"]}),
        ),
        "exceeds_own_rights",
    );
    app.post(
        keys,
        &token,
        json!({"name": "r", "scopes": ["partner.read"]}),
    )
    .expect(201);
    let admin_id = app.get("/api/v1/auth/me", &w.admin).expect(200).body["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    refused(
        app.post(
            keys,
            &token,
            json!({"name": "as admin", "user_id": admin_id}),
        ),
        "target_exceeds_own_rights",
    );
    let admin_key = app
        .post(keys, &w.admin, json!({"name": "admin's"}))
        .expect(201);
    let admin_key_id = admin_key.body["id"].as_str().unwrap().to_string();
    refused(
        app.post(&format!("{keys}/{admin_key_id}/revoke"), &token, json!({})),
        "target_exceeds_own_rights",
    );
}

#[test]
fn role_editors_cannot_add_permissions_they_lack() {
    let w = world();
    let app = &w.app;
    let editor_role = app
        .post(
            "/api/v1/iam/roles",
            &w.admin,
            json!({"name": "Role editor", "permissions": ["iam.role.read", "iam.role.write", "partner.read"]}),
        )
        .expect(201)
        .id();
    make_user(&w, "editor", &[&editor_role], None);
    let token = app.login("editor", "user-password-1");
    refused(
        app.post(
            "/api/v1/iam/roles",
            &token,
            json!({"name": "More", "permissions": ["partner.write"]}),
        ),
        "exceeds_own_rights",
    );
    refused(
        app.post(
            "/api/v1/iam/roles",
            &token,
            json!({"name": "All", "permissions": ["*"]}),
        ),
        "exceeds_own_rights",
    );
    app.post(
        "/api/v1/iam/roles",
        &token,
        json!({"name": "Readers", "permissions": ["partner.read"]}),
    )
    .expect(201);
    // Adding to a role they could otherwise edit, or editing one that holds more than they do.
    refused(
        app.patch(
            &format!("/api/v1/iam/roles/{}", w.clerk_role),
            &token,
            1,
            json!({"permissions": ["partner.read", "partner.write"]}),
        ),
        "exceeds_own_rights",
    );
    refused(
        app.patch(
            &format!("/api/v1/iam/roles/{}", w.writer_role),
            &token,
            1,
            json!({"permissions": ["partner.read"]}),
        ),
        "exceeds_own_rights",
    );
    refused(
        app.delete(&format!("/api/v1/iam/roles/{}", w.writer_role), &token),
        "exceeds_own_rights",
    );
    let clerk = app
        .get(&format!("/api/v1/iam/roles/{}", w.clerk_role), &w.admin)
        .expect(200);
    assert_eq!(clerk.body["permissions"], json!(["partner.read"]));
}

#[test]
fn built_in_roles_and_the_last_administrator_stay() {
    let w = world();
    let app = &w.app;
    let admin_role = format!("/api/v1/iam/roles/{}", w.administrator_role);
    let role = app.get(&admin_role, &w.admin).expect(200);
    assert_eq!(role.body["builtin"], true);
    // The fuzzer's two-minute lock-out: deleting the Administrator role.
    app.delete(&admin_role, &w.admin)
        .expect_problem(409, "builtin_role");
    app.patch(
        &admin_role,
        &w.admin,
        1,
        json!({"permissions": ["partner.read"]}),
    )
    .expect_problem(409, "builtin_role");
    app.get("/api/v1/iam/users", &w.admin).expect(200);

    // A second administrator through a role of its own, then the first loses hers.
    let everything = app
        .post(
            "/api/v1/iam/roles",
            &w.admin,
            json!({"name": "Everything", "permissions": ["*"]}),
        )
        .expect(201)
        .id();
    let second = make_user(&w, "second", &[&everything], None);
    let token = app.login("second", "user-password-1");
    let admin_id = app.get("/api/v1/auth/me", &w.admin).expect(200).body["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    app.patch(
        &format!("/api/v1/iam/users/{admin_id}"),
        &token,
        1,
        json!({"role_ids": []}),
    )
    .expect(200);
    // Now `second` is the last administrator: stripping or deleting their role would leave
    // the company without one.
    let everything_path = format!("/api/v1/iam/roles/{everything}");
    app.patch(
        &everything_path,
        &token,
        1,
        json!({"permissions": ["partner.read"]}),
    )
    .expect_problem(409, "last_administrator");
    app.delete(&everything_path, &token)
        .expect_problem(409, "last_administrator");
    app.patch(
        &format!("/api/v1/iam/users/{}", second.id()),
        &token,
        1,
        json!({"all_branches": false}),
    )
    .expect_problem(403, "cannot_change_own_rights");
    app.post(
        &format!("/api/v1/iam/users/{}/disable", second.id()),
        &token,
        json!({}),
    )
    .expect_problem(409, "cannot_disable_self");
    // And they still hold everything.
    let me = app.get("/api/v1/auth/me", &token).expect(200);
    let everything_there_is = app
        .get(
            &format!("/api/v1/iam/users/{}/permissions", second.id()),
            &token,
        )
        .expect(200);
    assert_eq!(everything_there_is.body["grants"], json!(["*"]));
    assert_eq!(
        me.body["permissions"],
        everything_there_is.body["permissions"]
    );
    assert_eq!(me.body["all_branches"], true);
    // Giving the Administrator role back makes two again; then the role may go.
    app.patch(
        &format!("/api/v1/iam/users/{admin_id}"),
        &token,
        2,
        json!({"role_ids": [w.administrator_role]}),
    )
    .expect(200);
    app.delete(&everything_path, &w.admin).expect(204);
}

/// The take-over reported: a branch-limited user manager ends with no more than they had.
#[test]
fn a_branch_limited_manager_cannot_reach_the_other_branch() {
    let w = world();
    let app = &w.app;
    let stock_reader = app
        .post(
            "/api/v1/iam/roles",
            &w.admin,
            json!({"name": "Stock reader", "permissions": ["inventory.*"]}),
        )
        .expect(201)
        .id();
    app.post(
        "/api/v1/inventory/warehouses",
        &w.admin,
        json!({"code": "W2", "name": "Other city", "branch_id": w.b2}),
    )
    .expect(201);
    make_user(&w, "mgr", &[&w.manager_role, &stock_reader], Some(&[&w.hq]));
    let token = app.login("mgr", "user-password-1");
    let r = app.post(
        "/api/v1/iam/users",
        &token,
        json!({"username": "sock", "display_name": "S", "password": "user-password-1",
               "role_ids": [stock_reader], "all_branches": true}),
    );
    refused(r, "exceeds_own_rights");
    let warehouses: Value = app
        .get("/api/v1/inventory/warehouses", &token)
        .expect(200)
        .body;
    assert!(warehouses["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|wh| wh["code"] != "W2"));
}
