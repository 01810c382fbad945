//! Budget versions derived from one another, one in force per year, and budget control of
//! purchase orders: confirming one over what is left of the budget in force warns or is
//! refused, counting what was posted and what other open orders committed.

use erp_tests::builders::{item, Stockroom};
use erp_tests::finance::{books, Books};
use serde_json::{json, Value};

fn settings(b: &Books, body: Value) {
    b.app
        .send(
            "PUT",
            "/api/v1/finance/settings",
            Some(&b.admin),
            Some(&body),
            &Default::default(),
        )
        .expect(200);
}

#[test]
fn a_derived_budget_version_replaces_the_one_in_force_and_controls_purchase_orders() {
    let b = books();
    let v1 = b
        .app
        .post(
            "/api/v1/finance/budgets",
            &b.admin,
            json!({"name": "2026 plan", "fiscal_year": 2026, "lines": [
                {"account_id": b.accounts["1300"], "period": 12, "amount": "333.33"},
                {"account_id": b.accounts["6200"], "period": 12, "amount": "1000.00"}
            ]}),
        )
        .expect(201)
        .id();
    b.app
        .post(
            &format!("/api/v1/finance/budgets/{v1}/approve"),
            &b.admin,
            json!({}),
        )
        .expect(200);
    // Version 2: every line 50 % up (333.33 -> 499.995 -> 500.00), a draft until approved.
    let v2 = b
        .app
        .post(
            &format!("/api/v1/finance/budgets/{v1}/versions"),
            &b.admin,
            json!({"name": "2026 plan v2", "adjust_percent": "50"}),
        )
        .expect(201)
        .body;
    assert_eq!(
        (&v2["status"], &v2["derived_from_id"]),
        (&json!("draft"), &json!(v1))
    );
    assert_eq!(v2["total"], "2000.00");
    assert_eq!(
        v2["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["account_id"] == b.accounts["1300"].as_str())
            .unwrap()["amount"],
        "500.00"
    );
    let v2 = v2["id"].as_str().unwrap().to_string();
    b.app
        .post(
            &format!("/api/v1/finance/budgets/{v1}/versions"),
            &b.admin,
            json!({"name": "2026 plan v2"}),
        )
        .expect_problem(409, "duplicate_name");
    b.app
        .post(
            &format!("/api/v1/finance/budgets/{v1}/versions"),
            &b.admin,
            json!({"name": "x", "adjust_percent": "-101"}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(
        b.get(&format!("/api/v1/finance/budgets/{v1}"))["in_force"],
        true
    );
    b.app
        .post(
            &format!("/api/v1/finance/budgets/{v2}/approve"),
            &b.admin,
            json!({}),
        )
        .expect(200);
    let old = b.get(&format!("/api/v1/finance/budgets/{v1}"));
    assert_eq!(
        (&old["in_force"], &old["superseded_by_id"]),
        (&json!(false), &json!(v2))
    );
    assert_eq!(
        b.get(&format!("/api/v1/finance/budgets/{v2}"))["in_force"],
        true
    );

    // Purchase orders commit on the stock account (1300), where their receipts will post.
    let room = Stockroom::create(&b.app, &b.admin, "W1");
    let supplier = b.partner("Acme", "supplier");
    let bolt = item(&b.app, &b.admin, "BOLT", json!({}));
    let order = |qty: &str| {
        b.app
            .post(
                "/api/v1/inventory/purchase-orders",
                &b.admin,
                json!({"supplier_id": supplier, "warehouse_id": room.warehouse,
                       "lines": [{"item_id": bolt, "quantity": qty, "unit_price": "10.00"}]}),
            )
            .expect(201)
            .id()
    };
    let confirm = |id: &str| {
        b.app.post(
            &format!("/api/v1/inventory/purchase-orders/{id}/confirm"),
            &b.admin,
            json!({}),
        )
    };
    // Control off (the default): nothing is said.
    let big = order("60");
    assert_eq!(confirm(&big).expect(200).body["budget_warnings"], json!([]));
    settings(&b, json!({"budget_control": "warn"}));
    // 600.00 are committed already: 100.00 more is over the 500.00 of version 2, and said.
    let warned = confirm(&order("10")).expect(200).body;
    assert_eq!(warned["status"], "confirmed");
    let w = warned["budget_warnings"][0].as_str().unwrap();
    assert!(
        w.contains("1300") && w.contains("-100.00 left") && w.contains("2026 plan v2"),
        "{w}"
    );
    // Refused: 422 over_budget, and the order stays a draft.
    settings(&b, json!({"budget_control": "refuse"}));
    let third = order("1");
    let p = confirm(&third).expect_problem(422, "over_budget");
    assert!(
        p.body["detail"].as_str().unwrap().contains("1300"),
        "{}",
        p.body
    );
    assert_eq!(
        b.get(&format!("/api/v1/inventory/purchase-orders/{third}"))["status"],
        "draft"
    );
    // Cancelling the big order frees its commitment: the small one now fits.
    b.app
        .post(
            &format!("/api/v1/inventory/purchase-orders/{big}/cancel"),
            &b.admin,
            json!({}),
        )
        .expect(200);
    assert_eq!(
        confirm(&third).expect(200).body["budget_warnings"],
        json!([])
    );
    // An order dated in the year before commits that year's budget, not this one's: a
    // thousand open from December 2025 leave the 2026 plan as it was.
    let last_year = b
        .app
        .post(
            "/api/v1/inventory/purchase-orders",
            &b.admin,
            json!({"supplier_id": supplier, "warehouse_id": room.warehouse,
                   "order_date": "2025-12-20",
                   "lines": [{"item_id": bolt, "quantity": "100", "unit_price": "10.00"}]}),
        )
        .expect(201)
        .id();
    confirm(&last_year).expect(200);
    assert_eq!(
        confirm(&order("2")).expect(200).body["budget_warnings"],
        json!([])
    );
}
