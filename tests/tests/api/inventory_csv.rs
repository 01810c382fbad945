//! CSV import (all or nothing, every rejected row reported) and export.

use erp_tests::builders::{uom, Stockroom};
use erp_tests::{Req, Resp, TestApp};
use serde_json::json;

fn upload(app: &TestApp, token: &str, what: &str, csv: &str) -> Resp {
    let req = Req {
        raw_body: Some(("text/csv".into(), csv.into())),
        ..Req::default()
    };
    app.send(
        "POST",
        &format!("/api/v1/inventory/import/{what}"),
        Some(token),
        None,
        &req,
    )
}

fn item_count(app: &TestApp, token: &str) -> usize {
    app.get("/api/v1/inventory/items?limit=500", token)
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn an_item_file_with_a_bad_row_imports_nothing_and_names_every_bad_row() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    uom(&app, &admin, "ea");
    app.post(
        "/api/v1/inventory/categories",
        &admin,
        json!({"code": "TOOLS", "name": "Tools"}),
    )
    .expect(201);
    let bad = "sku,name,base_uom,category,standard_cost,valuation\n\
               HAM-1,Hammer,ea,TOOLS,12.50,fifo\n\
               SAW-1,,ea,TOOLS,20,\n\
               DRL-1,Drill,box,,35,\n\
               HAM-1,Hammer again,ea,,1,\n\
               FIL-1,File,ea,,0.000001,\n";
    let r = upload(&app, &admin, "items", bad).expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert_eq!(
        fields,
        [
            "rows[2].name",
            "rows[3].base_uom",
            "rows[4]",
            "rows[5].standard_cost"
        ]
    );
    assert_eq!(item_count(&app, &admin), 0, "nothing half-imported");

    let good = "sku,name,base_uom,category,standard_cost,valuation,reorder_point\n\
                HAM-1,Hammer,ea,TOOLS,12.50,fifo,5\n\
                SAW-1,Saw,ea,TOOLS,20,,\n";
    // A dry run reports what the import would do, refuses what it would refuse, keeps nothing.
    let r = upload(&app, &admin, "items?dry_run=true", good).expect(200);
    assert_eq!(r.body["imported"], 2);
    upload(&app, &admin, "items?dry_run=true", bad).expect_problem(422, "validation_failed");
    assert_eq!(item_count(&app, &admin), 0, "a dry run keeps nothing");
    let r = upload(&app, &admin, "items", good).expect(200);
    assert_eq!(r.body["imported"], 2);
    let hammer = app.get("/api/v1/inventory/items?q=HAM", &admin).expect(200);
    assert_eq!(hammer.body["items"][0]["valuation"], "fifo");
    assert_eq!(hammer.body["items"][0]["standard_cost"], "12.50");
    assert_eq!(hammer.body["items"][0]["reorder_point"], "5");
    upload(&app, &admin, "items", "").expect_problem(422, "validation_failed");
    let wrong_type = Req {
        raw_body: Some(("application/json".into(), "{}".into())),
        ..Req::default()
    };
    app.send(
        "POST",
        "/api/v1/inventory/import/items",
        Some(&admin),
        None,
        &wrong_type,
    )
    .expect_problem(415, "unsupported_media_type");
}

#[test]
fn locations_and_opening_balances_import_and_stock_exports() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let room = Stockroom::create(&app, &admin, "MAIN");
    uom(&app, &admin, "ea");
    upload(
        &app,
        &admin,
        "items",
        "sku,name,base_uom\nNUT,Nut,ea\nBOLT,Bolt,ea\n",
    )
    .expect(200);
    let locs = "warehouse,code,name,kind,parent\nMAIN,A,Zone A,,\nMAIN,A-01,Bin A-01,storage,A\n";
    upload(&app, &admin, "locations", locs).expect(200);
    upload(&app, &admin, "locations", "warehouse,code,name\nNOPE,X,X\n")
        .expect_problem(422, "validation_failed");

    let opening =
        "sku,warehouse,location,quantity,unit_cost\nNUT,MAIN,A-01,100,0.05\nBOLT,MAIN,,40,0.10\n";
    upload(&app, &admin, "opening-balances", opening).expect(200);
    let value = app
        .get(
            &format!(
                "/api/v1/inventory/valuation?warehouse_id={}",
                room.warehouse
            ),
            &admin,
        )
        .expect(200);
    assert_eq!(value.body["total_value"], "9.00");
    let moves = app
        .get(
            "/api/v1/inventory/stock-moves?reference_type=opening_balance",
            &admin,
        )
        .expect(200);
    assert_eq!(moves.body["items"].as_array().unwrap().len(), 2);
    upload(
        &app,
        &admin,
        "opening-balances",
        "sku,warehouse,quantity\nNUT,MAIN,-3\nGHOST,MAIN,1\n",
    )
    .expect_problem(422, "validation_failed");

    let csv = app
        .send(
            "GET",
            &format!(
                "/api/v1/inventory/export/stock?warehouse_id={}",
                room.warehouse
            ),
            Some(&admin),
            None,
            &Req::default(),
        )
        .expect(200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(
        lines[0],
        "sku,warehouse_id,location,lot,on_hand,reserved,available"
    );
    assert_eq!(lines.len(), 3);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("NUT,") && l.contains(",A-01,,100,0,100")),
        "{lines:?}"
    );
}

#[test]
fn opening_balances_take_their_date_and_every_import_refuses_unknown_columns() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    Stockroom::create(&app, &admin, "W1");
    uom(&app, &admin, "ea");
    erp_tests::builders::item(&app, &admin, "CSV-OPEN", json!({}));
    for (what, csv, column) in [
        (
            "items",
            "sku,name,base_uom,colour\nX,X,ea,red\n",
            "columns.colour",
        ),
        (
            "locations",
            "warehouse,code,name,aisle\nW1,A1,A1,3\n",
            "columns.aisle",
        ),
        (
            "opening-balances",
            "sku,warehouse,quantity,unit_cost,date\nCSV-OPEN,W1,5,2.00,2026-01-01\n",
            "columns.date",
        ),
    ] {
        let bad = upload(&app, &admin, what, csv).expect_problem(422, "validation_failed");
        assert_eq!(bad.body["errors"][0]["field"], column, "{what}");
    }
    let day = (chrono::Utc::now() - chrono::Duration::days(15))
        .format("%Y-%m-%d")
        .to_string();
    upload(
        &app,
        &admin,
        "opening-balances",
        &format!("sku,warehouse,quantity,unit_cost,effective_at\nCSV-OPEN,W1,5,2.00,{day}\n"),
    )
    .expect(200);
    let moves = app
        .get(
            "/api/v1/inventory/stock-moves?reference_type=opening_balance",
            &admin,
        )
        .expect(200)
        .body;
    assert_eq!(
        moves["items"][0]["effective_at"],
        format!("{day}T00:00:00Z"),
        "a date is the start of that day in the company's time zone (UTC here)"
    );
    let bad = upload(
        &app,
        &admin,
        "opening-balances",
        "sku,warehouse,quantity,unit_cost,effective_at\nCSV-OPEN,W1,5,2.00,yesterday\n",
    )
    .expect_problem(422, "validation_failed");
    assert_eq!(bad.body["errors"][0]["field"], "rows[1].effective_at");
}

#[test]
fn items_exported_import_into_another_company_and_export_the_same() {
    let setup = |app: &TestApp, admin: &str| {
        uom(app, admin, "ea");
        uom(app, admin, "kg");
        app.post(
            "/api/v1/inventory/categories",
            admin,
            json!({"code": "TOOLS", "name": "Tools"}),
        )
        .expect(201);
    };
    let export = |app: &TestApp, admin: &str| {
        let (status, kind, body) = app.get_bytes("/api/v1/inventory/export/items", admin);
        assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
        String::from_utf8(body).unwrap()
    };
    let here = TestApp::spawn();
    let admin = here.admin_token();
    setup(&here, &admin);
    let file = "sku,name,base_uom,item_type,procurement,tracking,valuation,category,barcode,standard_cost,sales_price,reorder_point,reorder_max,description\n\
                HAM-1,\"Hammer, 500 g\",ea,stocked,buy,none,fifo,TOOLS,4006381333931,12.50,19.90,10,40,Steel head\n\
                FLOUR,Flour,kg,stocked,buy,lot,specific_identification,,,0.85,,,,\n\
                SET-1,Tool set,ea,stocked,make,none,moving_average,TOOLS,,0,99,,,\n";
    upload(&here, &admin, "items", file).expect(200);
    let exported = export(&here, &admin);
    let lines: Vec<&str> = exported.lines().collect();
    assert_eq!(lines.len(), 4, "a header and one row per item: {exported}");
    assert_eq!(
        lines[1], "FLOUR,Flour,kg,stocked,buy,lot,specific_identification,,,0.85,,,,",
        "by SKU, every column as the import reads it"
    );
    assert!(
        lines[2].starts_with("HAM-1,\"Hammer, 500 g\",ea,"),
        "{exported}"
    );

    // Another company with the same unit and category codes takes the file as it is.
    let there = TestApp::spawn();
    let admin2 = there.admin_token();
    setup(&there, &admin2);
    let report = upload(&there, &admin2, "items", &exported).expect(200);
    assert_eq!(report.body["imported"], 3, "{}", report.text);
    assert_eq!(export(&there, &admin2), exported);

    let reader = erp_tests::builders::UserBuilder::new("reader")
        .permissions(&["inventory.stock.read"])
        .create(&here, &admin);
    let (status, _, _) = here.get_bytes("/api/v1/inventory/export/items", &reader.token);
    assert_eq!(status, 403, "items are read with inventory.item.read");
}
