//! The black-box test harness: each test starts the real server on port 0 with a fresh
//! database and speaks HTTP to it.
//!
//! SQLite by default (a temporary file per test). With `ERP_TEST_DATABASE_URL=postgres://...`
//! every test gets its own PostgreSQL database, dropped afterwards.

pub mod bench;
pub mod builders;
pub mod finance;
pub mod mrp_data;
pub mod pdf;
pub mod receiver;
pub mod record;

use std::collections::HashMap;
use std::sync::mpsc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::Connection;
use serde_json::{json, Value};

pub use serde_json;

/// The admin password every test server starts with.
pub const ADMIN_PASSWORD: &str = "admin-password-1";
/// The token secret of test servers, so tests can forge and expire tokens.
pub const JWT_SECRET: &str = "test-secret-that-is-at-least-32-bytes-long";

/// The claims of an access token (its payload, unverified: the tests made the server).
pub fn claims_of(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("a JWT has a payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url payload");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

/// A running server on a fresh database.
pub struct TestApp {
    pub base: String,
    pub database_url: String,
    handle: actix_web::dev::ServerHandle,
    cleanup: Cleanup,
    agent: ureq::Agent,
}

enum Cleanup {
    SqliteFile(std::path::PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

/// A response: status, headers (lower-case names) and the body as JSON (Null when empty).
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Resp {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// The `field` of each entry of a problem's `errors`, in order.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asserts a problem+json error with this status and code.
    #[track_caller]
    pub fn expect_problem(self, status: u16, code: &str) -> Resp {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "errors are problem+json; body: {}",
            self.text
        );
        assert_eq!(
            self.body["code"], code,
            "unexpected problem code; body: {}",
            self.text
        );
        assert_eq!(self.body["status"], status);
        self
    }

    pub fn id(&self) -> String {
        self.body["id"]
            .as_str()
            .expect("response has an id")
            .to_string()
    }
}

/// Options of a request beyond method, path and body.
#[derive(Debug, Default, Clone)]
pub struct Req {
    pub headers: Vec<(String, String)>,
    /// Sent as-is instead of JSON.
    pub raw_body: Option<(String, String)>,
}

fn admin_url_of(url: &str) -> (String, String) {
    // postgres://user@host:port/dbname?params -> (prefix up to the last '/', params)
    let (no_params, params) = match url.split_once('?') {
        Some((a, b)) => (a.to_string(), format!("?{b}")),
        None => (url.to_string(), String::new()),
    };
    let cut = no_params.rfind('/').expect("a database URL has a path");
    (no_params[..cut].to_string(), params)
}

impl TestApp {
    /// Starts a server on a fresh database of the backend under test.
    pub fn spawn() -> TestApp {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let (database_url, cleanup) = match std::env::var("ERP_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => {
                let (prefix, params) = admin_url_of(&url);
                let name = format!("erp_test_{id}");
                let mut admin = diesel::pg::PgConnection::establish(&url)
                    .unwrap_or_else(|e| panic!("cannot connect to ERP_TEST_DATABASE_URL: {e}"));
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create the test database");
                (
                    format!("{prefix}/{name}{params}"),
                    Cleanup::PostgresDatabase {
                        admin_url: url,
                        name,
                    },
                )
            }
            _ => {
                let dir = std::env::temp_dir().join("erp-tests");
                std::fs::create_dir_all(&dir).expect("temp dir");
                let path = dir.join(format!("{id}.db"));
                (
                    format!("sqlite://{}", path.display()),
                    Cleanup::SqliteFile(path),
                )
            }
        };
        let mut settings = erp_api::Settings::for_database(database_url.clone());
        settings.bind = "127.0.0.1:0".into();
        settings.admin_password = Some(ADMIN_PASSWORD.into());
        settings.jwt_secret = Some(JWT_SECRET.into());
        settings.workers = Some(4);
        Self::spawn_with(settings, cleanup)
    }

    /// A second server process on the same database (as behind a load balancer).
    pub fn another_on_same_database(&self) -> TestApp {
        let mut settings = erp_api::Settings::for_database(self.database_url.clone());
        settings.bind = "127.0.0.1:0".into();
        settings.jwt_secret = Some(JWT_SECRET.into());
        settings.workers = Some(4);
        Self::spawn_with(settings, Cleanup::SqliteFile(std::path::PathBuf::new()))
    }

    fn spawn_with(settings: erp_api::Settings, cleanup: Cleanup) -> TestApp {
        let database_url = settings.database_url.clone();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                match erp_api::Application::build(settings) {
                    Ok(app) => {
                        tx.send(Ok((app.port(), app.handle()))).ok();
                        app.run_until_stopped().await.ok();
                    }
                    Err(e) => {
                        tx.send(Err(e)).ok();
                    }
                }
            })
        });
        let (port, handle) = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server starts")
            .unwrap_or_else(|e| panic!("the server failed to start: {e}"));
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            database_url,
            handle,
            cleanup,
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(120))
                .build(),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    /// Sends a request; `token` is sent as a bearer token.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        opts: &Req,
    ) -> Resp {
        let mut r = self
            .agent
            .request(method, &format!("{}{}", self.base, path));
        if let Some(t) = token {
            r = r.set("Authorization", &format!("Bearer {t}"));
        }
        for (k, v) in &opts.headers {
            r = r.set(k, v);
        }
        let json_body = body.map(Value::to_string);
        let sent = match (&opts.raw_body, &json_body) {
            (Some((ct, raw)), _) => record::Sent {
                content_type: Some(ct),
                body: Some(raw),
            },
            (None, Some(b)) => record::Sent {
                content_type: Some("application/json"),
                body: Some(b),
            },
            (None, None) => record::Sent {
                content_type: None,
                body: None,
            },
        };
        let result = match (sent.content_type, sent.body) {
            (Some(ct), Some(raw)) => r.set("Content-Type", ct).send_string(raw),
            _ => r.call(),
        };
        let response = match result {
            Ok(resp) => resp,
            Err(ureq::Error::Status(_, resp)) => resp,
            Err(e) => panic!("{method} {path}: transport error {e}"),
        };
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .filter_map(|n| {
                response
                    .header(&n)
                    .map(|v| (n.to_ascii_lowercase(), v.to_string()))
            })
            .collect();
        let content_type = response.content_type().to_string();
        let text = response.into_string().unwrap_or_default();
        record::exchange(method, path, sent, status, &content_type, &text);
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if content_type == "application/problem+json" {
            let code = body["code"].as_str().unwrap_or_default();
            assert!(
                erp_core::problem_codes::is_known(code),
                "{method} {path} answered the problem code {code:?}, which the contract's \
                 ProblemCode does not list: add it to erp-core/src/problem_codes.rs"
            );
        }
        Resp {
            status,
            headers,
            body,
            text,
        }
    }

    pub fn get(&self, path: &str, token: &str) -> Resp {
        self.send("GET", path, Some(token), None, &Req::default())
    }

    pub fn post(&self, path: &str, token: &str, body: Value) -> Resp {
        self.send("POST", path, Some(token), Some(&body), &Req::default())
    }

    /// POST of a CSV file (an import).
    pub fn post_csv(&self, path: &str, token: &str, csv: &str) -> Resp {
        let opts = Req {
            raw_body: Some(("text/csv".into(), csv.into())),
            ..Req::default()
        };
        self.send("POST", path, Some(token), None, &opts)
    }

    /// PATCH with `If-Match` set to `version`.
    pub fn patch(&self, path: &str, token: &str, version: i64, body: Value) -> Resp {
        let opts = Req {
            headers: vec![("If-Match".into(), format!("\"{version}\""))],
            ..Req::default()
        };
        self.send("PATCH", path, Some(token), Some(&body), &opts)
    }

    /// GET of a binary body (a PDF, a file): status, content type and the bytes.
    pub fn get_bytes(&self, path: &str, token: &str) -> (u16, String, Vec<u8>) {
        let r = self
            .agent
            .get(&format!("{}{}", self.base, path))
            .set("Authorization", &format!("Bearer {token}"));
        let response = match r.call() {
            Ok(resp) => resp,
            Err(ureq::Error::Status(_, resp)) => resp,
            Err(e) => panic!("GET {path}: transport error {e}"),
        };
        let status = response.status();
        let content_type = response.header("content-type").unwrap_or("").to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut response.into_reader(), &mut bytes).expect("body");
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) if !content_type.contains("pdf") => text,
            _ => "",
        };
        let sent = record::Sent {
            content_type: None,
            body: None,
        };
        record::exchange("GET", path, sent, status, &content_type, text);
        (status, content_type, bytes)
    }

    pub fn delete(&self, path: &str, token: &str) -> Resp {
        self.send("DELETE", path, Some(token), None, &Req::default())
    }

    /// Logs in and returns the whole token response.
    pub fn login_response(&self, username: &str, password: &str) -> Resp {
        self.send(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(&json!({"username": username, "password": password})),
            &Req::default(),
        )
    }

    pub fn login(&self, username: &str, password: &str) -> String {
        let r = self.login_response(username, password).expect(200);
        r.body["access_token"]
            .as_str()
            .expect("access token")
            .to_string()
    }

    pub fn admin_token(&self) -> String {
        self.login("admin", ADMIN_PASSWORD)
    }

    /// Opens a direct database connection (for checks a client cannot make).
    pub fn db(&self) -> erp_core::db::Db {
        let url = erp_core::db::DbUrl::parse(&self.database_url).expect("url");
        let mut options = erp_core::db::PoolOptions::for_backend(url.backend());
        options.max_size = 2;
        erp_core::db::Db::connect(&url, &options).expect("connect")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
        match &self.cleanup {
            Cleanup::SqliteFile(path) if !path.as_os_str().is_empty() => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    std::fs::remove_file(p).ok();
                }
            }
            Cleanup::SqliteFile(_) => {}
            Cleanup::PostgresDatabase { admin_url, name } => {
                if let Ok(mut admin) = diesel::pg::PgConnection::establish(admin_url) {
                    admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .ok();
                }
            }
        }
    }
}
