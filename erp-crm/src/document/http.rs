use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, read_body, Query};
use erp_core::Ctx;

use super::service::{
    self, DocumentList, DocumentQuery, DocumentResponse, FileBytes, UploadQuery, ACCEPTED_TYPES,
    MAX_DOCUMENT_BYTES,
};
use crate::ids::DocumentId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(upload_document)
        .service(list_documents)
        .service(download_document)
        .service(delete_document);
}

/// Attaches a file (the raw body, typed by its Content-Type) to a customer, deal, sales order
/// or ticket. At most 10 MiB; PDF, PNG, JPEG, text, CSV and office documents, checked against
/// their content.
#[utoipa::path(
    tag = "crm",
    params(UploadQuery),
    request_body(description = "The file, typed by its Content-Type", content(
        (FileBytes = "application/pdf"),
        (FileBytes = "image/png"),
        (FileBytes = "image/jpeg"),
        (FileBytes = "text/plain"),
        (FileBytes = "text/csv"),
        (FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (FileBytes = "application/vnd.oasis.opendocument.text"),
        (FileBytes = "application/vnd.oasis.opendocument.spreadsheet")
    )),
    responses(
        (status = 201, body = DocumentResponse),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json")
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/crm/documents")]
pub async fn upload_document(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    q: Query<UploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let types: Vec<&str> = ACCEPTED_TYPES.iter().map(|(t, _)| *t).collect();
    let (content_type, bytes) = read_body(&req, payload, &types, MAX_DOCUMENT_BYTES).await?;
    let d = ctx
        .db
        .run(move |c| service::upload(c, &actor, q.0, &content_type, bytes))
        .await?;
    Ok(created(&d, format!("/api/v1/crm/documents/{}", d.id)))
}

/// The files attached to a record, without their content.
#[utoipa::path(tag = "crm", params(DocumentQuery), responses((status = 200, body = DocumentList), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/documents")]
pub async fn list_documents(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<DocumentQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::list(c, &actor, q.0)).await?))
}

/// The file itself, with its type and name.
#[utoipa::path(tag = "crm", params(("id" = DocumentId, Path)), responses((status = 200, description = "The file, with the type it was uploaded as", content((FileBytes = "application/pdf"), (FileBytes = "image/png"), (FileBytes = "image/jpeg"), (FileBytes = "text/plain"), (FileBytes = "text/csv"), (FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (FileBytes = "application/vnd.oasis.opendocument.text"), (FileBytes = "application/vnd.oasis.opendocument.spreadsheet"))), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/documents/{id}")]
pub async fn download_document(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<DocumentId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let d = ctx
        .db
        .run(move |c| service::download(c, &actor, id))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(d.content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}\"",
                d.file_name.replace(|c: char| !c.is_ascii(), "_")
            ),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(d.content))
}

/// Delete a document
#[utoipa::path(tag = "crm", params(("id" = DocumentId, Path)), responses((status = 204, description = "Deleted"), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[delete("/crm/documents/{id}")]
pub async fn delete_document(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<DocumentId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    ctx.db.run(move |c| service::delete(c, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
