//! Fixture builders: each test states only what matters to it.

use serde_json::{json, Value};

use crate::TestApp;

/// A user to create through the API: `UserBuilder::new("anna").permissions(&["partner.read"])`.
pub struct UserBuilder {
    username: String,
    password: String,
    permissions: Vec<String>,
    branch_ids: Vec<String>,
    all_branches: bool,
}

/// A created user with a live token.
pub struct TestUser {
    pub id: String,
    pub username: String,
    pub password: String,
    pub token: String,
}

impl UserBuilder {
    pub fn new(username: &str) -> Self {
        UserBuilder {
            username: username.into(),
            password: "user-password-1".into(),
            permissions: Vec::new(),
            branch_ids: Vec::new(),
            all_branches: true,
        }
    }

    pub fn permissions(mut self, p: &[&str]) -> Self {
        self.permissions = p.iter().map(|s| s.to_string()).collect();
        self
    }

    pub fn branches(mut self, ids: &[&str]) -> Self {
        self.branch_ids = ids.iter().map(|s| s.to_string()).collect();
        self.all_branches = false;
        self
    }

    /// Creates a role with the permissions and the user holding it, and logs the user in.
    pub fn create(self, app: &TestApp, admin: &str) -> TestUser {
        let mut role_ids = Vec::new();
        if !self.permissions.is_empty() {
            let role = app
                .post(
                    "/api/v1/iam/roles",
                    admin,
                    json!({"name": format!("role of {}", self.username), "permissions": self.permissions}),
                )
                .expect(201);
            role_ids.push(role.id());
        }
        let user = app
            .post(
                "/api/v1/iam/users",
                admin,
                json!({
                    "username": self.username,
                    "display_name": self.username,
                    "password": self.password,
                    "role_ids": role_ids,
                    "branch_ids": self.branch_ids,
                    "all_branches": self.all_branches,
                }),
            )
            .expect(201);
        let token = app.login(&self.username, &self.password);
        TestUser {
            id: user.id(),
            username: self.username,
            password: self.password,
            token,
        }
    }
}

/// A partner body with the given name and roles.
pub fn partner(name: &str, roles: &[&str]) -> Value {
    json!({"kind": "organisation", "name": name, "roles": roles})
}
