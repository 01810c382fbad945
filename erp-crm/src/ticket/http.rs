use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::PageParams;
use erp_core::Ctx;

use super::service::{
    self, ComplaintQuery, ComplaintReport, CreateTicketRequest, ResolveTicketRequest, TicketList,
    TicketQuery, TicketResponse,
};
use crate::ids::TicketId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_tickets)
        .service(create_ticket)
        .service(resolve_ticket)
        .service(complaint_report);
}

/// Tickets (the caller's; everyone's with `crm.all`), by SLA due time.
#[utoipa::path(tag = "crm", params(PageParams, TicketQuery), responses((status = 200, body = TicketList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/tickets")]
pub async fn list_tickets(
    ctx: web::Data<Ctx>,
    actor: Actor,
    page: Query<PageParams>,
    q: Query<TicketQuery>,
) -> Result<HttpResponse, AppError> {
    let list = ctx
        .db
        .run(move |c| service::list(c, &actor, q.0, page.0))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Opens a complaint or service ticket for a customer (and order); the customer's manager owns it.
#[utoipa::path(tag = "crm", request_body = CreateTicketRequest, responses((status = 201, body = TicketResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/tickets")]
pub async fn create_ticket(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateTicketRequest>,
) -> Result<HttpResponse, AppError> {
    let t = ctx
        .db
        .run(move |c| service::create_ticket(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &t,
        t.version,
        "/api/v1/crm/tickets".into(),
    ))
}

/// Resolve a ticket
#[utoipa::path(tag = "crm", params(("id" = TicketId, Path)), request_body = ResolveTicketRequest, responses((status = 200, body = TicketResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/tickets/{id}/resolve")]
pub async fn resolve_ticket(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<TicketId>,
    body: Json<ResolveTicketRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let t = ctx
        .db
        .run(move |c| service::resolve(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&t, t.version))
}

/// Complaints per month and cause.
#[utoipa::path(tag = "crm", params(ComplaintQuery), responses((status = 200, body = ComplaintReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/reports/complaints")]
pub async fn complaint_report(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<ComplaintQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::complaints(c, &actor, q.0))
            .await?,
    ))
}
