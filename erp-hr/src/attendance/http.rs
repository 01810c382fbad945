use actix_web::{delete, get, post, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::AttendanceId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(check_in)
        .service(check_out)
        .service(daily)
        .service(list_attendance)
        .service(record_attendance)
        .service(delete_attendance)
        .service(list_overtime_rules)
        .service(create_overtime_rule);
}

/// Checks in: oneself now, or an employee from a time terminal or by HR.
#[utoipa::path(tag = "hr", request_body = ClockRequest, responses((status = 201, body = AttendanceResponse), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/attendance/check-in")]
pub async fn check_in(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<ClockRequest>,
) -> Result<HttpResponse, AppError> {
    let a = ctx
        .db
        .run(move |c| service::check_in(c, &actor, body.0))
        .await?;
    let location = format!(
        "/api/v1/hr/attendance?employee_id={}&from={}&to={}",
        a.employee_id,
        a.check_in.date_naive(),
        a.check_in.date_naive()
    );
    Ok(created_versioned(&a, a.version, location))
}

/// Checks out, closing the open stretch; 409 when not checked in.
#[utoipa::path(tag = "hr", request_body = ClockRequest, responses((status = 200, body = AttendanceResponse), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/attendance/check-out")]
pub async fn check_out(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<ClockRequest>,
) -> Result<HttpResponse, AppError> {
    let a = ctx
        .db
        .run(move |c| service::check_out(c, &actor, body.0))
        .await?;
    Ok(ok_versioned(&a, a.version))
}

/// Stretches of attendance touching the days, of the people the caller may see.
#[utoipa::path(tag = "hr", params(ListParams, AttendanceListQuery), responses((status = 200, body = AttendancePage), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/attendance")]
pub async fn list_attendance(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<AttendanceListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list(c, &actor, &params.0, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// HR records a whole stretch; it may not overlap another.
#[utoipa::path(tag = "hr", request_body = RecordAttendanceRequest, responses((status = 201, body = AttendanceResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/attendance")]
pub async fn record_attendance(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<RecordAttendanceRequest>,
) -> Result<HttpResponse, AppError> {
    let a = ctx
        .db
        .run(move |c| service::record(c, &actor, body.0))
        .await?;
    let location = format!(
        "/api/v1/hr/attendance?employee_id={}&from={}&to={}",
        a.employee_id,
        a.check_in.date_naive(),
        a.check_in.date_naive()
    );
    Ok(created_versioned(&a, a.version, location))
}

/// Removes a stretch recorded in error (HR).
#[utoipa::path(tag = "hr", params(("id" = AttendanceId, Path)), responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[delete("/hr/attendance/{id}")]
pub async fn delete_attendance(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<AttendanceId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    ctx.db.run(move |c| service::delete(c, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Daily totals: hours expected and worked, leave, overtime by rule, missing check-outs and
/// absence without leave, per employee the caller may see (HR their branches, a manager their
/// team, everyone themself).
#[utoipa::path(tag = "hr", params(DailyQuery), responses((status = 200, body = AttendanceReport), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/attendance/daily")]
pub async fn daily(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<DailyQuery>,
) -> Result<HttpResponse, AppError> {
    let out = ctx.db.run(move |c| service::daily(c, &actor, q.0)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Overtime rules.
#[utoipa::path(tag = "hr", responses((status = 200, body = OvertimeRuleList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/overtime-rules")]
pub async fn list_overtime_rules(
    ctx: web::Data<Ctx>,
    actor: Actor,
) -> Result<HttpResponse, AppError> {
    let out = ctx.db.run(move |c| service::list_rules(c, &actor)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Creates an overtime rule: hours over a daily or weekly threshold, paid at a rate.
#[utoipa::path(tag = "hr", request_body = CreateOvertimeRuleRequest, responses((status = 201, body = OvertimeRuleResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/overtime-rules")]
pub async fn create_overtime_rule(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateOvertimeRuleRequest>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::create_rule(c, &actor, body.0))
        .await?;
    Ok(created(&r, "/api/v1/hr/overtime-rules".into()))
}
