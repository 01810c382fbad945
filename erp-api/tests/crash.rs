//! Exactly once across a crash: many clients post stock receipts and purchase orders with
//! `Idempotency-Key`, the server is killed with SIGKILL in the middle, restarted on the same
//! database, and every request is sent again with its key. Each key must have produced
//! exactly one effect, and every retry of an answered request replays the first answer.
//!
//! SQLite by default; with `ERP_TEST_DATABASE_URL=postgres://...` on a fresh PostgreSQL
//! database.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::Connection;
use serde_json::{json, Value};

const PASSWORD: &str = "crash-admin-password";

struct Server {
    child: Child,
    base: String,
}

fn start(database_url: &str, data_dir: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_erp"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ERP_DATA_DIR", data_dir)
        .env("ERP_DATABASE_URL", database_url)
        .env("ERP_BIND", "127.0.0.1:0")
        .env("ERP_ADMIN_PASSWORD", PASSWORD)
        .env(
            "ERP_JWT_SECRET",
            "crash-test-secret-that-is-32-bytes-or-more",
        )
        .env("ERP_WORKERS", "4")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut base = None;
    for line in lines {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("ERP listening on ") {
            base = Some(rest.split_whitespace().next().unwrap().to_string());
            break;
        }
    }
    Server {
        child,
        base: base.expect("the server prints its address"),
    }
}

/// (status, body, Idempotent-Replayed) or None when no answer came (the server died).
type Answer = Option<(u16, Value, bool)>;

fn call(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    token: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> Answer {
    let mut req = agent
        .request(method, url)
        .set("Authorization", &format!("Bearer {token}"));
    if let Some(k) = key {
        req = req.set("Idempotency-Key", k);
    }
    let res = match body {
        Some(b) => req.send_json(b.clone()),
        None => req.call(),
    };
    let res = match res {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(_) => return None,
    };
    let status = res.status();
    let replayed = res.header("idempotent-replayed") == Some("true");
    let text = res.into_string().ok()?;
    Some((
        status,
        serde_json::from_str(&text).unwrap_or(Value::Null),
        replayed,
    ))
}

fn ok(answer: Answer, status: u16) -> Value {
    let (s, body, _) = answer.expect("the server answers");
    assert_eq!(s, status, "{body}");
    body
}

fn login(agent: &ureq::Agent, base: &str) -> String {
    let body = json!({"username": "admin", "password": PASSWORD});
    let r = agent
        .post(&format!("{base}/api/v1/auth/login"))
        .send_json(body)
        .unwrap();
    r.into_json::<Value>().unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A fresh database of the backend under test, and how to drop it.
fn fresh_database(dir: &std::path::Path) -> (String, Option<(String, String)>) {
    match std::env::var("ERP_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let name = format!("erp_crash_{}", uuid::Uuid::new_v4().simple());
            let mut admin = diesel::pg::PgConnection::establish(&url).unwrap();
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .unwrap();
            let (no_params, params) = match url.split_once('?') {
                Some((a, b)) => (a.to_string(), format!("?{b}")),
                None => (url.clone(), String::new()),
            };
            let prefix = &no_params[..no_params.rfind('/').unwrap()];
            (format!("{prefix}/{name}{params}"), Some((url, name)))
        }
        _ => (format!("sqlite://{}", dir.join("erp.db").display()), None),
    }
}

#[test]
fn every_key_has_exactly_one_effect_after_a_kill_9() {
    let dir = std::env::temp_dir().join(format!("erp-crash-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let (database_url, cleanup) = fresh_database(&dir);
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();

    let mut server = start(&database_url, &dir);
    let base = server.base.clone();
    let token = login(&agent, &base);
    let api = |p: &str| format!("{base}/api/v1{p}");
    let branch = ok(
        call(&agent, "GET", &api("/org/branches"), &token, None, None),
        200,
    )["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let warehouse = ok(
        call(
            &agent,
            "POST",
            &api("/inventory/warehouses"),
            &token,
            None,
            Some(&json!({"code": "W1", "name": "Main", "branch_id": branch})),
        ),
        201,
    );
    let stock = warehouse["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "STOCK")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let uom = ok(
        call(
            &agent,
            "POST",
            &api("/inventory/uoms"),
            &token,
            None,
            Some(&json!({"code": "ea", "name": "each"})),
        ),
        201,
    )["id"]
        .as_str()
        .unwrap()
        .to_string();
    let item = ok(
        call(
            &agent,
            "POST",
            &api("/inventory/items"),
            &token,
            None,
            Some(&json!({"sku": "BOLT", "name": "Bolt", "base_uom_id": uom})),
        ),
        201,
    )["id"]
        .as_str()
        .unwrap()
        .to_string();
    let supplier = ok(
        call(
            &agent,
            "POST",
            &api("/partners"),
            &token,
            None,
            Some(&json!({"kind": "organisation", "name": "Supplier", "roles": ["supplier"]})),
        ),
        201,
    )["id"]
        .as_str()
        .unwrap()
        .to_string();
    let warehouse_id = warehouse["id"].as_str().unwrap().to_string();

    // Each request: (key, path, body). Receipts say their key in reference_id; purchase
    // orders in their notes.
    let requests: Vec<(String, String, Value)> = (0..240)
        .map(|i| {
            let key = format!("crash-{i}");
            if i % 4 == 3 {
                let body = json!({
                    "supplier_id": supplier, "warehouse_id": warehouse_id, "currency": "EUR",
                    "notes": key, "lines": [{"item_id": item, "quantity": "2", "unit_price": "1.50"}]
                });
                (key, "/inventory/purchase-orders".to_string(), body)
            } else {
                let body = json!({
                    "move_type": "receipt", "item_id": item, "to_location_id": stock,
                    "quantity": "1", "unit_cost": "2.00",
                    "reference_type": "crash_test", "reference_id": key
                });
                (key, "/inventory/stock-moves".to_string(), body)
            }
        })
        .collect();

    // 16 clients send them; the server is killed while they do.
    let answers: Arc<Mutex<HashMap<String, Answer>>> = Default::default();
    let queue = Arc::new(Mutex::new(requests.clone()));
    let mut clients = Vec::new();
    for _ in 0..16 {
        let (queue, answers, agent, token, base) = (
            queue.clone(),
            answers.clone(),
            agent.clone(),
            token.clone(),
            base.clone(),
        );
        clients.push(std::thread::spawn(move || loop {
            let Some((key, path, body)) = queue.lock().unwrap().pop() else {
                return;
            };
            let answer = call(
                &agent,
                "POST",
                &format!("{base}/api/v1{path}"),
                &token,
                Some(&key),
                Some(&body),
            );
            answers.lock().unwrap().insert(key, answer);
        }));
    }
    let started = Instant::now();
    while answers.lock().unwrap().len() < 60 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    for c in clients {
        c.join().unwrap();
    }
    let answers = std::mem::take(&mut *answers.lock().unwrap());
    let answered: Vec<&String> = answers
        .iter()
        .filter(|(_, a)| a.as_ref().is_some_and(|(s, _, _)| *s < 500))
        .map(|(k, _)| k)
        .collect();
    assert!(
        answered.len() >= 60,
        "some requests were answered before the kill"
    );
    assert!(
        answered.len() < requests.len(),
        "the kill came before every request was answered"
    );

    // Restart on the same database; send every request again with its key.
    let server2 = start(&database_url, &dir);
    let base = server2.base.clone();
    let token = login(&agent, &base);
    let mut replayed = 0;
    for (key, path, body) in &requests {
        let (status, again, was_replay) = call(
            &agent,
            "POST",
            &format!("{base}/api/v1{path}"),
            &token,
            Some(key),
            Some(body),
        )
        .expect("the restarted server answers");
        assert_eq!(status, 201, "{key}: {again}");
        if let Some(Some((first_status, first, _))) = answers.get(key) {
            if *first_status < 500 {
                assert!(
                    was_replay,
                    "{key} was answered before the kill, so it is replayed"
                );
                assert_eq!(&again, first, "{key}: the replay is the first answer");
                replayed += 1;
            }
        }
    }
    assert_eq!(replayed, answered.len());

    // Exactly one effect per key.
    let mut effects: BTreeMap<String, usize> = BTreeMap::new();
    let mut collect = |path: &str, key_of: &dyn Fn(&Value) -> Option<String>| {
        let mut cursor: Option<String> = None;
        loop {
            let mut url = format!("{base}/api/v1{path}?limit=500");
            if let Some(c) = &cursor {
                url.push_str(&format!("&cursor={c}"));
            }
            let page = ok(call(&agent, "GET", &url, &token, None, None), 200);
            for row in page["items"].as_array().unwrap() {
                if let Some(k) = key_of(row) {
                    *effects.entry(k).or_default() += 1;
                }
            }
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
    };
    collect("/inventory/stock-moves", &|m: &Value| {
        (m["reference_type"] == "crash_test")
            .then(|| m["reference_id"].as_str().unwrap().to_string())
    });
    collect("/inventory/purchase-orders", &|po: &Value| {
        po["notes"].as_str().map(str::to_string)
    });
    for (key, _, _) in &requests {
        assert_eq!(effects.get(key), Some(&1), "{key} has exactly one effect");
    }
    assert_eq!(effects.len(), requests.len());
    let on_hand = ok(
        call(
            &agent,
            "GET",
            &format!("{base}/api/v1/inventory/stock?item_id={item}"),
            &token,
            None,
            None,
        ),
        200,
    );
    let receipts = requests
        .iter()
        .filter(|(_, p, _)| p.ends_with("stock-moves"))
        .count();
    assert_eq!(
        on_hand["items"][0]["on_hand"].as_str().unwrap(),
        receipts.to_string(),
        "{on_hand}"
    );

    let mut server2 = server2;
    server2.child.kill().ok();
    server2.child.wait().ok();
    if let Some((admin_url, name)) = cleanup {
        let mut admin = diesel::pg::PgConnection::establish(&admin_url).unwrap();
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .ok();
    }
    std::fs::remove_dir_all(dir).ok();
}
