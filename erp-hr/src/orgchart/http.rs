use actix_web::{get, web, HttpRequest, HttpResponse};
use erp_core::error::AppError;
use erp_core::http::{accepts, Query};
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::{service, svg};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(org_chart);
}

/// The org chart of the branches the caller works in: departments in tree order with their
/// managers, people and head count planned against filled; an SVG image with
/// `Accept: image/svg+xml`.
#[utoipa::path(tag = "hr", params(OrgChartQuery), responses((status = 200, description = "The chart; an SVG image with `Accept: image/svg+xml`", content((OrgChart = "application/json"), (String = "image/svg+xml")))), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/org-chart")]
pub async fn org_chart(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    q: Query<OrgChartQuery>,
) -> Result<HttpResponse, AppError> {
    let wants_svg = accepts(&req, "image/svg+xml");
    let chart = ctx
        .db
        .run(move |c| service::org_chart(c, &actor, q.0))
        .await?;
    if wants_svg {
        return Ok(HttpResponse::Ok()
            .content_type("image/svg+xml; charset=utf-8")
            .body(svg::render(&chart)));
    }
    Ok(HttpResponse::Ok().json(chart))
}
