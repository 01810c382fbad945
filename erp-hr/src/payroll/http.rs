use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{
    accepts, created, created_versioned, expected_version, ok_versioned, Json, Query,
};
use erp_core::pagination::PageParams;
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::{print, service, structure};
use crate::ids::{PayRunId, PayStructureId, PayslipId};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_pay_components)
        .service(create_pay_component)
        .service(list_pay_structures)
        .service(create_pay_structure)
        .service(get_pay_structure)
        .service(update_pay_structure)
        .service(list_pay_runs)
        .service(create_pay_run)
        .service(get_pay_run)
        .service(delete_pay_run)
        .service(approve_pay_run)
        .service(post_pay_run)
        .service(pay_pay_run)
        .service(bank_file)
        .service(get_payslip)
        .service(payslip_pdf)
        .service(my_payslips);
}

/// Pay components in the order they are computed.
#[utoipa::path(tag = "hr", responses((status = 200, body = PayComponentList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/pay-components")]
pub async fn list_pay_components(
    ctx: web::Data<Ctx>,
    actor: Actor,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::list_components(c, &actor))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Creates a pay component: an earning, a deduction or an employer contribution, computed
/// by one of the rule kinds with its parameters, and the accounts it posts to.
#[utoipa::path(tag = "hr", request_body = CreatePayComponentRequest, responses((status = 201, body = PayComponentResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/pay-components")]
pub async fn create_pay_component(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreatePayComponentRequest>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::create_component(c, &actor, body.0))
        .await?;
    Ok(created(&out, "/api/v1/hr/pay-components".into()))
}

/// Pay structures: the components each group of employees is paid by.
#[utoipa::path(tag = "hr", responses((status = 200, body = PayStructureList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/pay-structures")]
pub async fn list_pay_structures(
    ctx: web::Data<Ctx>,
    actor: Actor,
) -> Result<HttpResponse, AppError> {
    let out = ctx.db.run(move |c| structure::list(c, &actor)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Creates a pay structure from some of the company's pay components; contracts name it.
#[utoipa::path(tag = "hr", request_body = CreatePayStructureRequest, responses((status = 201, body = PayStructureResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/pay-structures")]
pub async fn create_pay_structure(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreatePayStructureRequest>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| structure::create(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/hr/pay-structures/{}", out.id);
    Ok(created_versioned(&out, out.version, location))
}

/// One pay structure with its components in the order they are computed.
#[utoipa::path(tag = "hr", params(("id" = PayStructureId, Path)), responses((status = 200, body = PayStructureResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/pay-structures/{id}")]
pub async fn get_pay_structure(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PayStructureId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let out = ctx.db.run(move |c| structure::get(c, &actor, id)).await?;
    Ok(ok_versioned(&out, out.version))
}

/// Renames a pay structure or gives it other components; runs computed from now on use them.
#[utoipa::path(tag = "hr", params(("id" = PayStructureId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")), request_body = UpdatePayStructureRequest, responses((status = 200, body = PayStructureResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[patch("/hr/pay-structures/{id}")]
pub async fn update_pay_structure(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<PayStructureId>,
    body: Json<UpdatePayStructureRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let out = ctx
        .db
        .run(move |c| structure::update(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&out, out.version))
}

/// Pay runs of the branches the caller works in, the latest month first, without their
/// payslips (`GET /hr/pay-runs/{id}` has them).
#[utoipa::path(tag = "hr", params(PageParams, PayRunQuery), responses((status = 200, body = PayRunList), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/pay-runs")]
pub async fn list_pay_runs(
    ctx: web::Data<Ctx>,
    actor: Actor,
    page: Query<PageParams>,
    q: Query<PayRunQuery>,
) -> Result<HttpResponse, AppError> {
    let out = ctx
        .db
        .run(move |c| service::list_runs(c, &actor, q.0, page.0))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Computes the pay run of a branch for a month, as a draft: a payslip for everyone employed
/// in it, from contracts, attendance and leave. One run per branch and month; a posted one is
/// final (409 `period_paid`).
#[utoipa::path(tag = "hr", request_body = CreatePayRunRequest, responses((status = 201, body = PayRunResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/pay-runs")]
pub async fn create_pay_run(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreatePayRunRequest>,
) -> Result<HttpResponse, AppError> {
    let r = ctx
        .db
        .run(move |c| service::create_run(c, &actor, body.0))
        .await?;
    let location = format!("/api/v1/hr/pay-runs/{}", r.run.id);
    Ok(created_versioned(&r, r.run.version, location))
}

/// One pay run with its payslips' totals.
#[utoipa::path(tag = "hr", params(("id" = PayRunId, Path)), responses((status = 200, body = PayRunResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/pay-runs/{id}")]
pub async fn get_pay_run(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PayRunId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx.db.run(move |c| service::get_run(c, &actor, id)).await?;
    Ok(ok_versioned(&r, r.run.version))
}

/// Deletes a run not yet posted, to compute it again.
#[utoipa::path(tag = "hr", params(("id" = PayRunId, Path)), responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[delete("/hr/pay-runs/{id}")]
pub async fn delete_pay_run(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PayRunId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    ctx.db
        .run(move |c| service::delete_run(c, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Approves a draft run after review; its payslips become visible to the employees.
#[utoipa::path(tag = "hr", params(("id" = PayRunId, Path)), responses((status = 200, body = PayRunResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/pay-runs/{id}/approve")]
pub async fn approve_pay_run(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PayRunId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| service::approve_run(c, &actor, id))
        .await?;
    Ok(ok_versioned(&r, r.run.version))
}

/// Posts an approved run to the ledger in one entry of the payroll journal; a posted run is
/// never changed.
#[utoipa::path(tag = "hr", params(("id" = PayRunId, Path)), responses((status = 200, body = PayRunResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/pay-runs/{id}/post")]
pub async fn post_pay_run(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PayRunId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| service::post_run(c, &actor, id))
        .await?;
    Ok(ok_versioned(&r, r.run.version))
}

/// Pays a posted run out from a bank account: a payment of finance per payslip (net pay, the
/// bank file's reference), which the bank reconciliation matches to the bank's lines.
#[utoipa::path(tag = "hr", params(("id" = PayRunId, Path)), request_body = PayOutRequest, responses((status = 200, body = PayRunResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/pay-runs/{id}/pay")]
pub async fn pay_pay_run(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PayRunId>,
    body: Json<PayOutRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| service::pay_run(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&r, r.run.version))
}

/// A payslip as PDF
///
/// The company's letterhead, the employee, the month, the earnings, deductions and employer
/// contributions with their basis, and the totals, each figure exactly as the payslip's JSON
/// gives it. Readable by whoever may read the payslip.
#[utoipa::path(tag = "hr", params(("id" = PayslipId, Path)), responses((status = 200, description = "The payslip as PDF", content_type = "application/pdf", body = erp_core::http::FileBytes), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/payslips/{id}/pdf")]
pub async fn payslip_pdf(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PayslipId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    erp_core::pdf::printed(&ctx.db, move |c| service::payslip_sheet(c, &actor, id)).await
}

/// A payslip with every line and its basis: HR, or the employee once the run is approved; a
/// printable document with `Accept: text/html`.
#[utoipa::path(tag = "hr", params(("id" = PayslipId, Path)), responses((status = 200, description = "The payslip; HTML with `Accept: text/html`", content((PayslipResponse = "application/json"), (String = "text/html"))), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/payslips/{id}")]
pub async fn get_payslip(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<PayslipId>,
) -> Result<HttpResponse, AppError> {
    let html = accepts(&req, "text/html");
    let id = id.into_inner();
    let (r, company) = ctx
        .db
        .run(move |c| service::get_payslip_printable(c, &actor, id))
        .await?;
    if html {
        return Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(print::render(&r, &company)));
    }
    Ok(HttpResponse::Ok().json(r))
}

/// The caller's own payslips of approved and posted runs (`hr.self`).
#[utoipa::path(tag = "hr", responses((status = 200, body = PayslipList), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/me/payslips")]
pub async fn my_payslips(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    let r = ctx.db.run(move |c| service::my_payslips(c, &actor)).await?;
    Ok(HttpResponse::Ok().json(r))
}

/// The bank file of an approved or posted run (CSV: name, iban, amount, currency,
/// reference), one transfer of net pay per employee; 422 naming who has no bank account.
#[utoipa::path(tag = "hr", params(("id" = PayRunId, Path)), responses((status = 200, description = "The transfers", content_type = "text/csv", body = String), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/pay-runs/{id}/bank-file")]
pub async fn bank_file(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PayRunId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let csv = ctx
        .db
        .run(move |c| service::bank_file(c, &actor, id))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .body(csv))
}
