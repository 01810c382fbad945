use actix_web::{get, post, web, HttpResponse};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json};
use erp_core::{auth::Actor, Ctx};

use super::dto::*;
use super::service;
use crate::ids::{ContractId, EmployeeId};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_contracts)
        .service(create_contract)
        .service(get_contract)
        .service(amend_contract);
}

/// An employee's contracts, the earliest first, each amendment after the contract it
/// continues (`hr.confidential.read`, or the employee themself).
#[utoipa::path(tag = "hr", params(("id" = EmployeeId, Path)), responses((status = 200, body = ContractList), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/employees/{id}/contracts")]
pub async fn list_contracts(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<EmployeeId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let out = ctx
        .db
        .run(move |c| service::list_contracts(c, &actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Makes a contract for an employee; it may not share a day with another of theirs.
#[utoipa::path(tag = "hr", params(("id" = EmployeeId, Path)), request_body = NewContractRequest, responses((status = 201, body = ContractResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/employees/{id}/contracts")]
pub async fn create_contract(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<EmployeeId>,
    body: Json<NewContractRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c = ctx
        .db
        .run(move |c| service::create_contract(c, &actor, id, body.0))
        .await?;
    let location = format!("/api/v1/hr/contracts/{}", c.id);
    Ok(created_versioned(&c, c.version, location))
}

/// One contract (`hr.confidential.read`, or the employee themself).
#[utoipa::path(tag = "hr", params(("id" = ContractId, Path)), responses((status = 200, body = ContractResponse), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/hr/contracts/{id}")]
pub async fn get_contract(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ContractId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c = ctx
        .db
        .run(move |c| service::get_contract(c, &actor, id))
        .await?;
    Ok(ok_versioned(&c, c.version))
}

/// Amends a contract from a date: the contract ends the day before, and a new one with the
/// changed terms continues it (a raise, fewer hours, an extension).
#[utoipa::path(tag = "hr", params(("id" = ContractId, Path)), request_body = AmendContractRequest, responses((status = 201, body = ContractResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/contracts/{id}/amend")]
pub async fn amend_contract(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ContractId>,
    body: Json<AmendContractRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c = ctx
        .db
        .run(move |c| service::amend_contract(c, &actor, id, body.0))
        .await?;
    let location = format!("/api/v1/hr/contracts/{}", c.id);
    Ok(created_versioned(&c, c.version, location))
}
