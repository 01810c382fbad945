use actix_web::{get, post, put, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, Json};
use erp_core::Ctx;

use super::service::{self, TeamList, TeamRequest, TeamResponse};
use crate::ids::TeamId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_teams)
        .service(create_team)
        .service(update_team);
}

/// List sales teams
#[utoipa::path(tag = "crm", responses((status = 200, body = TeamList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/teams")]
pub async fn list_teams(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::list(c, &actor)).await?))
}

/// A sales team with its lead and members.
#[utoipa::path(tag = "crm", request_body = TeamRequest, responses((status = 201, body = TeamResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/teams")]
pub async fn create_team(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<TeamRequest>,
) -> Result<HttpResponse, AppError> {
    let t = ctx
        .db
        .run(move |c| service::create(c, &actor, body.0))
        .await?;
    Ok(created(&t, format!("/api/v1/crm/teams/{}", t.id)))
}

/// Replaces the team's name, lead and members.
#[utoipa::path(tag = "crm", params(("id" = TeamId, Path)), request_body = TeamRequest, responses((status = 200, body = TeamResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[put("/crm/teams/{id}")]
pub async fn update_team(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<TeamId>,
    body: Json<TeamRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::update(c, &actor, id, body.0))
            .await?,
    ))
}
