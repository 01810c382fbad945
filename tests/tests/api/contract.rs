//! The published OpenAPI contract: committed, served and generated documents agree, every
//! operation is fully described, and every protected operation refuses a missing token.

use erp_tests::{Req, TestApp};
use serde_json::Value;

const PUBLIC_OPERATIONS: &[&str] = &["live", "ready", "login", "refresh_token", "portal_login"];
const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

fn committed() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let text = std::fs::read_to_string(path).expect("openapi/openapi.json is committed");
    serde_json::from_str(&text).expect("openapi/openapi.json is JSON")
}

fn generated() -> Value {
    serde_json::to_value(erp_api::openapi_document()).unwrap()
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            if let Some(op) = item.get(*m) {
                out.push((path.clone(), m.to_string(), op.clone()));
            }
        }
    }
    out
}

#[test]
fn committed_document_matches_the_code() {
    assert!(
        committed() == generated(),
        "openapi/openapi.json is out of date: run `cargo run -q -p erp-api --bin erp -- openapi > openapi/openapi.json`"
    );
}

#[test]
fn served_document_is_the_generated_one() {
    let app = TestApp::spawn();
    let served = app
        .send("GET", "/api/openapi.json", None, None, &Req::default())
        .expect(200);
    assert_eq!(served.body, generated());
    assert_eq!(served.body["openapi"], "3.1.0");
    let docs = app
        .send("GET", "/docs/", None, None, &Req::default())
        .expect(200);
    assert!(docs.text.contains("swagger"), "the docs page is Swagger UI");
    // The page asks no outside validator, folds the operations, filters, and keeps the token.
    let init = app
        .send(
            "GET",
            "/docs/swagger-initializer.js",
            None,
            None,
            &Req::default(),
        )
        .expect(200);
    for setting in [
        r#""validatorUrl": "none""#,
        r#""docExpansion": "none""#,
        r#""filter": true"#,
        r#""persistAuthorization": true"#,
        r#""url": "/api/openapi.json""#,
    ] {
        assert!(init.text.contains(setting), "{setting} in {}", init.text);
    }
    // The root leads there.
    let root = app
        .send("GET", "/", None, None, &Req::default())
        .expect(200);
    assert!(root.text.contains("swagger"), "GET / leads to the docs");
}

#[test]
fn every_operation_is_fully_described() {
    let doc = generated();
    let mut ids = std::collections::HashSet::new();
    for (path, method, op) in operations(&doc) {
        let name = format!("{method} {path}");
        let id = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} has no operationId"));
        assert!(ids.insert(id.to_string()), "operationId {id} is used twice");
        assert!(
            op["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{name} has no tag"
        );
        let responses = op["responses"].as_object().unwrap();
        assert!(
            responses.keys().any(|k| k.starts_with('2')),
            "{name} has no success response"
        );
        for code in ["400", "422", "500"] {
            assert!(
                responses.contains_key(code),
                "{name} does not declare {code}"
            );
        }
        let security = op["security"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} declares no security"));
        // Customers' portal routes take a portal token; every other route a staff one.
        let scheme = if path.starts_with("/api/v1/portal/") {
            "portal_auth"
        } else {
            "bearer_auth"
        };
        if !PUBLIC_OPERATIONS.contains(&id) {
            assert!(
                security.iter().any(|s| s.get(scheme).is_some()),
                "{name} must require {scheme}"
            );
            assert!(
                responses.contains_key("401") && responses.contains_key("403"),
                "{name} lacks 401/403"
            );
        }
        if op.get("requestBody").is_some() {
            let content = &op["requestBody"]["content"];
            let file = id == "upload_document" && content.get("application/pdf").is_some();
            assert!(
                content.get("application/json").is_some()
                    || content.get("text/csv").is_some()
                    || file,
                "{name} body is neither JSON nor CSV nor a document"
            );
        }
    }
    assert!(
        ids.len() > 20,
        "the document lists the operations ({})",
        ids.len()
    );
}

#[test]
fn every_protected_operation_answers_401_without_a_token() {
    let app = TestApp::spawn();
    let doc = generated();
    let some_id = uuid::Uuid::now_v7().to_string();
    let mut checked = 0;
    for (path, method, op) in operations(&doc) {
        if PUBLIC_OPERATIONS.contains(&op["operationId"].as_str().unwrap()) {
            continue;
        }
        let concrete = path.replace("{id}", &some_id);
        let body = op.get("requestBody").map(|_| serde_json::json!({}));
        let r = app.send(
            &method.to_uppercase(),
            &concrete,
            None,
            body.as_ref(),
            &Req::default(),
        );
        assert_eq!(
            r.status, 401,
            "{method} {path} answered {} without a token: {}",
            r.status, r.text
        );
        assert_eq!(
            r.header("content-type"),
            Some("application/problem+json"),
            "{method} {path}"
        );
        checked += 1;
    }
    assert!(checked > 20);
}

/// A misspelt filter never reads as "no filter": every operation of the contract answers a
/// query parameter it does not declare with 400 `unknown_parameter` naming it, before any
/// handler runs; a declared one is never refused so.
#[test]
fn every_operation_refuses_a_query_parameter_it_does_not_take() {
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let doc = generated();
    let some_id = uuid::Uuid::now_v7().to_string();
    let mut checked = 0;
    for (path, method, op) in operations(&doc) {
        let portal = op["security"]
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r.get("portal_auth").is_some()));
        if portal {
            continue; // a portal token comes first; the check is the same code
        }
        let concrete: String = path
            .split('/')
            .map(|seg| {
                if seg.starts_with('{') {
                    some_id.as_str()
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let public = PUBLIC_OPERATIONS.contains(&op["operationId"].as_str().unwrap());
        let token = (!public).then_some(admin.as_str());
        let body = op.get("requestBody").map(|_| serde_json::json!({}));
        let r = app.send(
            &method.to_uppercase(),
            &format!("{concrete}?no_such_filter=1"),
            token,
            body.as_ref(),
            &Req::default(),
        );
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (400, Some("unknown_parameter")),
            "{method} {path}: {}",
            r.text
        );
        assert_eq!(
            r.body["errors"][0]["field"], "no_such_filter",
            "{method} {path}"
        );
        // Each declared query parameter passes the check (whatever the handler then makes of
        // the value).
        for p in op["parameters"].as_array().into_iter().flatten() {
            if p["in"] != "query" {
                continue;
            }
            let name = p["name"].as_str().unwrap();
            let r = app.send(
                &method.to_uppercase(),
                &format!("{concrete}?{name}=1"),
                token,
                body.as_ref(),
                &Req::default(),
            );
            assert_ne!(
                r.body["code"].as_str(),
                Some("unknown_parameter"),
                "{method} {path} refused its own parameter {name}"
            );
        }
        checked += 1;
    }
    assert!(checked > 100, "{checked}");
    // A typo in a filter of the customer list was every card.
    let r = app
        .get("/api/v1/crm/customers?misssing=phone", &admin)
        .expect_problem(400, "unknown_parameter");
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("limit"),
        "{}",
        r.body
    );
}

/// Every permission a service checks is in the catalog, so a role can grant it.
#[test]
fn every_checked_permission_can_be_granted() {
    let catalog = erp_api::app::permission_catalog();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut checked = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() && !name.starts_with('.') && name != "target" && name != "tests" {
                dirs.push(path);
            } else if name.ends_with(".rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for part in text.split(".require(\"").skip(1) {
                    let code = part.split('"').next().unwrap().to_string();
                    checked.push((code, path.display().to_string()));
                }
            }
        }
    }
    assert!(
        checked.len() > 40,
        "found the permission checks ({})",
        checked.len()
    );
    for (code, file) in checked {
        assert!(
            catalog.entries().iter().any(|p| p.code == code),
            "{file} checks {code}, which is not in any module's PERMISSIONS"
        );
    }
}

/// Every `$ref` points at something the document defines (a generated client would fail
/// on a dangling one; a query enum that no body mentions is the usual cause).
#[test]
fn every_reference_resolves() {
    fn walk(v: &Value, doc: &Value, missing: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let target = r
                        .strip_prefix("#/")
                        .map(|p| p.split('/').fold(doc, |at, key| &at[key]));
                    if target.is_none_or(|t| t.is_null()) {
                        missing.push(r.clone());
                    }
                }
                map.values().for_each(|x| walk(x, doc, missing));
            }
            Value::Array(items) => items.iter().for_each(|x| walk(x, doc, missing)),
            _ => {}
        }
    }
    let doc = generated();
    let mut missing = Vec::new();
    walk(&doc, &doc, &mut missing);
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "dangling references: {missing:?}");
}

/// utoipa names a schema after its Rust type and keeps one per name, so two wire types of the
/// same name in different modules would silently share one schema and one of them would be
/// described wrongly (as finance's account rules once were by CRM's automation rules).
#[test]
fn no_two_wire_types_share_a_schema_name() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if name.starts_with("erp-") || (dir != root && name != "target") {
                    stack.push(path);
                }
                continue;
            }
            if !name.ends_with(".rs") || !path.to_string_lossy().contains("/src/") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut derives_schema = false;
            for line in text.lines().map(str::trim) {
                if line.starts_with("#[derive(") {
                    derives_schema = line.contains("ToSchema");
                } else if let Some(rest) = line
                    .strip_prefix("pub struct ")
                    .or_else(|| line.strip_prefix("pub enum "))
                {
                    if derives_schema {
                        let ty: String = rest
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        let here = path.display().to_string();
                        if let Some(other) = seen.insert(ty.clone(), here.clone()) {
                            panic!("the schema name {ty} is used by {other} and {here}");
                        }
                    }
                    derives_schema = false;
                } else if !line.starts_with("#[") && !line.starts_with("///") {
                    derives_schema = false;
                }
            }
        }
    }
    assert!(seen.len() > 100, "found the wire types: {}", seen.len());
}

/// The contract says what the server refuses, so generated clients check before sending: a
/// quantity of 10^13 (an amount scaled by 10^6 no longer fits), a currency that is not three
/// capitals, an `If-Match` that is not a quoted tag, an empty cursor.
#[test]
fn the_contract_declares_the_limits_the_server_keeps() {
    let doc = committed();
    // At most 13 digits before the point: 10^13 is the first quantity the pattern refuses,
    // and the first the server refuses too.
    assert_eq!(
        doc["components"]["schemas"]["Qty"]["pattern"],
        r"^[-+]?\d{1,13}(\.\d{1,6})?$"
    );
    let app = TestApp::spawn();
    let admin = app.admin_token();
    let ea = erp_tests::builders::uom(&app, &admin, "ea");
    let item = erp_tests::builders::item(&app, &admin, "BOLT", serde_json::json!({}));
    app.post(
        "/api/v1/mrp/demands",
        &admin,
        serde_json::json!({"item_id": item, "kind": "mps", "due_date": "2027-01-04", "quantity": "10000000000000", "uom_id": ea}),
    )
    .expect_problem(422, "validation_failed");
    let order = &doc["components"]["schemas"]["CreateOrderRequest"]["properties"]["currency"];
    let currency = order["pattern"]
        .as_str()
        .or_else(|| order["oneOf"][0]["pattern"].as_str())
        .unwrap_or_else(|| panic!("no pattern: {order}"));
    assert_eq!(currency, "^[A-Z]{3}$");
    let mut if_match = 0;
    for (name, _, op) in operations(&doc) {
        for p in op["parameters"].as_array().into_iter().flatten() {
            if p["name"] == "If-Match" {
                assert_eq!(p["schema"]["pattern"], r#"^(W/)?"[0-9]{1,18}"$"#, "{name}");
                if_match += 1;
            }
            if p["name"] == "cursor" {
                assert_eq!(p["schema"]["minLength"], 1, "{name}");
            }
        }
    }
    assert!(if_match > 20, "every versioned change declares If-Match");
}
