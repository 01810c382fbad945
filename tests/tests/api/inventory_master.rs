//! Inventory master data: units, categories, items, warehouses, locations.

use erp_tests::builders::{item, uom, Stockroom, UserBuilder};
use erp_tests::TestApp;
use serde_json::json;

#[test]
fn items_have_unique_skus_and_checked_references() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ea = uom(&app, &admin, "ea");
    let cat = app
        .post(
            "/api/v1/inventory/categories",
            &admin,
            json!({"code": "RAW", "name": "Raw material"}),
        )
        .expect(201)
        .id();
    app.post(
        "/api/v1/inventory/categories",
        &admin,
        json!({"code": "STEEL", "name": "Steel", "parent_id": cat}),
    )
    .expect(201);
    let categories = app
        .get("/api/v1/inventory/categories", &admin)
        .expect(200)
        .body;
    let steel = categories["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "STEEL")
        .unwrap_or_else(|| panic!("STEEL is listed: {categories}"));
    assert_eq!(steel["parent_id"], cat.as_str(), "{categories}");
    assert_eq!(categories["items"].as_array().unwrap().len(), 2);
    let supplier = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": "Steel Inc", "roles": ["supplier"]}),
        )
        .expect(201)
        .id();
    let customer = app
        .post(
            "/api/v1/partners",
            &admin,
            json!({"kind": "organisation", "name": "Buyer", "roles": ["customer"]}),
        )
        .expect(201)
        .id();

    let created = app
        .post(
            "/api/v1/inventory/items",
            &admin,
            json!({"sku": "BOLT-M8", "name": "Bolt M8", "base_uom_id": ea, "category_id": cat, "tracking": "lot",
                   "valuation": "fifo", "standard_cost": "0.12", "default_supplier_id": supplier,
                   "supplier_price": "0.105", "lead_time_days": 7, "reorder_point": "100", "reorder_max": "500"}),
        )
        .expect(201);
    assert_eq!(created.body["standard_cost"], "0.12");
    assert_eq!(created.body["supplier_price"], "0.105");
    assert_eq!(created.body["item_type"], "stocked");
    assert_eq!(created.header("etag"), Some("\"1\""));

    app.post(
        "/api/v1/inventory/items",
        &admin,
        json!({"sku": "BOLT-M8", "name": "Again", "base_uom_id": ea}),
    )
    .expect_problem(409, "duplicate_sku");
    let r = app
        .post(
            "/api/v1/inventory/items",
            &admin,
            json!({"sku": "bad sku", "name": "", "base_uom_id": uuid::Uuid::now_v7(), "default_supplier_id": customer,
                   "reorder_point": "10", "reorder_max": "5"}),
        )
        .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert_eq!(
        fields,
        [
            "sku",
            "name",
            "reorder_max",
            "base_uom_id",
            "default_supplier_id"
        ]
    );
    // Money keeps 4 places: finer input is refused, not rounded.
    let r = app
        .post(
            "/api/v1/inventory/items",
            &admin,
            json!({"sku": "P", "name": "Precise", "base_uom_id": ea, "standard_cost": "0.00001"}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "standard_cost");
    app.post(
        "/api/v1/inventory/items",
        &admin,
        json!({"sku": "F", "name": "Float", "base_uom_id": ea, "standard_cost": 1.5}),
    )
    .expect_problem(422, "validation_failed");

    let found = app
        .get("/api/v1/inventory/items?q=bolt", &admin)
        .expect(200);
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1);
    // An exact SKU finds that item only; a part of one finds nothing.
    let exact = |sku: &str| {
        app.get(&format!("/api/v1/inventory/items?sku={sku}"), &admin)
            .expect(200)
            .body["items"]
            .clone()
    };
    assert_eq!(exact("BOLT-M8")[0]["id"], created.body["id"]);
    assert_eq!(exact("BOLT-M8").as_array().unwrap().len(), 1);
    assert_eq!(exact("BOLT"), json!([]));
    let id = created.id();
    let updated = app
        .patch(
            &format!("/api/v1/inventory/items/{id}"),
            &admin,
            1,
            json!({"name": "Bolt M8 zinc", "valuation": "moving_average"}),
        )
        .expect(200);
    assert_eq!(updated.body["valuation"], "moving_average");
}

#[test]
fn valuation_method_and_base_unit_are_fixed_once_stock_moved() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "W1");
    let id = item(&app, &admin, "NUT", json!({}));
    erp_tests::builders::receive(&app, &admin, &id, &room.stock, "5", "1");
    app.patch(
        &format!("/api/v1/inventory/items/{id}"),
        &admin,
        1,
        json!({"valuation": "fifo"}),
    )
    .expect_problem(409, "stock_exists");
    let kg = uom(&app, &admin, "kg");
    app.patch(
        &format!("/api/v1/inventory/items/{id}"),
        &admin,
        1,
        json!({"base_uom_id": kg}),
    )
    .expect_problem(409, "stock_exists");
    app.patch(
        &format!("/api/v1/inventory/items/{id}"),
        &admin,
        1,
        json!({"name": "Nut M8"}),
    )
    .expect(200);
}

#[test]
fn warehouses_come_with_special_locations_and_hold_a_location_tree() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "MAIN");
    let w = app
        .get(
            &format!("/api/v1/inventory/warehouses/{}", room.warehouse),
            &admin,
        )
        .expect(200);
    let kinds: Vec<_> = w.body["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["code"].clone(), l["kind"].clone()))
        .collect();
    assert_eq!(kinds.len(), 4);
    assert!(kinds.contains(&(json!("SCRAP"), json!("scrap"))));
    assert!(kinds.contains(&(json!("TRANSIT"), json!("transit"))));

    let zone = app
        .post(
            "/api/v1/inventory/locations",
            &admin,
            json!({"warehouse_id": room.warehouse, "code": "A", "name": "Zone A"}),
        )
        .expect(201)
        .id();
    let bin = app
        .post("/api/v1/inventory/locations", &admin, json!({"warehouse_id": room.warehouse, "parent_id": zone, "code": "A-01-01", "name": "Bin"}))
        .expect(201);
    assert_eq!(bin.body["parent_id"], zone);
    let read = app
        .get(&format!("/api/v1/inventory/locations/{}", bin.id()), &admin)
        .expect(200)
        .body;
    assert_eq!(
        (
            read["code"].as_str(),
            read["parent_id"].as_str(),
            read["warehouse_id"].as_str()
        ),
        (
            Some("A-01-01"),
            Some(zone.as_str()),
            Some(room.warehouse.as_str())
        ),
        "{read}"
    );
    app.post(
        "/api/v1/inventory/locations",
        &admin,
        json!({"warehouse_id": room.warehouse, "code": "A", "name": "Again"}),
    )
    .expect_problem(409, "duplicate_code");
    app.post(
        "/api/v1/inventory/warehouses",
        &admin,
        json!({"code": "MAIN", "name": "Again", "branch_id": uuid::Uuid::now_v7()}),
    )
    .expect_problem(422, "validation_failed");
}

#[test]
fn warehouses_of_other_branches_do_not_exist_for_a_branch_user() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let north = app
        .post(
            "/api/v1/org/branches",
            &admin,
            json!({"code": "N", "name": "North"}),
        )
        .expect(201)
        .id();
    let south = app
        .post(
            "/api/v1/org/branches",
            &admin,
            json!({"code": "S", "name": "South"}),
        )
        .expect(201)
        .id();
    let wn = Stockroom::create_in(&app, &admin, "WN", &north, false);
    let ws = Stockroom::create_in(&app, &admin, "WS", &south, false);
    let id = item(&app, &admin, "X", json!({}));
    erp_tests::builders::receive(&app, &admin, &id, &ws.stock, "3", "1");
    let clerk = UserBuilder::new("north-clerk")
        .permissions(&["inventory.*"])
        .branches(&[&north])
        .create(&app, &admin);

    let list = app
        .get("/api/v1/inventory/warehouses", &clerk.token)
        .expect(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    app.get(
        &format!("/api/v1/inventory/warehouses/{}", ws.warehouse),
        &clerk.token,
    )
    .expect_problem(404, "not_found");
    app.get(
        &format!("/api/v1/inventory/warehouses/{}", wn.warehouse),
        &clerk.token,
    )
    .expect(200);
    let stock = app.get("/api/v1/inventory/stock", &clerk.token).expect(200);
    assert_eq!(
        stock.body["items"].as_array().unwrap().len(),
        0,
        "the South stock is invisible"
    );
    app.post(
        "/api/v1/inventory/stock-moves",
        &clerk.token,
        json!({"move_type": "issue", "item_id": id, "from_location_id": ws.stock, "quantity": "1"}),
    )
    .expect_problem(422, "validation_failed");
    let moves = app
        .get("/api/v1/inventory/stock-moves", &clerk.token)
        .expect(200);
    assert_eq!(moves.body["items"].as_array().unwrap().len(), 0);
}

/// Search finds any part of an item's code or name, ignoring case, through the index of each
/// backend, and keeps up with renames and deletions.
#[test]
fn items_are_found_by_any_part_of_their_code_or_name() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let make = |sku: &str, name: &str| item(&app, &admin, sku, json!({"name": name}));
    let bolt = make("BLT-100", "Hex bolt M8 zinc");
    make("WSH-8", "Washer 8% nylon");
    make("SHR-5", "Шуруп по дереву");
    let _rotor = make("RTR_1", "Rotor blade");
    let found = |q: &str| -> Vec<String> {
        let mut skus: Vec<String> = app
            .get(&format!("/api/v1/inventory/items?q={q}&limit=100"), &admin)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["sku"].as_str().unwrap().to_string())
            .collect();
        skus.sort();
        skus
    };
    assert_eq!(found("blt-1"), ["BLT-100"], "part of the code, any case");
    assert_eq!(
        found("BOLT%20m8"),
        ["BLT-100"],
        "part of the name with a space"
    );
    assert_eq!(
        found("8%25"),
        ["WSH-8"],
        "a percent sign is a character, not a wildcard"
    );
    assert_eq!(found("R_1"), ["RTR_1"], "so is an underscore");
    assert_eq!(found("TR_"), ["RTR_1"]);
    assert!(found("RT_").is_empty(), "not a wildcard either");
    assert_eq!(found("8"), ["BLT-100", "WSH-8"], "one character");
    assert_eq!(
        found("%D0%B4%D0%B5%D1%80%D0%B5%D0%B2"),
        ["SHR-5"],
        "Cyrillic"
    );
    assert!(found("gasket").is_empty());

    let version = app
        .get(&format!("/api/v1/inventory/items/{bolt}"), &admin)
        .body["version"]
        .as_i64()
        .unwrap();
    app.patch(
        &format!("/api/v1/inventory/items/{bolt}"),
        &admin,
        version,
        json!({"sku": "SCR-100", "name": "Machine screw M8"}),
    )
    .expect(200);
    assert!(found("hex%20bolt").is_empty(), "the old name is gone");
    assert_eq!(found("screw"), ["SCR-100"]);
    assert_eq!(found("scr-1"), ["SCR-100"]);
    assert_eq!(found("%D0%A8%D0%A3%D0%A0"), ["SHR-5"], "Cyrillic, any case");
}

#[test]
fn items_load_in_bulk_all_or_nothing_with_every_bad_record_named() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ea = uom(&app, &admin, "ea");
    let count = |app: &TestApp| {
        app.get("/api/v1/inventory/items?limit=500", &admin)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .len()
    };
    app.post(
        "/api/v1/inventory/items",
        &admin,
        json!({"sku": "OLD-1", "name": "Already here", "base_uom_id": ea}),
    )
    .expect(201);

    // Bad records anywhere: every one is named by its index, and nothing is created, not even
    // the good records before them.
    let r = app
        .post(
            "/api/v1/inventory/items/batch",
            &admin,
            json!({"items": [
                {"sku": "NEW-1", "name": "Good", "base_uom_id": ea},
                {"sku": "NEW-2", "name": "", "base_uom_id": ea},
                {"sku": "NEW-1", "name": "Same SKU as record 0", "base_uom_id": ea},
                {"sku": "OLD-1", "name": "Same SKU as a stored item", "base_uom_id": ea},
                {"sku": "NEW-5", "name": "Unknown unit", "base_uom_id": uuid::Uuid::now_v7()},
                {"sku": "NEW-6", "name": "Good too", "base_uom_id": ea}
            ]}),
        )
        .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert_eq!(
        fields,
        [
            "items[1].name",
            "items[2]",
            "items[3]",
            "items[4].base_uom_id"
        ],
        "{}",
        r.body
    );
    assert!(r.body["errors"][1]["message"]
        .as_str()
        .unwrap()
        .contains("NEW-1"));
    assert_eq!(count(&app), 1, "nothing of the refused batch was kept");

    // All good: all created in one request, in order, each as a single create answers.
    let ok = app
        .post(
            "/api/v1/inventory/items/batch",
            &admin,
            json!({"items": (0..300).map(|i| json!({
                "sku": format!("B-{i:03}"), "name": format!("Bulk {i}"), "base_uom_id": ea,
                "standard_cost": "1.25"
            })).collect::<Vec<_>>()}),
        )
        .expect(201);
    let items = ok.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 300);
    assert_eq!(items[7]["sku"], "B-007");
    let one = app
        .get(
            &format!(
                "/api/v1/inventory/items/{}",
                items[7]["id"].as_str().unwrap()
            ),
            &admin,
        )
        .expect(200);
    assert_eq!(one.body, items[7]);
    assert_eq!(count(&app), 301);

    // Limits and rights.
    app.post(
        "/api/v1/inventory/items/batch",
        &admin,
        json!({"items": []}),
    )
    .expect_problem(422, "validation_failed");
    let too_many: Vec<_> = (0..1001)
        .map(|i| json!({"sku": format!("T-{i}"), "name": "T", "base_uom_id": ea}))
        .collect();
    let r = app
        .post(
            "/api/v1/inventory/items/batch",
            &admin,
            json!({"items": too_many}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "items");
    let reader = UserBuilder::new("reader")
        .permissions(&["inventory.item.read"])
        .create(&app, &admin);
    app.post(
        "/api/v1/inventory/items/batch",
        &reader.token,
        json!({"items": [{"sku": "X", "name": "X", "base_uom_id": ea}]}),
    )
    .expect_problem(403, "forbidden");
    assert_eq!(count(&app), 301);

    // A dry run answers as the real request would, with 200, and keeps nothing.
    let one = json!({"items": [{"sku": "DRY-1", "name": "Dry", "base_uom_id": ea}]});
    let dry = app
        .post(
            "/api/v1/inventory/items/batch?dry_run=true",
            &admin,
            one.clone(),
        )
        .expect(200);
    assert_eq!(dry.body["items"][0]["sku"], "DRY-1");
    assert_eq!(count(&app), 301);
    app.post(
        "/api/v1/inventory/items/batch?dry_run=true",
        &admin,
        json!({"items": [{"sku": "B-001", "name": "Taken", "base_uom_id": ea}]}),
    )
    .expect_problem(422, "validation_failed");
    app.post("/api/v1/inventory/items/batch", &admin, one)
        .expect(201);
    assert_eq!(count(&app), 302, "the dry run left the SKU free");
}
