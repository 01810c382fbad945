//! Loading a whole planning problem in a handful of requests: items, BOMs and demands in
//! bulk, the run, and the whole plan read back in pages.

use std::collections::HashMap;

use erp_tests::builders::{mrp_run, uom};
use erp_tests::TestApp;
use serde_json::{json, Value};

const START: &str = "2027-01-04";
const BUCKETS: usize = 12;
/// Items per level, top first: 200 items, the last level bought.
const LEVELS: [std::ops::Range<usize>; 4] = [0..40, 40..90, 90..140, 140..200];

fn level_of(i: usize) -> usize {
    LEVELS.iter().position(|l| l.contains(&i)).unwrap()
}

/// The components of item `i`: (component, quantity per), from the level below.
fn components(i: usize) -> Vec<(usize, i64)> {
    let level = level_of(i);
    let Some(below) = LEVELS.get(level + 1) else {
        return Vec::new();
    };
    let size = below.len();
    let a = below.start + (i * 7) % size;
    let b = below.start + (i * 13 + 5) % size;
    let mut out = vec![(a, 1 + (i % 3) as i64)];
    if b != a {
        out.push((b, 2));
    }
    out
}

fn week(b: usize) -> String {
    let start = chrono::NaiveDate::parse_from_str(START, "%Y-%m-%d").unwrap();
    (start + chrono::Duration::days(7 * b as i64)).to_string()
}

fn row(record: &Value, name: &str) -> Vec<i64> {
    record["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b[name].as_str().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn a_200_item_problem_loads_and_reads_back_in_a_handful_of_requests() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ea = uom(&app, &admin, "ea");

    // 1. Every item in one request.
    let items = app
        .post(
            "/api/v1/inventory/items/batch",
            &admin,
            json!({"items": (0..200).map(|i| json!({
                "sku": format!("P-{i:03}"), "name": format!("Part {i}"), "base_uom_id": ea,
                "procurement": if level_of(i) == 3 { "buy" } else { "make" },
                "lead_time_days": 7
            })).collect::<Vec<_>>()}),
        )
        .expect(201);
    let ids: Vec<String> = items.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_string())
        .collect();

    // 2. Every BOM, active at once, in one request.
    let boms: Vec<Value> = (0..140)
        .map(|i| {
            json!({"item_id": ids[i], "activate": true, "lines": components(i).iter().map(|(c, q)|
                json!({"component_id": ids[*c], "quantity": q.to_string()})).collect::<Vec<_>>()})
        })
        .collect();
    let made = app
        .post("/api/v1/mrp/boms/batch", &admin, json!({ "boms": boms }))
        .expect(201);
    assert_eq!(made.body["boms"].as_array().unwrap().len(), 140);
    assert_eq!(made.body["boms"][9]["status"], "active");

    // 3. Planning data: the bought parts take two weeks and come in lots of 100.
    let set = app
        .post(
            "/api/v1/mrp/planning/batch",
            &admin,
            json!({"items": LEVELS[3].clone().map(|i| json!({"item_id": ids[i], "planning": {
                "lead_time_days": 14, "lot_sizing": {"rule": "fixed_order_quantity", "quantity": "100"}
            }})).collect::<Vec<_>>()}),
        )
        .expect(200);
    assert_eq!(set.body["items"].as_array().unwrap().len(), 60);
    assert_eq!(set.body["items"][0]["lead_time_days"], 14);

    // 4. The master schedule of the 40 end items, 12 weeks each, in one request.
    let demand = |i: usize, b: usize| 10 + ((i + b) % 7) as i64;
    let entries: Vec<Value> = LEVELS[0]
        .clone()
        .flat_map(|i| (0..BUCKETS).map(move |b| (i, b)))
        .map(|(i, b)| {
            json!({"item_id": ids[i], "kind": "mps", "due_date": week(b),
                   "quantity": demand(i, b).to_string()})
        })
        .collect();
    let recorded = app
        .post(
            "/api/v1/mrp/demands/batch",
            &admin,
            json!({ "demands": entries }),
        )
        .expect(201);
    assert_eq!(recorded.body["demands"].as_array().unwrap().len(), 480);

    // 5. The run, and 6. the whole plan in one page.
    let run = mrp_run(
        &app,
        &admin,
        json!({"start_date": START, "buckets": BUCKETS}),
    );
    assert_eq!(run["status"], "succeeded", "{run}");
    assert_eq!(run["items_planned"], 200);
    let page = app
        .get(
            &format!(
                "/api/v1/mrp/runs/{}/records?limit=500",
                run["id"].as_str().unwrap()
            ),
            &admin,
        )
        .expect(200);
    let records: HashMap<String, Value> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["item_id"].as_str().unwrap().to_string(), r.clone()))
        .collect();
    assert_eq!(records.len(), 200);
    assert!(page.body["next_cursor"].is_null());

    // The plan is the problem that was loaded: the end items' gross requirements are their
    // schedule, and every component's are its parents' releases times the quantity per.
    let mut expected = vec![vec![0i64; BUCKETS]; 200];
    for (i, e) in expected.iter_mut().enumerate().take(40) {
        for (b, x) in e.iter_mut().enumerate() {
            *x = demand(i, b);
        }
    }
    for i in 0..140 {
        let releases = row(&records[&ids[i]], "planned_order_releases");
        for (c, q) in components(i) {
            for b in 0..BUCKETS {
                expected[c][b] += releases[b] * q;
            }
        }
    }
    for i in 0..200 {
        assert_eq!(
            row(&records[&ids[i]], "gross_requirements"),
            expected[i],
            "item P-{i:03}"
        );
    }
    assert!(
        expected[199].iter().sum::<i64>() > 0,
        "the requirements reach the bought parts"
    );
    let bought = &records[&ids[150]];
    assert_eq!(bought["lead_time_days"], 14);
    assert!(row(bought, "planned_order_receipts")
        .iter()
        .all(|q| q % 100 == 0));
}

#[test]
fn bulk_demands_and_boms_refuse_the_whole_request_naming_each_bad_record() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ea = uom(&app, &admin, "ea");
    let items = app
        .post(
            "/api/v1/inventory/items/batch",
            &admin,
            json!({ "items": (["X", "Y", "Z"].map(|s| json!({"sku": s, "name": s, "base_uom_id": ea}))) }),
        )
        .expect(201);
    let id = |k: usize| items.body["items"][k]["id"].as_str().unwrap().to_string();

    let r = app
        .post(
            "/api/v1/mrp/demands/batch",
            &admin,
            json!({"demands": [
                {"item_id": id(0), "kind": "mps", "due_date": START, "quantity": "5"},
                {"item_id": uuid::Uuid::now_v7(), "kind": "mps", "due_date": START, "quantity": "5"},
                {"item_id": id(1), "kind": "forecast", "due_date": START, "quantity": "0"}
            ]}),
        )
        .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    assert_eq!(fields.len(), 2, "{}", r.body);
    assert!(fields[0].starts_with("demands[1]"), "{}", r.body);
    assert_eq!(fields[1], "demands[2].quantity");
    let r = app
        .post(
            "/api/v1/mrp/planning/batch",
            &admin,
            json!({"items": [
                {"item_id": uuid::Uuid::now_v7(), "planning": {"lead_time_days": 3}},
                {"item_id": id(0), "planning": {"lead_time_days": -1}},
                {"item_id": id(1), "planning": {"lead_time_days": 5}}
            ]}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "items[0]", "{}", r.body);
    assert_eq!(
        r.body["errors"][1]["field"],
        "items[1].planning.lead_time_days"
    );
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 2);
    let y = app
        .get(&format!("/api/v1/mrp/items/{}/planning", id(1)), &admin)
        .expect(200);
    assert!(y.body["lead_time_days"] != 5, "{}", y.body);

    // Routings: an unknown work center refuses the request; then both are set in one.
    let assy = app
        .post(
            "/api/v1/mrp/work-centers",
            &admin,
            json!({"code": "ASSY", "name": "Assembly", "hours_per_day": "8", "cost_per_hour": "30"}),
        )
        .expect(201)
        .id();
    let routing = |item: String, center: String| {
        json!({"item_id": item, "routing": {"operations": [
            {"seq": 10, "name": "Assemble", "work_center_id": center, "run_hours": "0.5"}
        ]}})
    };
    let r = app
        .post(
            "/api/v1/mrp/routings/batch",
            &admin,
            json!({"items": [routing(id(0), assy.clone()), routing(id(1), uuid::Uuid::now_v7().to_string())]}),
        )
        .expect_problem(422, "validation_failed");
    assert!(
        r.error_fields()[0].starts_with("items[1].routing.operations[0]"),
        "{}",
        r.body
    );
    let none = app
        .get(&format!("/api/v1/mrp/items/{}/routing", id(0)), &admin)
        .expect(200);
    assert_eq!(none.body["operations"], json!([]), "{}", none.body);
    let set = app
        .post(
            "/api/v1/mrp/routings/batch",
            &admin,
            json!({"items": [routing(id(0), assy.clone()), routing(id(1), assy)]}),
        )
        .expect(200);
    assert_eq!(set.body["items"][1]["operations"][0]["name"], "Assemble");
    let one = app
        .get(&format!("/api/v1/mrp/items/{}/routing", id(1)), &admin)
        .expect(200);
    assert_eq!(one.body, set.body["items"][1]);

    let kept = app.get("/api/v1/mrp/demands", &admin).expect(200);
    assert_eq!(
        kept.body["items"],
        json!([]),
        "the good first demand was not kept"
    );

    // Z's BOM is fine; X and Y use each other: the second closes a cycle.
    let bom = |item: String, component: String| json!({"item_id": item, "activate": true, "lines": [{"component_id": component, "quantity": "1"}]});
    let r = app
        .post(
            "/api/v1/mrp/boms/batch",
            &admin,
            json!({"boms": [bom(id(2), id(0)), bom(id(0), id(1)), bom(id(1), id(0))]}),
        )
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "boms[2]", "{}", r.body);
    assert!(r.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("cycle"));
    let kept = app.get("/api/v1/mrp/boms", &admin).expect(200);
    assert_eq!(kept.body["items"], json!([]));
}

#[test]
fn a_schedule_and_forecast_file_imports_all_or_nothing() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ea = uom(&app, &admin, "ea");
    app.post(
        "/api/v1/inventory/items/batch",
        &admin,
        json!({ "items": (["BIKE", "WHEEL"].map(|s| json!({"sku": s, "name": s, "base_uom_id": ea}))) }),
    )
    .expect(201);
    let upload = |query: &str, csv: &str| {
        let req = erp_tests::Req {
            raw_body: Some(("text/csv".into(), csv.into())),
            ..erp_tests::Req::default()
        };
        app.send(
            "POST",
            &format!("/api/v1/mrp/import/demands{query}"),
            Some(&admin),
            None,
            &req,
        )
    };
    let listed = || {
        app.get("/api/v1/mrp/demands?limit=500", &admin)
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .clone()
    };

    let bad = "sku,kind,due_date,quantity\n\
               BIKE,mps,2027-01-04,10\n\
               CAR,mps,2027-01-04,1\n\
               BIKE,weekly,2027-01-11,5\n\
               WHEEL,forecast,2027-02-30,5\n\
               WHEEL,forecast,2027-01-11,0\n";
    let r = upload("", bad).expect_problem(422, "validation_failed");
    assert_eq!(
        r.error_fields(),
        [
            "rows[2].sku",
            "rows[3].kind",
            "rows[4].due_date",
            "rows[5].quantity"
        ],
        "{}",
        r.body
    );
    assert!(listed().is_empty(), "nothing half-imported");

    let good = "sku,kind,due_date,quantity,source_type,source_id,note\n\
                BIKE,mps,2027-01-04,10,,,\n\
                BIKE,MPS,2027-01-11,12,,,week two\n\
                WHEEL,forecast,2027-01-11,40,plan,FC-1,\n";
    assert_eq!(
        upload("?dry_run=true", good).expect(200).body["imported"],
        3
    );
    assert!(listed().is_empty(), "a dry run keeps nothing");
    assert_eq!(upload("", good).expect(200).body["imported"], 3);
    let demands = listed();
    assert_eq!(demands.len(), 3);
    let wheel = demands.iter().find(|d| d["kind"] == "forecast").unwrap();
    assert_eq!(
        (wheel["quantity"].as_str(), wheel["due_date"].as_str()),
        (Some("40"), Some("2027-01-11"))
    );
    assert_eq!(wheel["source_id"], "FC-1");
    // The same source again replaces its demand instead of adding one.
    let again = "sku,kind,due_date,quantity,source_type,source_id\n\
                 WHEEL,forecast,2027-01-18,45,plan,FC-1\n";
    upload("", again).expect(200);
    assert_eq!(listed().len(), 3);
    upload(
        "",
        "sku,kind,due_date,quantity,colour\nBIKE,mps,2027-01-04,1,red\n",
    )
    .expect_problem(422, "validation_failed");
}
