use actix_web::{get, put, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::AppError;
use erp_core::http::{Json, Query};
use erp_core::pagination::PageParams;
use erp_core::Ctx;

use super::service::{
    self, NotificationList, NotificationQuery, TemplateList, TemplateRequest, TemplateResponse,
};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(save_message_template)
        .service(list_message_templates)
        .service(list_notifications);
}

/// Sets the message customers get for an order event on a channel (replacing the one there).
#[utoipa::path(tag = "crm", request_body = TemplateRequest, responses((status = 200, body = TemplateResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[put("/crm/message-templates")]
pub async fn save_message_template(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<TemplateRequest>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::save_message_template(c, &actor, body.0))
            .await?,
    ))
}

/// List customer message templates
#[utoipa::path(tag = "crm", responses((status = 200, body = TemplateList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/message-templates")]
pub async fn list_message_templates(
    ctx: web::Data<Ctx>,
    actor: Actor,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_message_templates(c, &actor))
            .await?,
    ))
}

/// Messages sent (or skipped) to customers, with their state at the gateway.
#[utoipa::path(tag = "crm", params(PageParams, NotificationQuery), responses((status = 200, body = NotificationList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/notifications")]
pub async fn list_notifications(
    ctx: web::Data<Ctx>,
    actor: Actor,
    page: Query<PageParams>,
    q: Query<NotificationQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_notifications(c, &actor, q.0, page.0))
            .await?,
    ))
}
