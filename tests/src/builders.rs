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

/// A warehouse with its special locations, in the head-office branch (or the branch given).
pub struct Stockroom {
    pub warehouse: String,
    pub stock: String,
    pub receiving: String,
    pub scrap: String,
    pub transit: String,
}

impl Stockroom {
    pub fn create(app: &TestApp, admin: &str, code: &str) -> Stockroom {
        let branch = app.get("/api/v1/org/branches", admin).expect(200).body["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        Self::create_in(app, admin, code, &branch, false)
    }

    pub fn create_in(
        app: &TestApp,
        admin: &str,
        code: &str,
        branch: &str,
        allow_negative: bool,
    ) -> Stockroom {
        let w = app
            .post(
                "/api/v1/inventory/warehouses",
                admin,
                json!({"code": code, "name": format!("Warehouse {code}"), "branch_id": branch, "allow_negative": allow_negative}),
            )
            .expect(201);
        let loc = |c: &str| {
            w.body["locations"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["code"] == c)
                .unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        };
        Stockroom {
            warehouse: w.id(),
            stock: loc("STOCK"),
            receiving: loc("RECEIVING"),
            scrap: loc("SCRAP"),
            transit: loc("TRANSIT"),
        }
    }
}

/// The id of unit `code`, created on first use.
pub fn uom(app: &TestApp, admin: &str, code: &str) -> String {
    let list = app.get("/api/v1/inventory/uoms", admin).expect(200);
    if let Some(u) = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == code)
    {
        return u["id"].as_str().unwrap().to_string();
    }
    app.post(
        "/api/v1/inventory/uoms",
        admin,
        json!({"code": code, "name": code}),
    )
    .expect(201)
    .id()
}

/// Creates an item counted in `ea`; `extra` fields override the defaults.
pub fn item(app: &TestApp, admin: &str, sku: &str, extra: Value) -> String {
    let mut body =
        json!({"sku": sku, "name": format!("Item {sku}"), "base_uom_id": uom(app, admin, "ea")});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    app.post("/api/v1/inventory/items", admin, body)
        .expect(201)
        .id()
}

/// Posts a move and asserts it was accepted.
pub fn post_move(app: &TestApp, token: &str, body: Value) -> Value {
    app.post("/api/v1/inventory/stock-moves", token, body)
        .expect(201)
        .body
}

/// Receives `qty` of `item` into `location` at `unit_cost`.
pub fn receive(
    app: &TestApp,
    token: &str,
    item: &str,
    location: &str,
    qty: &str,
    unit_cost: &str,
) -> Value {
    post_move(
        app,
        token,
        json!({"move_type": "receipt", "item_id": item, "to_location_id": location, "quantity": qty, "unit_cost": unit_cost}),
    )
}

/// On hand of an item in a location (and lot), as the API reports it.
pub fn on_hand(app: &TestApp, token: &str, item: &str, location: &str) -> Value {
    let r = app
        .get(
            &format!(
                "/api/v1/inventory/stock?item_id={item}&location_id={location}&include_zero=true"
            ),
            token,
        )
        .expect(200);
    r.body["items"].get(0).cloned().unwrap_or(Value::Null)
}

/// PUT with a JSON body.
pub fn put(app: &TestApp, path: &str, token: &str, body: Value) -> crate::Resp {
    app.send(
        "PUT",
        path,
        Some(token),
        Some(&body),
        &crate::Req::default(),
    )
}

/// Starts a planning run and waits for its end; returns the finished run.
pub fn mrp_run(app: &TestApp, token: &str, body: Value) -> Value {
    let started = app.post("/api/v1/mrp/runs", token, body).expect(202);
    assert_eq!(started.body["status"], "running");
    let location = started
        .header("location")
        .expect("a started run names where to follow it")
        .to_string();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(600) {
        let r = app.get(&location, token).expect(200);
        if r.body["status"] != "running" {
            return r.body;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the planning run did not finish");
}

/// A sales manager: their own customers, deals, tasks and the customers' contact data.
pub fn crm_manager(app: &TestApp, admin: &str, name: &str) -> TestUser {
    UserBuilder::new(name)
        .permissions(&[
            "crm.customer.read",
            "crm.customer.write",
            "crm.deal.write",
            "crm.task.write",
            "crm.personal_data.read",
        ])
        .create(app, admin)
}

/// A manager who also sells: deals, quotes and sales orders of their customers, reading items.
pub fn crm_seller(app: &TestApp, admin: &str, name: &str) -> TestUser {
    UserBuilder::new(name)
        .permissions(&[
            "crm.customer.read",
            "crm.customer.write",
            "crm.deal.write",
            "crm.order.write",
            "crm.personal_data.read",
            "inventory.item.read",
        ])
        .create(app, admin)
}

/// A webhook subscription to `events` whose receiver nobody listens on, so the events wait in
/// its outbox where [`outbox_len`] counts them. Returns the subscription's id.
pub fn unheard_webhook(app: &TestApp, admin: &str, events: &[&str]) -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("its address")
        .port();
    app.post(
        "/api/v1/crm/webhooks",
        admin,
        json!({"url": format!("http://127.0.0.1:{port}/hook"), "event_types": events}),
    )
    .expect(201)
    .id()
}

/// How many events a webhook subscription holds (delivered or not).
pub fn outbox_len(app: &TestApp, admin: &str, hook: &str) -> usize {
    app.get(&format!("/api/v1/crm/webhooks/{hook}/deliveries"), admin)
        .expect(200)
        .body["items"]
        .as_array()
        .map_or(0, Vec::len)
}

/// Checks a list's or report's id filter: naming `real` it filters (200); naming a record
/// that does not exist it is 404 `not_found` naming `entity`, never an empty answer.
/// `path` may carry the operation's required parameters already.
pub fn check_id_filter(
    app: &TestApp,
    token: &str,
    path: &str,
    param: &str,
    real: Option<&str>,
    entity: &str,
) {
    let join = if path.contains('?') { '&' } else { '?' };
    if let Some(real) = real {
        app.get(&format!("{path}{join}{param}={real}"), token)
            .expect(200);
    }
    let nothing = uuid::Uuid::now_v7();
    let r = app
        .get(&format!("{path}{join}{param}={nothing}"), token)
        .expect_problem(404, "not_found");
    assert!(
        r.body["detail"].as_str().unwrap_or("").starts_with(entity),
        "{path} {param}: {}",
        r.text
    );
}
