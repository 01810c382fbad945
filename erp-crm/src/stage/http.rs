use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::AppError;
use erp_core::http::Json;
use erp_core::Ctx;

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_stages).service(save_stage);
}

/// The pipeline's stages in order, with their probability.
#[utoipa::path(tag = "crm", responses((status = 200, body = StageList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/stages")]
pub async fn list_stages(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::list_stages(c, &actor)).await?))
}

/// Adds or changes (by code) a pipeline stage.
#[utoipa::path(tag = "crm", request_body = StageRequest, responses((status = 200, body = StageList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/stages")]
pub async fn save_stage(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<StageRequest>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::save_stage(c, &actor, body.0))
            .await?,
    ))
}
