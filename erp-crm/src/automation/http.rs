use actix_web::{delete, get, post, put, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, Json};
use erp_core::ids::UserId;
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::RuleId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_rules)
        .service(create_rule)
        .service(deactivate_rule)
        .service(sweep)
        .service(get_assignment)
        .service(put_assignment)
        .service(workload)
        .service(reassign);
}

/// List automation rules
#[utoipa::path(tag = "crm", responses((status = 200, body = RuleList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/automation/rules")]
pub async fn list_rules(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::list_rules(c, &actor)).await?))
}

/// Adds a rule: a task when a deal enters a stage, a lead from an unknown caller, a follow-up
/// task after days without contact.
#[utoipa::path(tag = "crm", request_body = RuleRequest, responses((status = 201, body = RuleResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/automation/rules")]
pub async fn create_rule(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<RuleRequest>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::create_rule(c, &actor, body.0))
        .await?;
    Ok(created(&r, "/api/v1/crm/automation/rules".into()))
}

/// Switches a rule off (it stays in the list, inactive).
#[utoipa::path(tag = "crm", params(("id" = RuleId, Path)), responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[delete("/crm/automation/rules/{id}")]
pub async fn deactivate_rule(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<RuleId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    ctx.db
        .run(move |c| service::deactivate_rule(c, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Applies the time-based rules (no contact for N days) now; a scheduler calls it daily.
#[utoipa::path(tag = "crm", responses((status = 200, body = SweepResult)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/automation/sweep")]
pub async fn sweep(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::sweep(c, &actor)).await?))
}

/// The lead assignment strategy and its members
#[utoipa::path(tag = "crm", responses((status = 200, body = AssignmentSettings)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/assignment")]
pub async fn get_assignment(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::get_assignment(c, &actor))
            .await?,
    ))
}

/// How new leads (web form, unknown callers) are given to managers.
#[utoipa::path(tag = "crm", request_body = AssignmentSettings, responses((status = 200, body = AssignmentSettings)), security(("bearer_auth" = []), ("api_key" = [])))]
#[put("/crm/assignment")]
pub async fn put_assignment(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<AssignmentSettings>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::put_assignment(c, &actor, body.0))
            .await?,
    ))
}

/// Customers, open deals and open and overdue tasks per manager.
#[utoipa::path(tag = "crm", responses((status = 200, body = Workload)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/workload")]
pub async fn workload(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::workload(c, &actor)).await?))
}

/// Hands a leaving manager's customers, with their open deals and tasks, to another manager
/// (or spreads them by the assignment strategy).
#[utoipa::path(tag = "crm", params(("id" = UserId, Path)), request_body = ReassignRequest, responses((status = 200, body = ReassignResult)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/managers/{id}/reassign")]
pub async fn reassign(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<UserId>,
    body: Json<ReassignRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::reassign(c, &actor, id, body.0))
            .await?,
    ))
}
