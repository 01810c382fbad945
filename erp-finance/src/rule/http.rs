use actix_web::{get, put, web, HttpResponse};
use erp_core::error::AppError;
use erp_core::http::Json;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_account_rules).service(set_account_rule);
}

/// The accounts automatic postings use, by event and scope.
#[utoipa::path(tag = "finance", responses((status = 200, body = AccountRuleList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/account-rules")]
pub async fn list_account_rules(
    ctx: web::Data<Ctx>,
    actor: Actor,
) -> Result<HttpResponse, AppError> {
    let out = ctx.db.run(move |c| service::list_rules(c, &actor)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Sets the account of an event, by default or for one warehouse or item category.
#[utoipa::path(tag = "finance", request_body = SetAccountRuleRequest, responses((status = 200, body = AccountRuleResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[put("/finance/account-rules")]
pub async fn set_account_rule(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<SetAccountRuleRequest>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::set_rule(c, &actor, body.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
