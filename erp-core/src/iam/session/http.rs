use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::dto::*;
use super::{service, throttle};
use crate::auth::{password, Actor};
use crate::context::Ctx;
use crate::error::{AppError, Problem};
use crate::http::{client_address, Json};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login)
        .service(refresh_token)
        .service(logout)
        .service(get_me)
        .service(change_password);
}

/// Logs in with user name and password; returns an access token and a refresh token.
/// Repeated failures lock the account from that address, then the address and the account
/// (429 with `Retry-After`; see docs/security.md).
#[utoipa::path(tag = "auth", request_body = LoginRequest, responses((status = 200, body = TokenResponse), (status = 429, body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the lock ends")))), security(()))]
#[post("/auth/login")]
pub async fn login(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    let address = client_address(&req);
    let LoginRequest {
        username,
        password: pw,
    } = body.0;
    let addr = address.clone();
    let user = ctx
        .db
        .run(move |c| {
            let user = service::find_login_user(c, &username)?;
            throttle::check(c, user.as_ref().map(|u| u.id), &addr)?;
            Ok(user)
        })
        .await?;
    // argon2 runs on the blocking pool without holding a database connection.
    let (user, ok) = web::block(move || match user {
        Some(u) => {
            let ok = u.active && password::verify(&pw, &u.password_hash);
            (Some(u), ok)
        }
        None => {
            password::verify_dummy(&pw);
            (None, false)
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let ctx2 = ctx.clone();
    match (user, ok) {
        (Some(user), true) => {
            let tokens = ctx
                .db
                .run(move |c| service::start_session(c, &ctx2.auth, &user, &address))
                .await?;
            Ok(HttpResponse::Ok()
                .insert_header(("Cache-Control", "no-store"))
                .json(tokens))
        }
        (user, _) => {
            ctx.db
                .run(move |c| service::record_failed_login(c, user.as_ref(), &address))
                .await?;
            Err(service::login_refused())
        }
    }
}

/// Exchanges a refresh token for a new access token and a new refresh token.
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses((status = 200, body = TokenResponse)), security(()))]
#[post("/auth/refresh")]
pub async fn refresh_token(
    ctx: web::Data<Ctx>,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    let ctx2 = ctx.clone();
    let tokens = ctx
        .db
        .run(move |c| service::refresh(c, &ctx2.auth, &body.0.refresh_token))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(tokens))
}

/// Ends a session: its refresh token stops working.
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses((status = 204, description = "logged out")), security(("bearer_auth" = [])))]
#[post("/auth/logout")]
pub async fn logout(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    ctx.db
        .run(move |c| service::logout(c, &actor, &body.0.refresh_token))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller: who they are, what they may do, which branches they see.
#[utoipa::path(tag = "auth", responses((status = 200, body = MeResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/auth/me")]
pub async fn get_me(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(service::me(&actor, &ctx.permissions)))
}

/// Changes the caller's own password; all their sessions end, log in again.
#[utoipa::path(tag = "auth", request_body = ChangePasswordRequest, responses((status = 204, description = "changed")), security(("bearer_auth" = [])))]
#[post("/auth/password")]
pub async fn change_password(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<ChangePasswordRequest>,
) -> Result<HttpResponse, AppError> {
    let ctx2 = ctx.clone();
    ctx.db
        .run(move |c| service::change_own_password(c, &actor, &ctx2.permissions, &body.0))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
