use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::ids::PartnerId;
use erp_core::pagination::ListParams;
use erp_core::partner::dto::UpdatePartnerRequest;
use erp_core::Ctx;

use super::dto::*;
use super::import::CustomerImportReport;
use super::merge::{MergeRequest, MergeResult};
use super::{export, import, merge, service};
use crate::ids::ContactId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_customers)
        .service(create_customers)
        .service(create_customer)
        .service(get_customer)
        .service(update_customer)
        .service(update_personal_data)
        .service(add_contact)
        .service(update_contact)
        .service(remove_contact)
        .service(import_customers)
        .service(export_customers)
        .service(merge_customers);
}

/// The caller's customers (everyone's with `crm.all`).
#[utoipa::path(tag = "crm", params(ListParams, CustomerListQuery), responses((status = 200, body = CustomerPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/customers")]
pub async fn list_customers(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<CustomerListQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_customers(c, &actor, &params.0, q.0))
            .await?,
    ))
}

/// Creates a customer card in one request: a new partner (or an existing one), its status,
/// source, owner, tags, attributes and contact people.
#[utoipa::path(tag = "crm", request_body = CreateCustomerRequest, responses((status = 201, body = CustomerResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/customers")]
pub async fn create_customer(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateCustomerRequest>,
) -> Result<HttpResponse, AppError> {
    let c = ctx
        .db
        .run(move |conn| service::create_customer(conn, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &c,
        c.version,
        format!("/api/v1/crm/customers/{}", c.id),
    ))
}

/// Create up to 1,000 customer cards at once
///
/// All or nothing: each card is checked as a single create would check it (with its partner
/// and contact people); when any is refused, none is created and the 422 names every refused
/// card by its index, e.g. `customers[3].partner.name`.
#[utoipa::path(tag = "crm", params(erp_core::batch::DryRun), request_body = CreateCustomersRequest, responses((status = 201, body = CustomerBatch), (status = 200, body = CustomerBatch, description = "A dry run: what the request would do; nothing is kept")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/customers/batch")]
pub async fn create_customers(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateCustomersRequest>,
    dry: Query<erp_core::batch::DryRun>,
) -> Result<HttpResponse, AppError> {
    erp_core::http::bulk(&ctx, dry.0, StatusCode::CREATED, move |c| {
        service::create_customers(c, &actor, body.0)
    })
    .await
}

/// The customer card: partner data (personal data only with `crm.personal_data.read`),
/// contact people, and a summary of deals, tasks and interactions.
#[utoipa::path(tag = "crm", params(("id" = PartnerId, Path)), responses((status = 200, body = CustomerResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/customers/{id}")]
pub async fn get_customer(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PartnerId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c = ctx
        .db
        .run(move |conn| service::get_customer(conn, &actor, id))
        .await?;
    Ok(ok_versioned(&c, c.version))
}

/// Change a customer card
#[utoipa::path(
    tag = "crm",
    params(("id" = PartnerId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = UpdateCustomerRequest,
    responses((status = 200, body = CustomerResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/crm/customers/{id}")]
pub async fn update_customer(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<PartnerId>,
    body: Json<UpdateCustomerRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let c = ctx
        .db
        .run(move |conn| service::update_customer(conn, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&c, c.version))
}

/// Personal data of any customer (names, phones, e-mails, addresses, notes), for the operator
/// with `crm.personal_data.write`; `If-Match` carries the partner's version.
#[utoipa::path(
    tag = "crm",
    params(("id" = PartnerId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the partner version this change is based on")),
    request_body = UpdatePartnerRequest,
    responses((status = 200, body = CustomerResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/crm/customers/{id}/personal-data")]
pub async fn update_personal_data(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<PartnerId>,
    body: Json<UpdatePartnerRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let c = ctx
        .db
        .run(move |conn| service::update_personal_data(conn, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&c, c.version))
}

/// Corrects a contact person (name, position, phone, e-mail, notes), with
/// `crm.personal_data.write`; `If-Match` carries the contact's version.
#[utoipa::path(
    tag = "crm",
    params(("id" = PartnerId, Path), ("contact_id" = ContactId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the contact version this change is based on")),
    request_body = UpdateContactRequest,
    responses((status = 200, body = ContactResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/crm/customers/{id}/contacts/{contact_id}")]
pub async fn update_contact(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<(PartnerId, ContactId)>,
    body: Json<UpdateContactRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let ids = path.into_inner();
    let k = ctx
        .db
        .run(move |conn| service::update_contact(conn, &actor, ids, version, body.0))
        .await?;
    Ok(ok_versioned(&k, k.version))
}

/// Removes a contact person from the card, with `crm.personal_data.write`: their phone,
/// e-mail and notes are erased; their name stays on the history that names them.
#[utoipa::path(
    tag = "crm",
    params(("id" = PartnerId, Path), ("contact_id" = ContactId, Path)),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[delete("/crm/customers/{id}/contacts/{contact_id}")]
pub async fn remove_contact(
    ctx: web::Data<Ctx>,
    actor: Actor,
    path: web::Path<(PartnerId, ContactId)>,
) -> Result<HttpResponse, AppError> {
    let ids = path.into_inner();
    ctx.db
        .run(move |conn| service::remove_contact(conn, &actor, ids))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add a contact person to a customer
#[utoipa::path(tag = "crm", params(("id" = PartnerId, Path)), request_body = ContactInput, responses((status = 201, body = ContactResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/customers/{id}/contacts")]
pub async fn add_contact(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PartnerId>,
    body: Json<ContactInput>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let k = ctx
        .db
        .run(move |conn| service::add_contact(conn, &actor, id, body.0))
        .await?;
    Ok(created_versioned(
        &k,
        k.version,
        format!("/api/v1/crm/customers/{id}"),
    ))
}

erp_core::csv_import_route!(
    /// Imports customers and contact people from CSV (columns: name, kind, phone, email, tax_id,
    /// status, source, region, segment, tags separated by `;`, contact_name, contact_phone,
    /// contact_email). A row with the phone, e-mail or tax id of a customer (or of an earlier
    /// row) is merged into it; bad rows are rejected and reported, the rest imported.
    import_customers,
    "/crm/customers/import",
    tag = "crm",
    report = CustomerImportReport,
    import = import::import_customers
);

/// Export customers as CSV
///
/// The customers the caller reaches, with the filters of `GET /crm/customers`, in the
/// columns `POST /crm/customers/import` reads: one row per contact person, each repeating the
/// card (the import recognises them by its phone, e-mail or tax id), a card without contact
/// people on one row. Phones and e-mails as the card shows them: only with
/// `crm.personal_data.read`.
#[utoipa::path(
    tag = "crm",
    params(CustomerListQuery),
    responses((status = 200, description = "CSV: name, kind, phone, email, tax_id, status, source, region, segment, tags, contact_name, contact_phone, contact_email", content_type = "text/csv", body = String)),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/crm/export/customers")]
pub async fn export_customers(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<CustomerListQuery>,
) -> Result<HttpResponse, AppError> {
    let csv = ctx
        .db
        .run(move |c| export::export_customers(c, &actor, q.0))
        .await?;
    Ok(erp_core::http::csv_file("customers.csv", csv))
}

/// Merges a duplicate into this customer, keeping all history: interactions, deals, tasks,
/// orders, tickets, contact people and campaign responses move over; the duplicate goes.
#[utoipa::path(tag = "crm", params(("id" = PartnerId, Path)), request_body = MergeRequest, responses((status = 200, body = MergeResult), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/customers/{id}/merge")]
pub async fn merge_customers(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PartnerId>,
    body: Json<MergeRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| merge::merge(c, &actor, id, body.0))
            .await?,
    ))
}
