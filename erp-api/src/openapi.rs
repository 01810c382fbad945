//! The OpenAPI document: collected from the routes by utoipa-actix-web, then completed with
//! what every operation shares (error responses, security schemes).

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as Doc, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ERP API",
        description = "One API for inventory, MRP, CRM, finance and HR. Decimals are JSON strings; ids are UUIDs; \
                       errors are application/problem+json. See docs/API-DESIGN.md.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    servers((url = "/", description = "The server that serves this document")),
    components(schemas(erp_core::error::Problem, erp_core::error::FieldError)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Login sessions"),
        (name = "iam", description = "Users, roles, API keys"),
        (name = "org", description = "Companies and branches"),
        (name = "partners", description = "Business partners: customers, suppliers, contacts"),
        (name = "audit", description = "The audit trail"),
        (name = "inventory", description = "Items, warehouses, the stock ledger, reservations, valuation"),
        (name = "crm", description = "Customer cards, contacts, interactions, the sales pipeline, tasks"),
        (name = "mrp", description = "Work centers, BOMs, routings, planning data, demand, MRP runs, planned orders, capacity, production orders"),
        (name = "finance", description = "The double-entry ledger: chart of accounts, fiscal periods, journals, journal entries, trial balance and general ledger"),
        (name = "hr", description = "People and the organisation: departments, positions, employees, transfers, contracts, the org chart and the employee's own record"),
        (name = "portal", description = "The customer self-service portal: a customer's own orders and tickets, with a portal token"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut Doc) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer_auth",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "portal_auth",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("A portal token from /api/v1/portal/login"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "An API key made at /api/v1/iam/api-keys",
            ))),
        );
    }
}

fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            Content::new(Some(Ref::from_schema_name("Problem"))),
        )
        .into()
}

/// Every operation of the document with whether it is a POST.
fn operations_mut(doc: &mut Doc) -> impl Iterator<Item = (bool, &mut Operation)> {
    doc.paths.paths.values_mut().flat_map(|item| {
        [
            (false, &mut item.get),
            (true, &mut item.post),
            (false, &mut item.put),
            (false, &mut item.patch),
            (false, &mut item.delete),
        ]
        .into_iter()
        .filter_map(|(post, op)| op.as_mut().map(|op| (post, op)))
    })
}

/// The security schemes an operation accepts (empty: open).
fn schemes_of(op: &Operation) -> Vec<String> {
    op.security
        .iter()
        .flatten()
        .filter_map(|r| serde_json::to_value(r).ok())
        .filter_map(|v| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()))
        .flatten()
        .collect()
}

/// Adds the error responses every operation can give, where the route did not declare them.
pub fn add_standard_errors(doc: &mut Doc) {
    // A record that others refer to is not deleted: 409 `referenced`, on any DELETE.
    for op in doc
        .paths
        .paths
        .values_mut()
        .filter_map(|i| i.delete.as_mut())
    {
        op.responses
            .responses
            .entry("409".to_string())
            .or_insert_with(|| {
                problem_response("The record is referenced by another and is kept (`referenced`)")
            });
    }
    for (_, op) in operations_mut(doc) {
        let secured = !schemes_of(op).is_empty();
        if !secured {
            // An open operation says so with an empty list: `[{}]` (what `security(())`
            // writes) reads as "a requirement" to generators, which then demand a token.
            op.security = Some(Vec::new());
        }
        let has_body = op.request_body.is_some();
        let filters_by_id = op.parameters.iter().flatten().any(|p| {
            matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query
                && p.name.ends_with("_id"))
        });
        // OpenAPI requires a description on every response; default to the reason phrase.
        for (code, response) in op.responses.responses.iter_mut() {
            if let RefOr::T(r) = response {
                if r.description.is_empty() {
                    r.description = code
                        .parse::<u16>()
                        .ok()
                        .and_then(|c| actix_web::http::StatusCode::from_u16(c).ok())
                        .and_then(|c| c.canonical_reason())
                        .unwrap_or("Response")
                        .to_string();
                }
            }
        }
        let mut add = |code: &str, text: &str| {
            op.responses
                .responses
                .entry(code.to_string())
                .or_insert_with(|| problem_response(text));
        };
        add(
            "400",
            "Malformed request (bad JSON, bad header, a query parameter the operation does not take)",
        );
        if has_body {
            add("413", "Request body too large");
            add("415", "Request body is not application/json");
        }
        add("422", "Invalid input; `errors` names each field and why");
        if filters_by_id {
            add(
                "404",
                "A record named by a filter does not exist (or is not visible)",
            );
        }
        if secured
            || op.operation_id.as_deref() == Some("login")
            || op.operation_id.as_deref() == Some("refresh_token")
        {
            add("401", "Missing, expired or invalid credentials");
        }
        if secured {
            add("403", "The caller lacks the permission");
        }
        add("500", "Internal error (details are logged, not returned)");
        add("503", "The database is unreachable");
    }
}

/// Every currency field says what the server takes: an ISO 4217 code, three capitals, with
/// an example that is one (a generated sample must be a request the contract accepts).
fn tighten_currencies(doc: &mut Doc) {
    use utoipa::openapi::schema::{Schema, SchemaType};
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for schema in components.schemas.values_mut() {
        let RefOr::T(Schema::Object(object)) = schema else {
            continue;
        };
        for (name, property) in object.properties.iter_mut() {
            if name != "currency" && !name.ends_with("_currency") {
                continue;
            }
            let RefOr::T(Schema::Object(p)) = property else {
                continue;
            };
            let text = match &p.schema_type {
                SchemaType::Type(t) => *t == Type::String,
                SchemaType::Array(ts) => ts.contains(&Type::String),
                _ => false,
            };
            if text && p.pattern.is_none() && p.enum_values.is_none() {
                p.pattern = Some("^[A-Z]{3}$".into());
                if p.examples.is_empty() {
                    p.examples = vec![serde_json::json!("EUR")];
                }
            }
        }
    }
}

/// `Problem.code` lists the codes the server answers (`ProblemCode`, an enum), as an open
/// set: a code the client does not know yet is still a string (`anyOf`), so a client made
/// today keeps reading the problems of a later version.
fn declare_problem_codes(doc: &mut Doc) {
    use utoipa::openapi::schema::{AnyOfBuilder, Schema};
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    components.schemas.insert(
        "ProblemCode".into(),
        ObjectBuilder::new()
            .schema_type(Type::String)
            .title(Some("ProblemCode"))
            .description(Some(
                "The stable codes of problem answers (erp-core/src/problem_codes.rs). Treat a code \
                 not listed here by its HTTP status.",
            ))
            .enum_values(Some(erp_core::problem_codes::CODES.iter().copied()))
            .into(),
    );
    let Some(RefOr::T(Schema::Object(problem))) = components.schemas.get_mut("Problem") else {
        return;
    };
    problem.properties.insert(
        "code".into(),
        AnyOfBuilder::new()
            .item(Ref::from_schema_name("ProblemCode"))
            .item(ObjectBuilder::new().schema_type(Type::String))
            .description(Some(
                "Stable machine-readable code, e.g. `validation_failed`, `insufficient_stock`: \
                 one of `ProblemCode`, or a code added later.",
            ))
            .into(),
    );
}

/// `If-Match` says what the server takes: a quoted version tag as the API sends it in `ETag`
/// (a weak one too), so generated clients check it before sending.
fn tighten_if_match(doc: &mut Doc) {
    for (_, op) in operations_mut(doc) {
        for p in op.parameters.iter_mut().flatten() {
            let RefOr::T(p) = p else { continue };
            if p.name == "If-Match" && p.parameter_in == ParameterIn::Header {
                p.schema = Some(RefOr::T(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .pattern(Some(r#"^(W/)?"[0-9]{1,18}"$"#))
                        .examples([serde_json::json!("\"3\"")])
                        .into(),
                ));
            }
        }
    }
}

/// Declares the headers the helpers of `erp_core::http` add: `ETag` on every 200 or 201 whose
/// body is a versioned resource (`ok_versioned`, `created_versioned`: a schema with
/// `version`), `Location` on every 201 whose resource has an `id` and a `GET {path}/{id}`.
pub fn declare_resource_headers(doc: &mut Doc) {
    use utoipa::openapi::schema::Schema;
    let components = doc.components.get_or_insert_with(Default::default);
    let with = |name: &str| -> Vec<String> {
        components
            .schemas
            .iter()
            .filter(|(_, s)| matches!(s, RefOr::T(Schema::Object(o)) if o.properties.contains_key(name)))
            .map(|(n, _)| format!("#/components/schemas/{n}"))
            .collect()
    };
    let (versioned, identified) = (with("version"), with("id"));
    components.headers.insert(
        "ETag".into(),
        RefOr::T(
            HeaderBuilder::new()
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .pattern(Some(r#"^"[0-9]{1,18}"$"#)),
                ))
                .description(Some(
                    "The resource's `version` as a quoted tag: send it back in `If-Match` to \
                     change or delete the resource only if nobody changed it since.",
                ))
                .build(),
        ),
    );
    components.headers.insert(
        "Location".into(),
        RefOr::T(
            HeaderBuilder::new()
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1)),
                ))
                .description(Some("Where the created resource is read (`GET`)."))
                .build(),
        ),
    );
    let readable: Vec<String> = doc
        .paths
        .paths
        .iter()
        .filter(|(_, item)| item.get.is_some())
        .map(|(path, _)| path.clone())
        .collect();
    for (path, item) in doc.paths.paths.iter_mut() {
        let ops = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
        ];
        for op in ops.into_iter().flatten() {
            for (status, response) in op.responses.responses.iter_mut() {
                let RefOr::T(r) = response else { continue };
                if status != "200" && status != "201" {
                    continue;
                }
                let Some(RefOr::T(content)) = r.content.get("application/json") else {
                    continue;
                };
                let Some(RefOr::Ref(schema)) = content.schema.as_ref() else {
                    continue;
                };
                let schema = schema.ref_location.clone();
                if versioned.contains(&schema) {
                    r.headers.insert(
                        "ETag".into(),
                        RefOr::Ref(Ref::new("#/components/headers/ETag")),
                    );
                }
                let by_id = readable.iter().any(|p| {
                    p.strip_prefix(path.as_str()).is_some_and(|rest| {
                        rest.starts_with("/{") && rest.ends_with('}') && !rest[1..].contains('/')
                    })
                });
                if status == "201" && identified.contains(&schema) && by_id {
                    r.headers.insert(
                        "Location".into(),
                        RefOr::Ref(Ref::new("#/components/headers/Location")),
                    );
                }
            }
        }
    }
}

/// Gives every operation a one-line summary: a doc comment written as one paragraph lands in
/// `summary` whole; its first sentence stays there and the whole paragraph becomes (the start
/// of) the description, so generated clients get a short title and the full text.
pub fn tidy_summaries(doc: &mut Doc) {
    tighten_if_match(doc);
    tighten_currencies(doc);
    declare_problem_codes(doc);

    for (_, op) in operations_mut(doc) {
        let Some(summary) = op.summary.clone() else {
            continue;
        };
        if !summary.contains('\n') && summary.chars().count() <= 100 {
            continue;
        }
        let flat = summary.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut first = match flat.find(". ") {
            Some(i) => flat[..i].to_string(),
            None => flat.trim_end_matches('.').to_string(),
        };
        if first.chars().count() > 100 {
            if let Some(i) = first.find(['(', ';', ':']) {
                first.truncate(i);
            }
        }
        let description = match op.description.take() {
            Some(d) if !d.is_empty() => format!("{summary}\n\n{d}"),
            _ => summary,
        };
        op.summary = Some(first.trim_end_matches([',', ' ']).to_string());
        op.description = Some(description);
    }
}

/// What the gateway adds to every operation: the request id on every response, and
/// `Idempotency-Key` on every POST made with a staff token or an API key (the middleware in
/// `middleware::idempotency`).
pub fn add_standard_headers(doc: &mut Doc) {
    let text = |min: usize, max: usize, pattern: &str| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(min))
            .max_length(Some(max))
            .pattern(Some(pattern))
            .build()
    };
    let components = doc.components.get_or_insert_with(Default::default);
    components.headers.insert(
        "RequestId".into(),
        RefOr::T(
            HeaderBuilder::new()
                .schema(Some(text(1, 64, "^[A-Za-z0-9._-]+$")))
                .description(Some(
                    "The request's id: the `X-Request-Id` the client sent when it is 1 to 64 \
                     letters, digits, `.`, `_` or `-`, else a new UUID. Problem bodies carry it \
                     as `request_id`; quote it when reporting a problem.",
                ))
                .build(),
        ),
    );
    components.parameters.insert(
        "IdempotencyKey".into(),
        RefOr::T(
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .schema(Some(text(1, 255, "^[!-~]+$")))
                .description(Some(
                    "Makes the POST safe to retry: a repeat with the same key and body within 24 \
                     hours gets the first response again (with `Idempotent-Replayed: true`) \
                     instead of running twice; the same key with another body is refused with 422.",
                ))
                .build(),
        ),
    );
    for (post, op) in operations_mut(doc) {
        for response in op.responses.responses.values_mut() {
            if let RefOr::T(r) = response {
                r.headers.insert(
                    "X-Request-Id".into(),
                    RefOr::Ref(Ref::new("#/components/headers/RequestId")),
                );
            }
        }
        let staff = schemes_of(op)
            .iter()
            .any(|s| s == "bearer_auth" || s == "api_key");
        if post && staff {
            op.parameters
                .get_or_insert_with(Vec::new)
                .push(RefOr::Ref(Ref::new(
                    "#/components/parameters/IdempotencyKey",
                )));
        }
    }
}
