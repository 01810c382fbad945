use actix_web::{get, put, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::AppError;
use erp_core::http::{Json, Query};
use erp_core::Ctx;

use super::service::{self, Progress, ProgressList, ProgressQuery, TargetRequest};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(set_target)
        .service(progress)
        .service(progress_svg);
}

/// Sets a manager's target for a metric and period (replacing one for the same start).
#[utoipa::path(tag = "crm", request_body = TargetRequest, responses((status = 200, body = Progress)), security(("bearer_auth" = []), ("api_key" = [])))]
#[put("/crm/targets")]
pub async fn set_target(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<TargetRequest>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::set(c, &actor, body.0)).await?))
}

/// Progress on the targets of a manager: target, actual from the recorded data, what is left.
#[utoipa::path(tag = "crm", params(ProgressQuery), responses((status = 200, body = ProgressList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/targets/progress")]
pub async fn progress(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<ProgressQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::progress(c, &actor, q.0))
            .await?,
    ))
}

/// Progress on targets as a chart
///
/// The progress report drawn as SVG bars (done against the target mark, the figures as
/// text), with the same filters and rights: a manager's own, or with `team=true` the team
/// lead's view of every member.
#[utoipa::path(tag = "crm", params(ProgressQuery), responses((status = 200, description = "An SVG image", content_type = "image/svg+xml", body = String)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/targets/progress.svg")]
pub async fn progress_svg(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<ProgressQuery>,
) -> Result<HttpResponse, AppError> {
    let team = q.0.team == Some(true);
    let list = ctx
        .db
        .run(move |c| service::progress(c, &actor, q.0))
        .await?;
    Ok(erp_core::chart::svg_response(&service::progress_chart(
        &list, team,
    )))
}
