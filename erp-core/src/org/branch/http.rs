use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::dto::*;
use super::service;
use crate::auth::Actor;
use crate::context::Ctx;
use crate::error::{AppError, Problem};
use crate::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use crate::ids::BranchId;
use crate::pagination::ListParams;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_branches)
        .service(create_branch)
        .service(get_branch)
        .service(update_branch);
}

/// Branches of the company that the caller may see.
#[utoipa::path(tag = "org", params(ListParams), responses((status = 200, body = BranchPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/org/branches")]
pub async fn list_branches(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_branches(c, &actor, &params.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates a branch.
#[utoipa::path(
    tag = "org",
    request_body = CreateBranchRequest,
    responses((status = 201, body = BranchResponse), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/org/branches")]
pub async fn create_branch(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateBranchRequest>,
) -> Result<HttpResponse, AppError> {
    let c = ctx
        .db
        .run(move |conn| service::create_branch(conn, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &c,
        c.version,
        format!("/api/v1/org/branches/{}", c.id),
    ))
}

/// A branch
#[utoipa::path(
    tag = "org",
    params(("id" = BranchId, Path)),
    responses((status = 200, body = BranchResponse), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/org/branches/{id}")]
pub async fn get_branch(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<BranchId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c = ctx
        .db
        .run(move |conn| service::get_branch(conn, &actor, id))
        .await?;
    Ok(ok_versioned(&c, c.version))
}

/// Change a branch
#[utoipa::path(
    tag = "org",
    params(("id" = BranchId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = UpdateBranchRequest,
    responses(
        (status = 200, body = BranchResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/org/branches/{id}")]
pub async fn update_branch(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<BranchId>,
    body: Json<UpdateBranchRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let c = ctx
        .db
        .run(move |conn| service::update_branch(conn, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&c, c.version))
}
