use actix_web::{get, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::Query;
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_timesheets);
}

/// Hours booked between two days by the people the caller may see (HR their branches, a
/// manager their team, everyone themself). Booking is `POST /hr/timesheets`.
#[utoipa::path(tag = "hr", params(ListParams, TimesheetQuery), responses((status = 200, body = TimesheetPage), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/timesheets")]
pub async fn list_timesheets(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<TimesheetQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list(c, &actor, &params.0, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
