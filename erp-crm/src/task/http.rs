use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::PageParams;
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::TaskId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_tasks)
        .service(create_task)
        .service(complete_task)
        .service(cancel_task);
}

/// A user's open tasks: all, overdue or due soon (the caller's by default).
#[utoipa::path(tag = "crm", params(PageParams, TaskListQuery), responses((status = 200, body = TaskList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/tasks")]
pub async fn list_tasks(
    ctx: web::Data<Ctx>,
    actor: Actor,
    page: Query<PageParams>,
    q: Query<TaskListQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_tasks(c, &actor, q.0, page.0))
            .await?,
    ))
}

/// Create a task
#[utoipa::path(tag = "crm", request_body = CreateTaskRequest, responses((status = 201, body = TaskResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/tasks")]
pub async fn create_task(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateTaskRequest>,
) -> Result<HttpResponse, AppError> {
    let t = ctx
        .db
        .run(move |c| service::create_task(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &t,
        t.version,
        format!("/api/v1/crm/tasks/{}", t.id),
    ))
}

/// Complete a task
#[utoipa::path(tag = "crm", params(("id" = TaskId, Path)), responses((status = 200, body = TaskResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/tasks/{id}/complete")]
pub async fn complete_task(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<TaskId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let t = ctx
        .db
        .run(move |c| service::finish(c, &actor, id, "complete"))
        .await?;
    Ok(ok_versioned(&t, t.version))
}

/// Cancel a task
#[utoipa::path(tag = "crm", params(("id" = TaskId, Path)), responses((status = 200, body = TaskResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/tasks/{id}/cancel")]
pub async fn cancel_task(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<TaskId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let t = ctx
        .db
        .run(move |c| service::finish(c, &actor, id, "cancel"))
        .await?;
    Ok(ok_versioned(&t, t.version))
}
