//! MRP master data and demand as CSV: BOMs, routings and planning data imported all or
//! nothing with every bad row named, and every export written in the columns its import
//! reads, so a file goes out to a spreadsheet and comes back meaning the same.

use erp_tests::builders::{uom, UserBuilder};
use erp_tests::{Resp, TestApp};
use serde_json::json;

/// An app with a company whose items BIKE, FRAME, WHEEL and SPOKE exist, in `ea`.
fn bike_shop() -> (TestApp, String) {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ea = uom(&app, &admin, "ea");
    app.post(
        "/api/v1/inventory/items/batch",
        &admin,
        json!({ "items": (["BIKE", "FRAME", "WHEEL", "SPOKE"]
            .map(|s| json!({"sku": s, "name": s, "base_uom_id": ea}))) }),
    )
    .expect(201);
    (app, admin)
}

fn export(app: &TestApp, admin: &str, what: &str) -> String {
    let r = app
        .get(&format!("/api/v1/mrp/export/{what}"), admin)
        .expect(200);
    assert!(
        r.header("content-type").unwrap().starts_with("text/csv"),
        "{:?}",
        r.headers
    );
    r.text
}

fn item_id(app: &TestApp, admin: &str, sku: &str) -> String {
    app.get(&format!("/api/v1/inventory/items?sku={sku}"), admin)
        .expect(200)
        .body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[track_caller]
fn refused(r: Resp) -> Vec<String> {
    r.expect_problem(422, "validation_failed").error_fields()
}

#[test]
fn a_bom_file_imports_all_or_nothing_and_exports_as_it_came() {
    let (app, admin) = bike_shop();
    let import = |query: &str, csv: &str| {
        app.post_csv(&format!("/api/v1/mrp/import/boms{query}"), &admin, csv)
    };
    let boms = || {
        app.get("/api/v1/mrp/boms", &admin).expect(200).body["items"]
            .as_array()
            .unwrap()
            .clone()
    };

    let bad = "parent_sku,revision,output_quantity,activate,component_sku,quantity,unit\n\
               BIKE,A,1,true,FRAME,1,ea\n\
               BIKE,A,2,,WHEEL,2,kg\n\
               CAR,A,1,,FRAME,1,\n\
               WHEEL,A,1,,SPOKE,many,\n\
               WHEEL,A,1,,SPOKE,-3,\n";
    assert_eq!(
        refused(import("", bad)),
        [
            // BIKE/A: the BOM's own cell differs between its rows, and a unit that is none.
            "rows[2].output_quantity",
            "rows[2].unit",
            // No such parent.
            "rows[3].parent_sku",
            // A quantity that is not a number. The BOM's rules (row 5's negative quantity)
            // are checked once every row of the BOM reads.
            "rows[4].quantity",
        ]
    );
    assert!(boms().is_empty(), "nothing half-imported");
    let r = import(
        "",
        "parent_sku,revision,component_sku,quantity\nWHEEL,A,SPOKE,-3\nWHEEL,A,FRAME,1\n",
    );
    assert_eq!(
        refused(r),
        ["rows[1].quantity"],
        "the BOM's rule, on the line's row"
    );

    let good = "parent_sku,revision,output_quantity,notes,activate,component_sku,quantity,unit,scrap,effective_from,effective_to\n\
                BIKE,A,1,\"Frame, then wheels\",true,FRAME,1,ea,,,\n\
                WHEEL,A,1,,true,SPOKE,36,,,2027-01-01,\n\
                BIKE,A,,,,WHEEL,2,,0.05,,2027-12-31\n";
    assert_eq!(
        import("?dry_run=true", good).expect(200).body["imported"],
        3
    );
    assert!(boms().is_empty(), "a dry run keeps nothing");
    assert_eq!(import("", good).expect(200).body["imported"], 3);
    let stored = boms();
    assert_eq!(stored.len(), 2);
    let bike = stored.iter().find(|b| b["item_sku"] == "BIKE").unwrap();
    assert_eq!(bike["status"], "active");
    assert_eq!(bike["notes"], "Frame, then wheels");
    let lines: Vec<_> = bike["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["component_sku"].as_str().unwrap(),
                l["quantity"].as_str().unwrap(),
                l["scrap"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [("FRAME", "1", "0"), ("WHEEL", "2", "0.05")],
        "rows in file order"
    );

    let file = export(&app, &admin, "boms");
    assert_eq!(
        file,
        "parent_sku,revision,output_quantity,notes,activate,component_sku,quantity,unit,scrap,effective_from,effective_to\n\
         BIKE,A,1,\"Frame, then wheels\",true,FRAME,1,ea,,,\n\
         BIKE,A,,,,WHEEL,2,ea,0.05,,2027-12-31\n\
         WHEEL,A,1,,true,SPOKE,36,ea,,2027-01-01,\n"
    );
    // The export read back is refused as a whole: the revisions exist; each BOM on its first row.
    let again = refused(import("", &file));
    assert_eq!(again, ["rows[1]", "rows[3]"]);

    // A BOM that closes a cycle (WHEEL needs BIKE, which needs WHEEL) is refused on its row.
    let cycle = "parent_sku,revision,activate,component_sku,quantity\nWHEEL,B,true,BIKE,1\n";
    assert_eq!(refused(import("", cycle)), ["rows[1]"]);
    assert_eq!(boms().len(), 2);
    assert_eq!(
        app.get("/api/v1/mrp/export/boms?status=draft", &admin)
            .expect(200)
            .text
            .lines()
            .count(),
        1,
        "only the header: no draft BOMs"
    );
}

#[test]
fn a_routing_file_replaces_each_items_routing_and_exports_as_it_came() {
    let (app, admin) = bike_shop();
    for (code, name) in [("ASSY", "Assembly"), ("WELD", "Welding")] {
        app.post(
            "/api/v1/mrp/work-centers",
            &admin,
            json!({"code": code, "name": name, "hours_per_day": "8", "cost_per_hour": "30"}),
        )
        .expect(201);
    }
    let import = |csv: &str| app.post_csv("/api/v1/mrp/import/routings", &admin, csv);

    let bad = "sku,seq,name,work_center,setup_hours,run_hours\n\
               FRAME,10,Weld,WELD,1,0.5\n\
               FRAME,10,Paint,PAINT,,0.2\n\
               BIKE,10,Assemble,ASSY,,1\n\
               BIKE,20,Check,ASSY,,-1\n\
               CAR,10,Assemble,ASSY,,1\n";
    assert_eq!(
        refused(import(bad)),
        [
            // A code that names no work center.
            "rows[2].work_center",
            // The routing's own rule, on the operation's row.
            "rows[4].run_hours",
            "rows[5].sku"
        ]
    );
    let r = import("sku,seq,name,work_center\nBIKE,10,Assemble,ASSY\n");
    assert_eq!(refused(r), ["rows[1].run_hours"], "required");
    let r =
        import("sku,seq,name,work_center,run_hours\nFRAME,10,Weld,WELD,1\nFRAME,10,Grind,weld,1\n");
    assert_eq!(
        refused(r),
        ["rows[2].seq"],
        "a step twice, named on its row"
    );

    let good = "sku,seq,name,work_center,setup_hours,run_hours,queue_hours,move_hours\n\
                FRAME,20,Paint,ASSY,0.25,0.2,,\n\
                BIKE,10,Assemble,assy,0.5,1.5,2,1\n\
                FRAME,10,Weld,WELD,1,0.5,,\n";
    assert_eq!(import(good).expect(200).body["imported"], 3);
    let frame = item_id(&app, &admin, "FRAME");
    let routing = app
        .get(&format!("/api/v1/mrp/items/{frame}/routing"), &admin)
        .expect(200);
    assert_eq!(routing.body["hours_per_unit"], "1.95");
    let steps: Vec<_> = routing.body["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["seq"].as_i64().unwrap(),
                o["work_center_code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(steps, [(10, "WELD"), (20, "ASSY")]);

    let file = export(&app, &admin, "routings");
    assert_eq!(
        file,
        "sku,seq,name,work_center,setup_hours,run_hours,queue_hours,move_hours\n\
         BIKE,10,Assemble,ASSY,0.5,1.5,2,1\n\
         FRAME,10,Weld,WELD,1,0.5,0,0\n\
         FRAME,20,Paint,ASSY,0.25,0.2,0,0\n"
    );
    // A file names whole routings: FRAME's one row replaces its two operations.
    import("sku,seq,name,work_center,run_hours\nFRAME,5,Cut,WELD,0.1\n").expect(200);
    assert_eq!(
        export(&app, &admin, "routings").lines().collect::<Vec<_>>()[1..],
        [
            "BIKE,10,Assemble,ASSY,0.5,1.5,2,1",
            "FRAME,5,Cut,WELD,0,0.1,0,0"
        ]
    );
}

#[test]
fn a_planning_file_sets_each_items_rule_and_reads_back_unchanged() {
    let (app, admin) = bike_shop();
    let import = |csv: &str| app.post_csv("/api/v1/mrp/import/planning", &admin, csv);

    let bad =
        "sku,lead_time_days,lot_sizing,lot_quantity,periods,ordering_cost,min_order,max_order,holding_cost\n\
               FRAME,2,fixed_order_quantity,,,,,,\n\
               WHEEL,3,fixed_order_quantity,50,2,,,,\n\
               SPOKE,1,weekly,,,,,,\n\
               BIKE,4000,,,,,,,\n\
               BIKE,1,,,,,20,10,\n\
               SPOKE,1,,,3,,,,\n\
               WHEEL,1,wagner_whitin,,,-5,,,0\n";
    assert_eq!(
        refused(import(bad)),
        [
            "rows[1].lot_quantity",
            "rows[2].periods",
            "rows[3].lot_sizing",
            "rows[4].lead_time_days",
            "rows[5].max_order",
            "rows[6].periods",
            // The rule's own check: costs not negative, holding cost above zero.
            "rows[7].lot_sizing.ordering_cost",
            "rows[7].lot_sizing.holding_cost",
        ]
    );
    let before = export(&app, &admin, "planning");
    assert_eq!(
        before.lines().count(),
        5,
        "a row per item, defaults shown: {before}"
    );

    let good = "sku,lead_time_days,make_or_buy,safety_stock,lot_sizing,lot_quantity,periods,ordering_cost,holding_cost,order_multiple,phantom\n\
                FRAME,2,make,5,fixed_order_quantity,50,,,,,\n\
                WHEEL,1,make,,period_order_quantity,,3,,,,\n\
                SPOKE,7,buy,100,wagner_whitin,,,40,0.02,12,\n";
    assert_eq!(import(good).expect(200).body["imported"], 3);
    let spoke = item_id(&app, &admin, "SPOKE");
    let p = app
        .get(&format!("/api/v1/mrp/items/{spoke}/planning"), &admin)
        .expect(200);
    assert_eq!(
        p.body["lot_sizing"],
        json!({"rule": "wagner_whitin", "ordering_cost": "40.00", "holding_cost": "0.02"})
    );
    assert_eq!(p.body["lead_time_days"], 7);
    assert_eq!(p.body["order_multiple"], "12");

    let file = export(&app, &admin, "planning");
    let rows: Vec<&str> = file.lines().collect();
    assert_eq!(
        rows[0],
        "sku,lead_time_days,make_or_buy,safety_stock,lot_sizing,lot_quantity,periods,annual_demand,annual_holding_cost,ordering_cost,holding_cost,min_order,max_order,order_multiple,planning_time_fence_days,phantom"
    );
    assert_eq!(
        rows[2],
        "FRAME,2,make,5,fixed_order_quantity,50,,,,,,,,,0,false"
    );
    assert_eq!(
        rows[3],
        "SPOKE,7,buy,100,wagner_whitin,,,,,40.00,0.02,,,12,0,false"
    );
    // The export imported again changes nothing.
    assert_eq!(import(&file).expect(200).body["imported"], 4);
    assert_eq!(export(&app, &admin, "planning"), file);
}

#[test]
fn demands_export_in_the_columns_their_import_reads() {
    let (app, admin) = bike_shop();
    let file = "sku,kind,due_date,quantity,source_type,source_id,note\n\
                WHEEL,forecast,2027-01-11,40,plan,FC-1,\n\
                BIKE,mps,2027-01-04,10,,,\"first week, firm\"\n\
                BIKE,mps,2027-01-11,12,,,\n";
    app.post_csv("/api/v1/mrp/import/demands", &admin, file)
        .expect(200);
    assert_eq!(
        export(&app, &admin, "demands"),
        "sku,kind,due_date,quantity,source_type,source_id,note\n\
         BIKE,mps,2027-01-04,10,,,\"first week, firm\"\n\
         BIKE,mps,2027-01-11,12,,,\n\
         WHEEL,forecast,2027-01-11,40,plan,FC-1,\n"
    );
    let forecast = app
        .get(
            "/api/v1/mrp/export/demands?kind=forecast&from=2027-01-05",
            &admin,
        )
        .expect(200)
        .text;
    assert_eq!(
        forecast.lines().collect::<Vec<_>>()[1..],
        ["WHEEL,forecast,2027-01-11,40,plan,FC-1,"]
    );
    app.get(
        "/api/v1/mrp/export/demands?from=2027-02-01&to=2027-01-01",
        &admin,
    )
    .expect_problem(422, "validation_failed");
    // A clerk who may not read the plan gets no file.
    let clerk = UserBuilder::new("clerk")
        .permissions(&["inventory.item.read"])
        .create(&app, &admin);
    app.get("/api/v1/mrp/export/demands", &clerk.token)
        .expect_problem(403, "forbidden");
}
