use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::DepartmentId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_departments)
        .service(create_department)
        .service(get_department)
        .service(update_department);
}

/// Departments of the branches the caller works in.
#[utoipa::path(tag = "hr", params(ListParams, DepartmentListQuery), responses((status = 200, body = DepartmentPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/departments")]
pub async fn list_departments(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<DepartmentListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_departments(c, &actor, &params.0, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates a department in a branch, below another of the same branch or at the top.
#[utoipa::path(tag = "hr", request_body = CreateDepartmentRequest, responses((status = 201, body = DepartmentResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/departments")]
pub async fn create_department(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateDepartmentRequest>,
) -> Result<HttpResponse, AppError> {
    let d = ctx
        .db
        .run(move |c| service::create_department(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/hr/departments/{}", d.id);
    Ok(created_versioned(&d, d.version, location))
}

/// One department.
#[utoipa::path(tag = "hr", params(("id" = DepartmentId, Path)), responses((status = 200, body = DepartmentResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/departments/{id}")]
pub async fn get_department(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<DepartmentId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let d = ctx
        .db
        .run(move |c| service::get_department(c, &actor, id))
        .await?;
    Ok(ok_versioned(&d, d.version))
}

/// Changes a department's name, parent, cost center, manager or activity; a department
/// with current employees is not deactivated.
#[utoipa::path(tag = "hr", params(("id" = DepartmentId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")), request_body = UpdateDepartmentRequest, responses((status = 200, body = DepartmentResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[patch("/hr/departments/{id}")]
pub async fn update_department(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<DepartmentId>,
    body: Json<UpdateDepartmentRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let d = ctx
        .db
        .run(move |c| service::update_department(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&d, d.version))
}
