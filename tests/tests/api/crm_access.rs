//! The access-rights matrix: who may read and write what on one customer's card, history,
//! deals, orders and personal data. Owner, another manager, the owner's team lead, the head
//! of sales (`crm.all`), the data operator and a user without CRM rights, each asked the same
//! questions; the answers are the table below.

use erp_tests::builders::{crm_seller, TestUser, UserBuilder};
use erp_tests::TestApp;
use serde_json::json;

/// Who asks: (name, permissions). The owner and the other manager are sellers.
fn users(app: &TestApp, admin: &str) -> Vec<(&'static str, TestUser)> {
    let make =
        |name: &str, perms: &[&str]| UserBuilder::new(name).permissions(perms).create(app, admin);
    let owner = crm_seller(app, admin, "owner");
    let other = crm_seller(app, admin, "other");
    let lead = make(
        "lead",
        &[
            "crm.customer.read",
            "crm.customer.write",
            "crm.deal.write",
            "crm.order.write",
            "inventory.item.read",
        ],
    );
    app.post(
        "/api/v1/crm/teams",
        admin,
        json!({"name": "Team", "lead_id": lead.id, "member_ids": [owner.id]}),
    )
    .expect(201);
    let head = make(
        "head",
        &[
            "crm.customer.read",
            "crm.customer.write",
            "crm.deal.write",
            "crm.all",
        ],
    );
    let operator = make(
        "operator",
        &[
            "crm.customer.read",
            "crm.personal_data.read",
            "crm.personal_data.write",
        ],
    );
    let outsider = make("outsider", &["inventory.item.read"]);
    vec![
        ("owner", owner),
        ("other", other),
        ("lead", lead),
        ("head", head),
        ("operator", operator),
        ("outsider", outsider),
    ]
}

#[test]
fn who_may_read_and_write_what_on_a_customer() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let who = users(&app, &admin);
    let owner = &who[0].1;
    let card = app
        .post(
            "/api/v1/crm/customers",
            &owner.token,
            json!({"partner": {"kind": "organisation", "name": "Nord", "phones": [{"value": "+49 30 1234567"}]},
                   "contacts": [{"name": "Eve", "phone": "+49 170 1111111"}]}),
        )
        .expect(201)
        .body;
    let c = card["id"].as_str().unwrap().to_string();
    let version = |path: &str| -> i64 {
        let body = app.get(path, &admin).expect(200).body;
        body["version"].as_i64().unwrap_or(1)
    };
    let partner_version = || -> i64 {
        app.get(&format!("/api/v1/crm/customers/{c}"), &admin)
            .expect(200)
            .body["partner"]["version"]
            .as_i64()
            .unwrap()
    };
    // (action, expected status for owner, other, lead, head, operator, outsider)
    type Check<'a> = (&'a str, [u16; 6], Box<dyn Fn(&TestUser) -> u16 + 'a>);
    let card_path = format!("/api/v1/crm/customers/{c}");
    let checks: Vec<Check> = vec![
        (
            "read the card",
            [200, 404, 200, 200, 200, 403],
            Box::new(|u| app.get(&card_path, &u.token).status),
        ),
        (
            "read the timeline",
            [200, 404, 200, 200, 200, 403],
            Box::new(|u| app.get(&format!("{card_path}/timeline"), &u.token).status),
        ),
        (
            "change the card",
            [200, 404, 200, 200, 403, 403],
            Box::new(|u| {
                app.patch(
                    &card_path,
                    &u.token,
                    version(&card_path),
                    json!({"tags": [u.username.clone()]}),
                )
                .status
            }),
        ),
        (
            "log a note",
            [201, 404, 201, 201, 403, 403],
            Box::new(|u| {
                app.post(
                    &format!("{card_path}/interactions"),
                    &u.token,
                    json!({"kind": "note", "body": "spoke briefly"}),
                )
                .status
            }),
        ),
        (
            "open a deal",
            [201, 422, 201, 201, 403, 403],
            Box::new(|u| {
                app.post(
                    "/api/v1/crm/deals",
                    &u.token,
                    json!({"customer_id": c, "title": "more", "value": "10.00"}),
                )
                .status
            }),
        ),
        (
            "change names and phones",
            [403, 403, 403, 403, 200, 403],
            Box::new(|u| {
                app.patch(
                    &format!("{card_path}/personal-data"),
                    &u.token,
                    partner_version(),
                    json!({"phones": [{"value": "+49 30 7654321"}]}),
                )
                .status
            }),
        ),
    ];
    let mut wrong = Vec::new();
    for (action, expected, ask) in &checks {
        for ((role, user), want) in who.iter().zip(expected) {
            let got = ask(user);
            if got != *want {
                wrong.push(format!("{role} / {action}: {got}, expected {want}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Field level: phones only with crm.personal_data.read (the head of sales has not).
    let seen = |u: &TestUser| app.get(&card_path, &u.token).expect(200).body;
    assert_eq!(seen(&who[0].1)["contacts"][0]["phone"], "+49 170 1111111");
    assert!(seen(&who[3].1)["contacts"][0]["phone"].is_null());
    assert_eq!(seen(&who[3].1)["partner"]["phones"], json!([]));
}
