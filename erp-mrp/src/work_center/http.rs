use actix_web::{get, patch, post, put, web, HttpRequest, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, expected_version, ok_versioned, Json};
use erp_core::Ctx;

use super::dto::*;
use super::service;
use crate::ids::WorkCenterId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_work_centers)
        .service(create_work_center)
        .service(get_work_center)
        .service(update_work_center)
        .service(get_staff)
        .service(set_staff);
}

/// List work centers
#[utoipa::path(tag = "mrp", responses((status = 200, body = WorkCenterList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/work-centers")]
pub async fn list_work_centers(
    ctx: web::Data<Ctx>,
    actor: Actor,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_work_centers(c, &actor))
            .await?,
    ))
}

/// Creates a work center with its capacity and calendar.
#[utoipa::path(tag = "mrp", request_body = CreateWorkCenterRequest, responses((status = 201, body = WorkCenterResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/work-centers")]
pub async fn create_work_center(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateWorkCenterRequest>,
) -> Result<HttpResponse, AppError> {
    let w = ctx
        .db
        .run(move |c| service::create_work_center(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &w,
        w.version,
        format!("/api/v1/mrp/work-centers/{}", w.id),
    ))
}

/// A work center
#[utoipa::path(tag = "mrp", params(("id" = WorkCenterId, Path)), responses((status = 200, body = WorkCenterResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/work-centers/{id}")]
pub async fn get_work_center(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<WorkCenterId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let w = ctx
        .db
        .run(move |c| service::get_work_center(c, &actor, id))
        .await?;
    Ok(ok_versioned(&w, w.version))
}

/// Change a work center
#[utoipa::path(
    tag = "mrp",
    params(("id" = WorkCenterId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = UpdateWorkCenterRequest,
    responses(
        (status = 200, body = WorkCenterResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/mrp/work-centers/{id}")]
pub async fn update_work_center(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<WorkCenterId>,
    body: Json<UpdateWorkCenterRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let w = ctx
        .db
        .run(move |c| service::update_work_center(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&w, w.version))
}

/// The employees who staff the work center.
#[utoipa::path(tag = "mrp", params(("id" = WorkCenterId, Path)), responses((status = 200, body = WorkCenterStaff), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/work-centers/{id}/staff")]
pub async fn get_staff(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<WorkCenterId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let out = ctx
        .db
        .run(move |c| service::get_staff(c, &actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Names the employees who staff the work center: its capacity then follows their calendars,
/// holidays and approved leave.
#[utoipa::path(tag = "mrp", params(("id" = WorkCenterId, Path)), request_body = SetStaffRequest, responses((status = 200, body = WorkCenterStaff), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[put("/mrp/work-centers/{id}/staff")]
pub async fn set_staff(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<WorkCenterId>,
    body: Json<SetStaffRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let out = ctx
        .db
        .run(move |c| service::set_staff(c, &actor, id, body.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
