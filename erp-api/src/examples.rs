//! Each operation's example: a request and a response the test suite really exchanged with
//! the server, kept in `openapi/examples.json` (chosen by `tests/contract/examples.py`, which
//! also checks them against the contract in CI) and merged into the document here.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use utoipa::openapi::{OpenApi as Doc, RefOr};

const RECORDED: &str = include_str!("../../openapi/examples.json");

#[derive(Deserialize)]
struct Recorded {
    request: Option<Body>,
    response: Option<Body>,
}

#[derive(Deserialize)]
struct Body {
    /// Only in a response: the status it came with.
    status: Option<String>,
    content_type: String,
    value: Value,
}

fn recorded() -> BTreeMap<String, Recorded> {
    // The file is committed and checked in CI; a broken one fails the contract test at once.
    serde_json::from_str(RECORDED).expect("openapi/examples.json holds recorded examples")
}

/// Puts each recorded example on its operation's request and response content.
pub fn add_examples(doc: &mut Doc) {
    let recorded = recorded();
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            ("GET", &mut item.get),
            ("POST", &mut item.post),
            ("PUT", &mut item.put),
            ("PATCH", &mut item.patch),
            ("DELETE", &mut item.delete),
        ];
        for (method, op) in operations {
            let (Some(op), Some(example)) = (op, recorded.get(&format!("{method} {path}"))) else {
                continue;
            };
            if let (Some(sent), Some(RefOr::T(body))) = (&example.request, op.request_body.as_mut())
            {
                if let Some(RefOr::T(content)) = body.content.get_mut(&sent.content_type) {
                    content.example = Some(sent.value.clone());
                }
            }
            let Some(got) = &example.response else {
                continue;
            };
            let status = got.status.as_deref().unwrap_or("200");
            if let Some(RefOr::T(response)) = op.responses.responses.get_mut(status) {
                if let Some(RefOr::T(content)) = response.content.get_mut(&got.content_type) {
                    content.example = Some(got.value.clone());
                }
            }
        }
    }
}
