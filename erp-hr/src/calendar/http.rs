use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::csv_import::ImportReport;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::{CalendarId, HolidayId};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_calendars)
        .service(create_calendar)
        .service(get_calendar)
        .service(update_calendar)
        .service(list_holidays)
        .service(create_holiday)
        .service(delete_holiday)
        .service(import_holidays);
}

/// Work calendars: the hours worked on each weekday.
#[utoipa::path(tag = "hr", params(ListParams), responses((status = 200, body = CalendarPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/calendars")]
pub async fn list_calendars(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_calendars(c, &actor, &params.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates a work calendar; the company's first is its default.
#[utoipa::path(tag = "hr", request_body = CreateCalendarRequest, responses((status = 201, body = CalendarResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/calendars")]
pub async fn create_calendar(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateCalendarRequest>,
) -> Result<HttpResponse, AppError> {
    let c = ctx
        .db
        .run(move |c| service::create_calendar(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/hr/calendars/{}", c.id);
    Ok(created_versioned(&c, c.version, location))
}

/// One work calendar.
#[utoipa::path(tag = "hr", params(("id" = CalendarId, Path)), responses((status = 200, body = CalendarResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/calendars/{id}")]
pub async fn get_calendar(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<CalendarId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c = ctx
        .db
        .run(move |c| service::get_calendar(c, &actor, id))
        .await?;
    Ok(ok_versioned(&c, c.version))
}

/// Changes a calendar's name or hours, or makes it the default.
#[utoipa::path(tag = "hr", params(("id" = CalendarId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")), request_body = UpdateCalendarRequest, responses((status = 200, body = CalendarResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[patch("/hr/calendars/{id}")]
pub async fn update_calendar(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<CalendarId>,
    body: Json<UpdateCalendarRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let c = ctx
        .db
        .run(move |c| service::update_calendar(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&c, c.version))
}

/// Public holidays of the branches the caller works in, by day.
#[utoipa::path(tag = "hr", params(HolidayQuery), responses((status = 200, body = HolidayList), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/holidays")]
pub async fn list_holidays(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<HolidayQuery>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::list_holidays(c, &actor, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Adds a public holiday to a branch; one per branch and day.
#[utoipa::path(tag = "hr", request_body = CreateHolidayRequest, responses((status = 201, body = HolidayResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/holidays")]
pub async fn create_holiday(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateHolidayRequest>,
) -> Result<HttpResponse, AppError> {
    let h = ctx
        .db
        .run(move |c| service::create_holiday(c, &actor, body.0))
        .await?;
    let location = format!(
        "/api/v1/hr/holidays?branch_id={}&from={}&to={}",
        h.branch_id, h.day, h.day
    );
    Ok(created(&h, location))
}

/// Removes a public holiday.
#[utoipa::path(tag = "hr", params(("id" = HolidayId, Path)), responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[delete("/hr/holidays/{id}")]
pub async fn delete_holiday(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<HolidayId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    ctx.db
        .run(move |c| service::delete_holiday(c, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

erp_core::csv_import_route!(
    /// Imports public holidays from CSV (columns: branch (its code), date, name), all or
    /// nothing; a rejected row is named with its reason.
    import_holidays,
    "/hr/import/holidays",
    tag = "hr",
    report = ImportReport,
    import = service::import_holidays,
    limit = 4 * 1024 * 1024,
    answers_422
);
