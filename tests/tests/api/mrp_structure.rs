//! Work centers, BOMs (explosion, where-used, cost roll-up, cycles), routings and planning
//! data through the API.

use erp_tests::builders::UserBuilder;
use erp_tests::builders::{item, put, uom};
use erp_tests::TestApp;
use serde_json::json;

fn bom(app: &TestApp, admin: &str, parent: &str, lines: serde_json::Value) -> String {
    app.post(
        "/api/v1/mrp/boms",
        admin,
        json!({"item_id": parent, "lines": lines, "activate": true}),
    )
    .expect(201)
    .id()
}

#[test]
fn explosion_where_used_and_cost_rollup_follow_the_structure() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = item(&app, &admin, "A", json!({"procurement": "make"}));
    let b = item(&app, &admin, "B", json!({"procurement": "make"}));
    let c = item(&app, &admin, "C", json!({"standard_cost": "2.50"}));
    let d = item(&app, &admin, "D", json!({"standard_cost": "1.00"}));
    // A = 2 B + 1 C; B = 3 D with 25% scrap, so 4 D per B.
    bom(
        &app,
        &admin,
        &a,
        json!([{"component_id": b, "quantity": "2"}, {"component_id": c, "quantity": "1"}]),
    );
    bom(
        &app,
        &admin,
        &b,
        json!([{"component_id": d, "quantity": "3", "scrap": "0.25"}]),
    );
    let wc = app
        .post(
            "/api/v1/mrp/work-centers",
            &admin,
            json!({"code": "ASSY", "name": "Assembly", "hours_per_day": "8", "cost_per_hour": "30"}),
        )
        .expect(201);
    assert_eq!(wc.body["daily_capacity_hours"], "8");
    put(
        &app,
        &format!("/api/v1/mrp/items/{a}/routing"),
        &admin,
        json!({"operations": [{"seq": 10, "name": "assemble", "work_center_id": wc.id(), "run_hours": "0.1"}]}),
    )
    .expect(200);

    let x = app
        .get(
            &format!("/api/v1/mrp/items/{a}/explosion?quantity=10"),
            &admin,
        )
        .expect(200)
        .body;
    let lines: Vec<(u64, &str, &str)> = x["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["level"].as_u64().unwrap(),
                l["sku"].as_str().unwrap(),
                l["total_quantity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![(1, "B", "20"), (2, "D", "80"), (1, "C", "10")],
        "an indented bill, depth first"
    );
    let totals: Vec<(&str, &str)> = x["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["sku"].as_str().unwrap(),
                t["total_quantity"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(totals.contains(&("D", "80")) && totals.contains(&("C", "10")) && totals.len() == 2);

    let used = app
        .get(&format!("/api/v1/mrp/items/{d}/where-used"), &admin)
        .expect(200)
        .body;
    let used: Vec<(u64, &str)> = used["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["level"].as_u64().unwrap(), l["sku"].as_str().unwrap()))
        .collect();
    assert_eq!(used, vec![(1, "B"), (2, "A")]);

    // A = 2 × (4 × 1.00) + 2.50 + 0.1 h × 30 = 13.50
    let cost = app
        .get(&format!("/api/v1/mrp/items/{a}/cost-rollup"), &admin)
        .expect(200)
        .body;
    assert_eq!(cost["material_cost"], "10.50");
    assert_eq!(cost["operation_cost"], "3.00");
    assert_eq!(cost["unit_cost"], "13.50");
}

#[test]
fn a_bom_that_would_close_a_cycle_is_refused_naming_the_items() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = item(&app, &admin, "A", json!({"procurement": "make"}));
    let b = item(&app, &admin, "B", json!({"procurement": "make"}));
    let c = item(&app, &admin, "C", json!({"procurement": "make"}));
    bom(
        &app,
        &admin,
        &a,
        json!([{"component_id": b, "quantity": "1"}]),
    );
    bom(
        &app,
        &admin,
        &b,
        json!([{"component_id": c, "quantity": "1"}]),
    );
    let r = app
        .post("/api/v1/mrp/boms", &admin, json!({"item_id": c, "lines": [{"component_id": a, "quantity": "1"}], "activate": true}))
        .expect_problem(422, "bom_cycle");
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap()
            .contains("C -> A -> B -> C"),
        "{}",
        r.text
    );
    // As a draft it may exist; activating it is refused the same way, and nothing changed.
    let draft = app
        .post(
            "/api/v1/mrp/boms",
            &admin,
            json!({"item_id": c, "lines": [{"component_id": a, "quantity": "1"}]}),
        )
        .expect(201);
    assert_eq!(draft.body["status"], "draft");
    app.post(
        &format!("/api/v1/mrp/boms/{}/activate", draft.id()),
        &admin,
        json!({}),
    )
    .expect_problem(422, "bom_cycle");
    assert_eq!(
        app.get(&format!("/api/v1/mrp/boms/{}", draft.id()), &admin)
            .expect(200)
            .body["status"],
        "draft"
    );
}

#[test]
fn a_new_revision_replaces_the_active_one_and_drafts_alone_can_change() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = item(&app, &admin, "A", json!({"procurement": "make"}));
    let b = item(&app, &admin, "B", json!({}));
    let first = bom(
        &app,
        &admin,
        &a,
        json!([{"component_id": b, "quantity": "1"}]),
    );
    let second = app
        .post("/api/v1/mrp/boms", &admin, json!({"item_id": a, "revision": "2027-A", "lines": [{"component_id": b, "quantity": "2"}]}))
        .expect(201);
    assert_eq!(second.body["revision"], "2027-A");
    let changed = app
        .patch(
            &format!("/api/v1/mrp/boms/{}", second.id()),
            &admin,
            1,
            json!({"lines": [{"component_id": b, "quantity": "3"}]}),
        )
        .expect(200);
    assert_eq!(changed.body["lines"][0]["quantity"], "3");
    app.post(
        &format!("/api/v1/mrp/boms/{}/activate", second.id()),
        &admin,
        json!({}),
    )
    .expect(200);
    let old = app
        .get(&format!("/api/v1/mrp/boms/{first}"), &admin)
        .expect(200);
    assert_eq!(old.body["status"], "obsolete", "one active BOM per item");
    let version = old.body["version"].as_i64().unwrap();
    app.patch(
        &format!("/api/v1/mrp/boms/{first}"),
        &admin,
        version,
        json!({"notes": "x"}),
    )
    .expect_problem(409, "invalid_state");
    let listed = app
        .get(
            &format!("/api/v1/mrp/boms?item_id={a}&status=active"),
            &admin,
        )
        .expect(200);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["items"][0]["id"], second.id());
    // Made obsolete by hand, the item has no active BOM left; twice is refused.
    let path = format!("/api/v1/mrp/boms/{}/obsolete", second.id());
    let retired = app.post(&path, &admin, json!({})).expect(200).body;
    assert_eq!(retired["status"], "obsolete");
    app.post(&path, &admin, json!({}))
        .expect_problem(409, "invalid_state");
    let active = app
        .get(
            &format!("/api/v1/mrp/boms?item_id={a}&status=active"),
            &admin,
        )
        .expect(200);
    assert_eq!(active.body["items"], json!([]));
}

#[test]
fn bad_bom_lines_are_refused_with_the_field_and_the_reason() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = item(&app, &admin, "A", json!({"procurement": "make"}));
    let b = item(&app, &admin, "B", json!({}));
    let kg = uom(&app, &admin, "kg");
    let r = app
        .post(
            "/api/v1/mrp/boms",
            &admin,
            json!({"item_id": a, "lines": [
                {"component_id": b, "quantity": "-1"},
                {"component_id": "00000000-0000-0000-0000-000000000000", "quantity": "1"},
                {"component_id": a, "quantity": "1"},
                {"component_id": b, "quantity": "1", "uom_id": kg},
                {"component_id": b, "quantity": "1", "scrap": "1"}
            ]}),
        )
        .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert_eq!(
        fields,
        vec![
            "lines[0].quantity",
            "lines[1].component_id",
            "lines[2].component_id",
            "lines[3].uom_id",
            "lines[4].scrap"
        ],
        "{}",
        r.text
    );
    assert!(r.text.contains("unit mismatch"));
    app.post(
        "/api/v1/mrp/boms",
        &admin,
        json!({"item_id": a, "lines": []}),
    )
    .expect_problem(422, "validation_failed");
}

#[test]
fn planning_data_holds_every_lot_sizing_rule_and_refuses_bad_parameters() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = item(&app, &admin, "A", json!({}));
    let path = format!("/api/v1/mrp/items/{a}/planning");
    let defaults = app.get(&path, &admin).expect(200).body;
    assert_eq!(defaults["lot_sizing"]["rule"], "lot_for_lot");
    assert_eq!(defaults["version"], 0);
    for rule in [
        json!({"rule": "lot_for_lot"}),
        json!({"rule": "fixed_order_quantity", "quantity": "50"}),
        json!({"rule": "economic_order_quantity", "annual_demand": "1200", "ordering_cost": "50.00", "annual_holding_cost": "2.00"}),
        json!({"rule": "period_order_quantity", "periods": 3}),
        json!({"rule": "least_unit_cost", "ordering_cost": "100.00", "holding_cost": "1.00"}),
        json!({"rule": "least_total_cost", "ordering_cost": "100.00", "holding_cost": "1.00"}),
        json!({"rule": "part_period_balancing", "ordering_cost": "100.00", "holding_cost": "1.00"}),
        json!({"rule": "wagner_whitin", "ordering_cost": "100.00", "holding_cost": "1.00"}),
    ] {
        let r = put(&app, &path, &admin, json!({"lot_sizing": rule})).expect(200);
        assert_eq!(r.body["lot_sizing"], rule);
    }
    let r = put(
        &app,
        &path,
        &admin,
        json!({"lead_time_days": 14, "make_or_buy": "buy", "safety_stock": "5", "min_order": "10", "order_multiple": "5", "planning_time_fence_days": 7}),
    )
    .expect(200);
    assert_eq!(r.body["lead_time_days"], 14);
    assert_eq!(r.body["safety_stock"], "5");
    assert_eq!(
        r.body["lot_sizing"]["rule"], "wagner_whitin",
        "fields left out keep their value"
    );
    let it = app
        .get(&format!("/api/v1/inventory/items/{a}"), &admin)
        .expect(200);
    assert_eq!(
        it.body["lead_time_days"], 14,
        "lead time is the item's own field"
    );

    let bad = put(
        &app,
        &path,
        &admin,
        json!({"lead_time_days": -1, "safety_stock": "-2", "min_order": "10", "max_order": "5", "lot_sizing": {"rule": "fixed_order_quantity", "quantity": "0"}}),
    )
    .expect_problem(422, "validation_failed");
    let fields = bad.error_fields();
    for f in [
        "lead_time_days",
        "safety_stock",
        "max_order",
        "lot_sizing.quantity",
    ] {
        assert!(fields.iter().any(|x| x == f), "{f} missing in {}", bad.text);
    }
    put(
        &app,
        &path,
        &admin,
        json!({"lot_sizing": {"rule": "magic"}}),
    )
    .expect_problem(422, "validation_failed");
    // A stale version is refused.
    let opts = erp_tests::Req {
        headers: vec![("If-Match".into(), "\"1\"".into())],
        ..Default::default()
    };
    let stale = app.send(
        "PUT",
        &path,
        Some(&admin),
        Some(&json!({"safety_stock": "1"})),
        &opts,
    );
    assert_eq!(stale.status, 412, "{}", stale.text);
}

#[test]
fn master_data_needs_its_permissions() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let a = item(&app, &admin, "A", json!({"procurement": "make"}));
    let b = item(&app, &admin, "B", json!({}));
    let reader = UserBuilder::new("planner")
        .permissions(&["mrp.master.read", "inventory.item.read"])
        .create(&app, &admin);
    let token = reader.token.clone();
    app.post(
        "/api/v1/mrp/boms",
        &token,
        json!({"item_id": a, "lines": [{"component_id": b, "quantity": "1"}]}),
    )
    .expect_problem(403, "forbidden");
    app.post(
        "/api/v1/mrp/work-centers",
        &token,
        json!({"code": "X", "name": "X", "hours_per_day": "8"}),
    )
    .expect_problem(403, "forbidden");
    app.get("/api/v1/mrp/work-centers", &token).expect(200);
    let nobody = UserBuilder::new("clerk")
        .permissions(&["inventory.item.read"])
        .create(&app, &admin);
    let token = nobody.token.clone();
    app.get("/api/v1/mrp/boms", &token)
        .expect_problem(403, "forbidden");
    app.get(&format!("/api/v1/mrp/items/{a}/planning"), &token)
        .expect_problem(403, "forbidden");
}

#[test]
fn work_centers_validate_capacity_and_refuse_duplicate_codes() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let r = app
        .post(
            "/api/v1/mrp/work-centers",
            &admin,
            json!({"code": "CNC", "name": "CNC mills", "hours_per_day": "7.5", "units": 2, "efficiency": "0.9", "utilization": "0.8", "working_days": ["mon", "tue", "wed", "thu"], "days_off": ["2027-01-01"]}),
        )
        .expect(201);
    // 7.5 h × 2 × 0.9 × 0.8
    assert_eq!(r.body["daily_capacity_hours"], "10.8");
    assert_eq!(r.body["working_days"], json!(["mon", "tue", "wed", "thu"]));
    app.post(
        "/api/v1/mrp/work-centers",
        &admin,
        json!({"code": "cnc", "name": "again", "hours_per_day": "8"}),
    )
    .expect_problem(409, "duplicate_code");
    let bad = app
        .post("/api/v1/mrp/work-centers", &admin, json!({"code": "X", "name": "X", "hours_per_day": "25", "units": 0, "utilization": "1.5"}))
        .expect_problem(422, "validation_failed");
    assert_eq!(
        bad.body["errors"].as_array().unwrap().len(),
        3,
        "{}",
        bad.text
    );
    let changed = app
        .patch(
            &format!("/api/v1/mrp/work-centers/{}", r.id()),
            &admin,
            1,
            json!({"units": 1, "days_off": []}),
        )
        .expect(200);
    assert_eq!(changed.body["daily_capacity_hours"], "5.4");
    assert_eq!(changed.body["days_off"], json!([]));
    let read = app
        .get(&format!("/api/v1/mrp/work-centers/{}", r.id()), &admin)
        .expect(200)
        .body;
    assert_eq!(
        (
            read["units"].as_i64(),
            read["daily_capacity_hours"].as_str(),
            read["version"].as_i64()
        ),
        (Some(1), Some("5.4"), Some(2)),
        "{read}"
    );
}

/// The cycle check follows the active structure only: the revision a new BOM replaces and
/// obsolete ones do not count, the new one does at once.
#[test]
fn the_cycle_check_follows_the_structure_as_it_will_be() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let make = |sku: &str| item(&app, &admin, sku, json!({"procurement": "make"}));
    let (a, b, c) = (make("A"), make("B"), make("C"));
    let first = bom(
        &app,
        &admin,
        &a,
        json!([{"component_id": b, "quantity": "1"}]),
    );
    bom(
        &app,
        &admin,
        &b,
        json!([{"component_id": c, "quantity": "1"}]),
    );
    // A now takes C instead of B: replacing A -> B is no cycle through B.
    bom(
        &app,
        &admin,
        &a,
        json!([{"component_id": c, "quantity": "1"}]),
    );
    assert_eq!(
        app.get(&format!("/api/v1/mrp/boms/{first}"), &admin).body["status"],
        "obsolete"
    );
    // B may now take A: the obsolete A -> B closes nothing.
    let r = app
        .post(
            "/api/v1/mrp/boms",
            &admin,
            json!({"item_id": b, "lines": [{"component_id": a, "quantity": "1"}], "activate": true}),
        )
        .expect(201);
    assert_eq!(r.body["status"], "active");
    // C taking B closes C -> B -> A -> C, found two levels down through the new revisions.
    let r = app
        .post(
            "/api/v1/mrp/boms",
            &admin,
            json!({"item_id": c, "lines": [{"component_id": b, "quantity": "1"}], "activate": true}),
        )
        .expect_problem(422, "bom_cycle");
    assert!(r.text.contains("C -> B -> A -> C"), "{}", r.text);
    // An item in its own BOM is refused as a line error, before any walk.
    let r = app
        .post(
            "/api/v1/mrp/boms",
            &admin,
            json!({"item_id": c, "lines": [{"component_id": c, "quantity": "1"}], "activate": true}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "lines[0].component_id");
}
