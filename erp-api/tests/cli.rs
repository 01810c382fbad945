//! The `erp` binary as an operator uses it: configuration errors, migrate, admin commands,
//! and `serve` on a fresh data folder with a login afterwards.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn erp(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_erp"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ERP_DATA_DIR", data_dir)
        .env("ERP_BIND", "127.0.0.1:0");
    cmd
}

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("erp-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn bad_configuration_is_refused_with_a_clear_message() {
    let dir = temp_dir();
    let out = erp(&dir)
        .arg("migrate")
        .env("ERP_DATABASE_URL", "mysql://x/y")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("database_url"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = erp(&dir)
        .arg("migrate")
        .env("ERP_JWT_SECRET", "short")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("jwt_secret"));
    let config = dir.join("erp.toml");
    std::fs::write(&config, "bind = \"nowhere\"\n").unwrap();
    // The environment would win over the file; leave bind to the file here.
    let out = erp(&dir)
        .env_remove("ERP_BIND")
        .args(["--config", config.to_str().unwrap(), "migrate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bind"));
    std::fs::write(&config, "colour = \"red\"\n").unwrap();
    let out = erp(&dir)
        .args(["--config", config.to_str().unwrap(), "migrate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn openapi_prints_the_contract() {
    let out = Command::new(env!("CARGO_BIN_EXE_erp"))
        .arg("openapi")
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
}

#[test]
fn a_fresh_data_folder_serves_and_admin_commands_manage_users() {
    let dir = temp_dir();
    let out = erp(&dir).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // First start: admin created with a generated password, printed once.
    let mut server = erp(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let mut password = None;
    let mut base = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("Created user `admin` with generated password: ") {
            password = Some(rest.trim().to_string());
        }
        if let Some(rest) = line.strip_prefix("ERP listening on ") {
            base = Some(rest.split_whitespace().next().unwrap().to_string());
            break;
        }
    }
    let (password, base) = (
        password.expect("password printed"),
        base.expect("address printed"),
    );
    let login = |user: &str, pw: &str| {
        ureq::post(&format!("{base}/api/v1/auth/login"))
            .send_json(serde_json::json!({"username": user, "password": pw}))
            .map(|r| r.status())
            .unwrap_or_else(|e| match e {
                ureq::Error::Status(code, _) => code,
                other => panic!("{other}"),
            })
    };
    assert_eq!(login("admin", &password), 200);

    let ok = |args: &[&str]| {
        let out = erp(&dir).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    ok(&[
        "admin",
        "create-user",
        "--username",
        "ops",
        "--password",
        "ops-password-1",
    ]);
    assert_eq!(login("ops", "ops-password-1"), 200);
    // Someone guesses the administrator's password until the account is locked; on the host,
    // resetting the password lifts the lock.
    for _ in 0..5 {
        assert_eq!(login("admin", "a-wrong-guess"), 401);
    }
    assert_eq!(login("admin", &password), 429);
    ok(&[
        "admin",
        "reset-password",
        "--username",
        "admin",
        "--password",
        "new-admin-pw-1",
    ]);
    assert_eq!(login("admin", &password), 401);
    assert_eq!(login("admin", "new-admin-pw-1"), 200);
    let out = erp(&dir)
        .args([
            "admin",
            "reset-password",
            "--username",
            "ghost",
            "--password",
            "whatever-1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));

    server.kill().ok();
    server.wait().ok();
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn demo_data_loads_once_and_is_served() {
    let dir = temp_dir();
    let with_pw = |cmd: &mut Command| {
        cmd.env("ERP_ADMIN_PASSWORD", "demo-password-1");
    };
    let mut first = erp(&dir);
    with_pw(&mut first);
    let out = first.arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("300 items"));
    let again = erp(&dir).arg("demo").output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("there already"));

    let mut server = erp(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = BufReader::new(server.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .find_map(|l| {
            l.strip_prefix("ERP listening on ")
                .map(|r| r.split_whitespace().next().unwrap().to_string())
        })
        .expect("address printed");
    let token: serde_json::Value = ureq::post(&format!("{base}/api/v1/auth/login"))
        .send_json(serde_json::json!({"username": "admin", "password": "demo-password-1"}))
        .unwrap()
        .into_json()
        .unwrap();
    let auth = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let get = |path: &str| -> serde_json::Value {
        ureq::get(&format!("{base}{path}"))
            .set("Authorization", &auth)
            .call()
            .unwrap()
            .into_json()
            .unwrap()
    };
    assert_eq!(
        get("/api/v1/inventory/items?limit=500")["items"]
            .as_array()
            .unwrap()
            .len(),
        300
    );
    assert_eq!(
        get("/api/v1/inventory/warehouses")["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        get("/api/v1/inventory/purchase-orders?status=partially_received")["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        get("/api/v1/inventory/transfers?status=shipped")["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let value = get("/api/v1/inventory/valuation");
    assert_ne!(value["total_value"], "0.00");
    server.kill().ok();
    server.wait().ok();
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn json_logs_carry_the_request_id_and_sigterm_stops_the_server_cleanly() {
    let dir = temp_dir();
    let mut server = erp(&dir)
        .env("ERP_LOG_FORMAT", "json")
        .env("ERP_ADMIN_PASSWORD", "json-logs-pw-1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = BufReader::new(server.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .find_map(|l| {
            l.strip_prefix("ERP listening on ")
                .map(|r| r.split_whitespace().next().unwrap().to_string())
        })
        .expect("address printed");
    let r = ureq::get(&format!("{base}/health/live"))
        .set("X-Request-Id", "log-probe-7")
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);

    // SIGTERM: the server stops accepting, finishes what is in flight and exits 0.
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(s) = server.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(40),
            "the server did not stop"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(status.success(), "exit status {status:?}");

    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut server.stderr.take().unwrap(), &mut stderr).unwrap();
    let line = stderr
        .lines()
        .find(|l| l.contains("log-probe-7"))
        .unwrap_or_else(|| panic!("no log line with the request id in:\n{stderr}"));
    let json: serde_json::Value = serde_json::from_str(line).expect("log lines are JSON");
    assert_eq!(json["span"]["request_id"], "log-probe-7", "{json}");
    std::fs::remove_dir_all(dir).ok();
}
