use actix_web::{get, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::ids::PartnerId;
use erp_core::Ctx;

use super::dto::Timeline;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(customer_timeline);
}

/// Everything that happened with the customer, oldest first: interactions, deals and their
/// stages, tasks.
#[utoipa::path(tag = "crm", params(("id" = PartnerId, Path)), responses((status = 200, body = Timeline), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/customers/{id}/timeline")]
pub async fn customer_timeline(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PartnerId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |conn| service::timeline(conn, &actor, id))
            .await?,
    ))
}
