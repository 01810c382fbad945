use actix_web::{get, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::Query;
use erp_core::Ctx;

use super::dto::*;
use super::{service, svg};
use crate::ids::WorkCenterId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(capacity).service(rough_cut).service(load_chart);
}

/// Capacity requirements planning: load of planned, firm and released production orders per
/// work center and bucket against capacity, overloads flagged.
#[utoipa::path(tag = "mrp", params(CapacityQuery), responses((status = 200, body = CapacityReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/capacity")]
pub async fn capacity(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<CapacityQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::capacity(c, &actor, q.0))
            .await?,
    ))
}

/// Rough-cut capacity planning of the master production schedule.
#[utoipa::path(tag = "mrp", params(CapacityQuery), responses((status = 200, body = CapacityReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/capacity/rough-cut")]
pub async fn rough_cut(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<CapacityQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::rough_cut(c, &actor, q.0))
            .await?,
    ))
}

/// The CRP load of one work center against its capacity as an SVG chart.
#[utoipa::path(
    tag = "mrp",
    params(("id" = WorkCenterId, Path), CapacityQuery),
    responses((status = 200, description = "An SVG image", content_type = "image/svg+xml", body = String), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/mrp/work-centers/{id}/load.svg")]
pub async fn load_chart(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<WorkCenterId>,
    q: Query<CapacityQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut q = q.0;
    q.work_center_id = Some(id);
    let report = ctx
        .db
        .run(move |c| {
            crate::work_center::service::load(c, &actor, id)?;
            service::capacity(c, &actor, q)
        })
        .await?;
    let w = report
        .work_centers
        .first()
        .ok_or(AppError::NotFound("work_center"))?;
    let title = format!(
        "{} {}: load against capacity from {}",
        w.code, w.name, report.start_date
    );
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .body(svg::load_chart(w, &title)))
}
