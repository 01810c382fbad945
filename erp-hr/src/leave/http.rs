use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::pagination::{ListParams, PageParams};
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::{EmployeeId, LeaveRequestId, LeaveTypeId};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_leave_types)
        .service(create_leave_type)
        .service(update_leave_type)
        .service(list_leave_requests)
        .service(create_leave_request)
        .service(get_leave_request)
        .service(approve_leave)
        .service(refuse_leave)
        .service(cancel_leave)
        .service(leave_balances)
        .service(create_leave_adjustment)
        .service(leave_adjustments)
        .service(my_leave_balances)
        .service(leave_calendar);
}

/// Leave types with their accrual and carry-over rules.
#[utoipa::path(tag = "hr", responses((status = 200, body = LeaveTypeList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/leave-types")]
pub async fn list_leave_types(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    let out = ctx.db.run(move |c| service::list_types(c, &actor)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Creates a leave type: days earned a year, carry-over cap and expiry, whether it may go
/// negative.
#[utoipa::path(tag = "hr", request_body = CreateLeaveTypeRequest, responses((status = 201, body = LeaveTypeResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/leave-types")]
pub async fn create_leave_type(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateLeaveTypeRequest>,
) -> Result<HttpResponse, AppError> {
    let t = ctx
        .db
        .run(move |c| service::create_type(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/hr/leave-types/{}", t.id);
    Ok(created_versioned(&t, t.version, location))
}

/// Changes a leave type's rules; balances follow at once, as they are computed.
#[utoipa::path(tag = "hr", params(("id" = LeaveTypeId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")), request_body = UpdateLeaveTypeRequest, responses((status = 200, body = LeaveTypeResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[patch("/hr/leave-types/{id}")]
pub async fn update_leave_type(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<LeaveTypeId>,
    body: Json<UpdateLeaveTypeRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let t = ctx
        .db
        .run(move |c| service::update_type(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&t, t.version))
}

/// Leave requests the caller may see: HR those of their branches; others their own and
/// their direct reports'.
#[utoipa::path(tag = "hr", params(ListParams, LeaveListQuery), responses((status = 200, body = LeaveRequestPage), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/leave-requests")]
pub async fn list_leave_requests(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<LeaveListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_requests(c, &actor, &params.0, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Asks for leave, counted in working days; refused when it overlaps other leave or goes
/// beyond the balance (unless the type allows it).
#[utoipa::path(tag = "hr", request_body = CreateLeaveRequest, responses((status = 201, body = LeaveRequestResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/leave-requests")]
pub async fn create_leave_request(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateLeaveRequest>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::create_request(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/hr/leave-requests/{}", r.id);
    Ok(created_versioned(&r, r.version, location))
}

/// One leave request.
#[utoipa::path(tag = "hr", params(("id" = LeaveRequestId, Path)), responses((status = 200, body = LeaveRequestResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/leave-requests/{id}")]
pub async fn get_leave_request(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<LeaveRequestId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| service::get_request(c, &actor, id))
        .await?;
    Ok(ok_versioned(&r, r.version))
}

/// Approves a waiting request: the employee's manager, or HR with `hr.leave.approve`.
#[utoipa::path(tag = "hr", params(("id" = LeaveRequestId, Path)), request_body = LeaveDecision, responses((status = 200, body = LeaveRequestResponse), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/leave-requests/{id}/approve")]
pub async fn approve_leave(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<LeaveRequestId>,
    body: Json<LeaveDecision>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| service::approve(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&r, r.version))
}

/// Refuses a waiting request, with a note: the employee's manager, or HR.
#[utoipa::path(tag = "hr", params(("id" = LeaveRequestId, Path)), request_body = LeaveDecision, responses((status = 200, body = LeaveRequestResponse), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/leave-requests/{id}/refuse")]
pub async fn refuse_leave(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<LeaveRequestId>,
    body: Json<LeaveDecision>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| service::refuse(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&r, r.version))
}

/// Cancels a request and gives its days back: the employee before the leave begins, or HR
/// with `hr.leave.write`.
#[utoipa::path(tag = "hr", params(("id" = LeaveRequestId, Path)), request_body = LeaveDecision, responses((status = 200, body = LeaveRequestResponse), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/leave-requests/{id}/cancel")]
pub async fn cancel_leave(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<LeaveRequestId>,
    body: Json<LeaveDecision>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| service::cancel(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&r, r.version))
}

/// Adjusts an employee's leave balance by days added or taken off from a day on, with the
/// reason (an opening balance, a correction): HR deciding leave, never for themself.
#[utoipa::path(tag = "hr", request_body = CreateLeaveAdjustmentRequest, responses((status = 201, body = LeaveAdjustmentResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/leave-adjustments")]
pub async fn create_leave_adjustment(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateLeaveAdjustmentRequest>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::create_adjustment(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/hr/employees/{}/leave-adjustments", out.employee_id);
    Ok(created(&out, location))
}

/// An employee's leave balance adjustments, by date.
#[utoipa::path(tag = "hr", params(("id" = EmployeeId, Path)), responses((status = 200, body = LeaveAdjustmentList), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/employees/{id}/leave-adjustments")]
pub async fn leave_adjustments(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<EmployeeId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let out = ctx
        .db
        .run(move |c| service::list_adjustments(c, &actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// An employee's leave balances by type at a date: carried, lapsed, earned, taken, booked,
/// waiting and available.
#[utoipa::path(tag = "hr", params(("id" = EmployeeId, Path), BalanceQuery), responses((status = 200, body = LeaveBalances), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/employees/{id}/leave-balances")]
pub async fn leave_balances(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<EmployeeId>,
    q: Query<BalanceQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let out = ctx
        .db
        .run(move |c| service::balances(c, &actor, id, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The caller's own leave balances (`hr.self`).
#[utoipa::path(tag = "hr", params(BalanceQuery), responses((status = 200, body = LeaveBalances), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/me/leave-balances")]
pub async fn my_leave_balances(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<BalanceQuery>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::my_balances(c, &actor, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Who is away when, between two dates (at most 92 days): leave approved or waiting, of the
/// people the caller may see (HR their branches, a manager their team), by first day and name.
#[utoipa::path(tag = "hr", params(PageParams, LeaveCalendarQuery), responses((status = 200, body = LeaveCalendar), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/leave-calendar")]
pub async fn leave_calendar(
    ctx: web::Data<Ctx>,
    actor: Actor,
    page: Query<PageParams>,
    q: Query<LeaveCalendarQuery>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::leave_calendar(c, &actor, q.0, page.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
