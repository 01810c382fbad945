//! Recording what the tests send and receive, for the contract's examples.
//!
//! With `ERP_RECORD_EXCHANGES=<file>` set, every request the harness sends is appended to that
//! file as one JSON line: method, path, the request body and the response. Nothing is recorded
//! otherwise. `tests/contract/examples.py` picks each operation's example from these lines
//! (docs/API-DESIGN.md, "Examples").

use std::fs::File;
use std::io::Write;
use std::sync::{Mutex, OnceLock};

use serde_json::{json, Value};

fn sink() -> Option<&'static Mutex<File>> {
    static SINK: OnceLock<Option<Mutex<File>>> = OnceLock::new();
    SINK.get_or_init(|| {
        let path = std::env::var_os("ERP_RECORD_EXCHANGES")?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("ERP_RECORD_EXCHANGES {path:?}: {e}"));
        Some(Mutex::new(file))
    })
    .as_ref()
}

/// What was sent: its content type and body, as JSON when it is JSON, else as text.
pub struct Sent<'a> {
    pub content_type: Option<&'a str>,
    pub body: Option<&'a str>,
}

/// Appends one exchange when recording is on; a body that is not JSON is kept as text.
pub fn exchange(
    method: &str,
    path: &str,
    sent: Sent<'_>,
    status: u16,
    content_type: &str,
    text: &str,
) {
    let Some(sink) = sink() else { return };
    let as_value = |text: &str| {
        serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::String(text.to_string()))
    };
    let line = json!({
        "method": method,
        "path": path,
        "request_content_type": sent.content_type,
        "request": sent.body.map(as_value),
        "status": status,
        "response_content_type": content_type,
        "response": if text.is_empty() { Value::Null } else { as_value(text) },
    });
    let mut file = sink.lock().unwrap_or_else(|e| e.into_inner());
    // One write per line, so lines of concurrent tests do not interleave.
    file.write_all(format!("{line}\n").as_bytes())
        .expect("write a recorded exchange");
}
