use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::csv_import::ImportReport;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::{auth::Actor, Ctx};

use super::contract::dto::ContractList;
use super::dto::*;
use super::{import, service};
use crate::ids::{AssignmentId, EmployeeId};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(me)
        .service(my_contracts)
        .service(my_team)
        .service(list_employees)
        .service(create_employees)
        .service(create_employee)
        .service(import_employees)
        .service(export_employees)
        .service(get_employee)
        .service(update_employee)
        .service(transfer_employee)
        .service(cancel_scheduled_transfer)
        .service(list_assignments)
        .service(terminate_employee);
}

/// Employees of the branches the caller works in; confidential data only for HR
/// (`hr.confidential.read`).
#[utoipa::path(tag = "hr", params(ListParams, EmployeeListQuery), responses((status = 200, body = EmployeePage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/employees")]
pub async fn list_employees(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<EmployeeListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_employees(c, &actor, &params.0, q.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Create up to 1,000 employees at once
///
/// All or nothing: each employee is checked as a single create would check it; when any is
/// refused, none is created and the 422 names every refused employee by its index, e.g.
/// `employees[3].name`.
#[utoipa::path(tag = "hr", params(erp_core::batch::DryRun), request_body = CreateEmployeesRequest, responses((status = 201, body = EmployeeBatch), (status = 200, body = EmployeeBatch, description = "A dry run: what the request would do; nothing is kept")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/employees/batch")]
pub async fn create_employees(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateEmployeesRequest>,
    dry: Query<erp_core::batch::DryRun>,
) -> Result<HttpResponse, AppError> {
    erp_core::http::bulk(&ctx, dry.0, StatusCode::CREATED, move |c| {
        service::create_employees(c, &actor, body.0)
    })
    .await
}

/// Hires a person into a department (and so its branch), optionally with a position, a
/// manager, a user for self-service and the first contract, all in one transaction.
#[utoipa::path(tag = "hr", request_body = CreateEmployeeRequest, responses((status = 201, body = EmployeeResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/employees")]
pub async fn create_employee(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateEmployeeRequest>,
) -> Result<HttpResponse, AppError> {
    let e = ctx
        .db
        .run(move |c| service::create_employee(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/hr/employees/{}", e.id);
    Ok(created_versioned(&e, e.version, location))
}

/// One employee; `confidential` is present for HR and for the employee themself.
#[utoipa::path(tag = "hr", params(("id" = EmployeeId, Path)), responses((status = 200, body = EmployeeResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/employees/{id}")]
pub async fn get_employee(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<EmployeeId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let e = ctx
        .db
        .run(move |c| service::get_employee(c, &actor, id))
        .await?;
    Ok(ok_versioned(&e, e.version))
}

/// Changes an employee's user link, birth date or bank account (the last two need
/// `hr.confidential.write`).
#[utoipa::path(tag = "hr", params(("id" = EmployeeId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")), request_body = UpdateEmployeeRequest, responses((status = 200, body = EmployeeResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[patch("/hr/employees/{id}")]
pub async fn update_employee(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<EmployeeId>,
    body: Json<UpdateEmployeeRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let e = ctx
        .db
        .run(move |c| service::update_employee(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&e, e.version))
}

/// Transfers an employee to another department, position or manager from a date after the
/// current assignment: today or earlier at once, or scheduled up to a year ahead (the
/// employee moves on the day; one scheduled transfer at a time, 409 `transfer_scheduled`).
/// The history keeps every assignment.
#[utoipa::path(tag = "hr", params(("id" = EmployeeId, Path)), request_body = TransferRequest, responses((status = 201, body = AssignmentResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/employees/{id}/transfers")]
pub async fn transfer_employee(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<EmployeeId>,
    body: Json<TransferRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let a = ctx
        .db
        .run(move |c| service::transfer_employee(c, &actor, id, body.0))
        .await?;
    let location = format!("/api/v1/hr/employees/{id}/assignments");
    Ok(created(&a, location))
}

erp_core::csv_import_route!(
    /// Imports employees from CSV, all or nothing; a rejected row is named with its column and
    /// reason. Columns: `first_name`, `last_name`, `department` (code) and `hired_on` required;
    /// `number`, `email`, `phone`, `position` (code), `manager` (an employee number, one earlier in
    /// the file too), `calendar` (code), `birth_date`, `bank_account`; a first contract from the
    /// hire date with `contract_kind`, `hours_per_week`, `pay_basis`, `pay_rate` and optionally
    /// `contract_ends_on`, `probation_ends_on`, `currency`, `pay_structure` (code). Contracts,
    /// bank accounts and birth dates need `hr.confidential.write`. `GET /hr/export/employees`
    /// writes these columns.
    import_employees,
    "/hr/import/employees",
    tag = "hr",
    report = ImportReport,
    import = import::import_employees,
    limit = 16 * 1024 * 1024,
    answers_422
);

/// Export employees as CSV
///
/// The people employed today in the branches the caller works in, in the columns
/// `POST /hr/import/employees` reads, each manager before their reports: a file that imports
/// into another company with the same department, position, calendar and pay structure
/// codes. Birth date, bank account and the contract in force (from the hire date on import)
/// only for those who may read them (`hr.confidential.read`).
#[utoipa::path(
    tag = "hr",
    responses((status = 200, description = "CSV: number, first_name, last_name, email, phone, department, position, manager, hired_on, calendar, birth_date, bank_account, contract_kind, contract_ends_on, probation_ends_on, hours_per_week, pay_basis, pay_rate, currency, pay_structure", content_type = "text/csv", body = String)),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/hr/export/employees")]
pub async fn export_employees(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    let csv = ctx
        .db
        .run(move |c| super::export::export_employees(c, &actor))
        .await?;
    Ok(erp_core::http::csv_file("employees.csv", csv))
}

/// Cancels a transfer scheduled ahead; one in the history already is 409 `transfer_applied`.
#[utoipa::path(tag = "hr", params(("id" = EmployeeId, Path), ("transfer_id" = AssignmentId, Path)), responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[delete("/hr/employees/{id}/transfers/{transfer_id}")]
pub async fn cancel_scheduled_transfer(
    ctx: web::Data<Ctx>,
    actor: Actor,
    path: web::Path<(EmployeeId, AssignmentId)>,
) -> Result<HttpResponse, AppError> {
    let (id, transfer_id) = path.into_inner();
    ctx.db
        .run(move |c| service::cancel_transfer(c, &actor, id, transfer_id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Where the employee worked and from when: the hire, then each transfer.
#[utoipa::path(tag = "hr", params(("id" = EmployeeId, Path)), responses((status = 200, body = AssignmentList), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/employees/{id}/assignments")]
pub async fn list_assignments(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<EmployeeId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let out = ctx
        .db
        .run(move |c| service::list_assignments(c, &actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Ends an employment on its last day with a reason; contracts running past it end with it.
#[utoipa::path(tag = "hr", params(("id" = EmployeeId, Path)), request_body = TerminateRequest, responses((status = 200, body = EmployeeResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/employees/{id}/terminate")]
pub async fn terminate_employee(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<EmployeeId>,
    body: Json<TerminateRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let e = ctx
        .db
        .run(move |c| service::terminate_employee(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&e, e.version))
}

/// The caller's own employee record, with their confidential data (`hr.self`).
#[utoipa::path(tag = "hr", responses((status = 200, body = EmployeeResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/me")]
pub async fn me(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    let e = ctx.db.run(move |c| service::me(c, &actor)).await?;
    Ok(ok_versioned(&e, e.version))
}

/// The caller's own contracts, the earliest first (`hr.self`).
#[utoipa::path(tag = "hr", responses((status = 200, body = ContractList), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/me/contracts")]
pub async fn my_contracts(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::my_contracts(c, &actor))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The caller's direct reports employed today, without confidential data (`hr.self`).
#[utoipa::path(tag = "hr", params(ListParams), responses((status = 200, body = EmployeePage), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/me/team")]
pub async fn my_team(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::my_team(c, &actor, &params.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
