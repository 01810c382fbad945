use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use super::dto::*;
use super::service;
use crate::auth::Actor;
use crate::context::Ctx;
use crate::error::{AppError, Problem};
use crate::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use crate::ids::RoleId;
use crate::pagination::ListParams;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_roles)
        .service(create_role)
        .service(get_role)
        .service(update_role)
        .service(delete_role);
}

/// List roles
#[utoipa::path(tag = "iam", params(ListParams), responses((status = 200, body = RolePage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/iam/roles")]
pub async fn list_roles(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_roles(c, &actor, &params.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Create a role
#[utoipa::path(
    tag = "iam",
    request_body = CreateRoleRequest,
    responses((status = 201, body = RoleResponse), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/iam/roles")]
pub async fn create_role(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateRoleRequest>,
) -> Result<HttpResponse, AppError> {
    let ctx2 = ctx.clone();
    let role = ctx
        .db
        .run(move |c| service::create_role(c, &actor, &ctx2.permissions, body.0))
        .await?;
    Ok(created_versioned(
        &role,
        role.version,
        format!("/api/v1/iam/roles/{}", role.id),
    ))
}

/// A role with its permissions
#[utoipa::path(
    tag = "iam",
    params(("id" = RoleId, Path)),
    responses((status = 200, body = RoleResponse), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/iam/roles/{id}")]
pub async fn get_role(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<RoleId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let role = ctx
        .db
        .run(move |c| service::get_role(c, &actor, id))
        .await?;
    Ok(ok_versioned(&role, role.version))
}

/// Change a role
#[utoipa::path(
    tag = "iam",
    params(("id" = RoleId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = UpdateRoleRequest,
    responses(
        (status = 200, body = RoleResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/iam/roles/{id}")]
pub async fn update_role(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<RoleId>,
    body: Json<UpdateRoleRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let ctx2 = ctx.clone();
    let role = ctx
        .db
        .run(move |c| service::update_role(c, &actor, &ctx2.permissions, id, version, body.0))
        .await?;
    Ok(ok_versioned(&role, role.version))
}

/// Delete a role
#[utoipa::path(
    tag = "iam",
    params(("id" = RoleId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version to delete")),
    responses(
        (status = 204, description = "deleted"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[delete("/iam/roles/{id}")]
pub async fn delete_role(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<RoleId>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, None).ok();
    let id = id.into_inner();
    let ctx2 = ctx.clone();
    ctx.db
        .run(move |c| service::delete_role(c, &actor, &ctx2.permissions, id, version))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
