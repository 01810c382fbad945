use actix_web::{get, web, HttpResponse};

use super::dto::{AuditEventPage, AuditListQuery};
use super::service;
use crate::auth::Actor;
use crate::context::Ctx;
use crate::error::AppError;
use crate::http::Query;
use crate::pagination::ListParams;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit_events);
}

/// The audit trail of the company, filtered by entity, user and time.
#[utoipa::path(
    tag = "audit",
    params(ListParams, AuditListQuery),
    responses((status = 200, body = AuditEventPage)),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/audit/events")]
pub async fn list_audit_events(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    query: Query<AuditListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |conn| service::list_events(conn, &actor, &params.0, query.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
