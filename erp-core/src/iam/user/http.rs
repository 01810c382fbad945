use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::dto::*;
use super::service;
use crate::auth::Actor;
use crate::context::Ctx;
use crate::error::{AppError, Problem};
use crate::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use crate::ids::UserId;
use crate::pagination::ListParams;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(disable_user)
        .service(enable_user)
        .service(reset_user_password)
        .service(unlock_user)
        .service(get_user_permissions);
}

fn location(u: &UserResponse) -> String {
    format!("/api/v1/iam/users/{}", u.id)
}

/// Users of the caller's company.
#[utoipa::path(tag = "iam", params(ListParams, UserListQuery), responses((status = 200, body = UserPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/iam/users")]
pub async fn list_users(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    query: Query<UserListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_users(c, &actor, &params.0, query.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates a user with roles and allowed branches.
#[utoipa::path(
    tag = "iam",
    request_body = CreateUserRequest,
    responses(
        (status = 201, body = UserResponse),
        (status = 409, description = "user name taken", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/iam/users")]
pub async fn create_user(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateUserRequest>,
) -> Result<HttpResponse, AppError> {
    let ctx2 = ctx.clone();
    let user = ctx
        .db
        .run(move |c| service::create_user(c, &actor, &ctx2.permissions, body.0))
        .await?;
    Ok(created_versioned(&user, user.version, location(&user)))
}

/// A user
#[utoipa::path(
    tag = "iam",
    params(("id" = UserId, Path)),
    responses((status = 200, body = UserResponse), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/iam/users/{id}")]
pub async fn get_user(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let user = ctx
        .db
        .run(move |c| service::get_user(c, &actor, id))
        .await?;
    Ok(ok_versioned(&user, user.version))
}

/// Changes a user. Send the version you read (`If-Match` or `version`); a stale one gets 412.
#[utoipa::path(
    tag = "iam",
    params(("id" = UserId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, body = UserResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/iam/users/{id}")]
pub async fn update_user(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<UserId>,
    body: Json<UpdateUserRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let ctx2 = ctx.clone();
    let user = ctx
        .db
        .run(move |c| service::update_user(c, &actor, &ctx2.permissions, id, version, body.0))
        .await?;
    Ok(ok_versioned(&user, user.version))
}

/// Disables a user: they cannot log in, and their tokens and sessions stop working.
#[utoipa::path(
    tag = "iam",
    params(("id" = UserId, Path)),
    responses((status = 200, body = UserResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/iam/users/{id}/disable")]
pub async fn disable_user(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let ctx2 = ctx.clone();
    let user = ctx
        .db
        .run(move |c| service::set_user_active(c, &actor, &ctx2.permissions, id, false))
        .await?;
    Ok(ok_versioned(&user, user.version))
}

/// Enable a user
#[utoipa::path(
    tag = "iam",
    params(("id" = UserId, Path)),
    responses((status = 200, body = UserResponse), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/iam/users/{id}/enable")]
pub async fn enable_user(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let ctx2 = ctx.clone();
    let user = ctx
        .db
        .run(move |c| service::set_user_active(c, &actor, &ctx2.permissions, id, true))
        .await?;
    Ok(ok_versioned(&user, user.version))
}

/// Sets a new password for a user (administrators); ends the user's sessions.
#[utoipa::path(
    tag = "iam",
    params(("id" = UserId, Path)),
    request_body = ResetPasswordRequest,
    responses((status = 200, body = UserResponse), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/iam/users/{id}/password")]
pub async fn reset_user_password(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<UserId>,
    body: Json<ResetPasswordRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let ctx2 = ctx.clone();
    let user = ctx
        .db
        .run(move |c| {
            service::reset_password(c, &actor, &ctx2.permissions, id, &body.0.new_password)
        })
        .await?;
    Ok(ok_versioned(&user, user.version))
}

/// Lifts a lock that failed logins put on the user (every address), and forgets the failures.
#[utoipa::path(
    tag = "iam",
    params(("id" = UserId, Path)),
    responses((status = 200, body = UserResponse), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/iam/users/{id}/unlock")]
pub async fn unlock_user(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let ctx2 = ctx.clone();
    let user = ctx
        .db
        .run(move |c| service::unlock_user(c, &actor, &ctx2.permissions, id))
        .await?;
    Ok(ok_versioned(&user, user.version))
}

/// What a user may do: grants of their roles, the permissions they allow, their branches.
#[utoipa::path(
    tag = "iam",
    params(("id" = UserId, Path)),
    responses((status = 200, body = UserPermissionsResponse), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/iam/users/{id}/permissions")]
pub async fn get_user_permissions(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let ctx2 = ctx.clone();
    let out = ctx
        .db
        .run(move |c| service::user_permissions(c, &actor, &ctx2.permissions, id))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
