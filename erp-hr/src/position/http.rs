use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::PositionId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_positions)
        .service(create_position)
        .service(get_position)
        .service(update_position);
}

/// Positions of the departments the caller sees, each with its head count planned and filled.
#[utoipa::path(tag = "hr", params(ListParams, PositionListQuery), responses((status = 200, body = PositionPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/positions")]
pub async fn list_positions(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<PositionListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_positions(c, &actor, &params.0, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates a position in a department with its planned head count.
#[utoipa::path(tag = "hr", request_body = CreatePositionRequest, responses((status = 201, body = PositionResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/positions")]
pub async fn create_position(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreatePositionRequest>,
) -> Result<HttpResponse, AppError> {
    let d = ctx
        .db
        .run(move |c| service::create_position(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/hr/positions/{}", d.id);
    Ok(created_versioned(&d, d.version, location))
}

/// One position, with its head count filled today.
#[utoipa::path(tag = "hr", params(("id" = PositionId, Path)), responses((status = 200, body = PositionResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/positions/{id}")]
pub async fn get_position(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PositionId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let d = ctx
        .db
        .run(move |c| service::get_position(c, &actor, id))
        .await?;
    Ok(ok_versioned(&d, d.version))
}

/// Changes a position's title, grade, planned head count or activity.
#[utoipa::path(tag = "hr", params(("id" = PositionId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")), request_body = UpdatePositionRequest, responses((status = 200, body = PositionResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[patch("/hr/positions/{id}")]
pub async fn update_position(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<PositionId>,
    body: Json<UpdatePositionRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let d = ctx
        .db
        .run(move |c| service::update_position(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&d, d.version))
}
