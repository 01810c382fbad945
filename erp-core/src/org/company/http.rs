use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::dto::*;
use super::service;
use crate::auth::Actor;
use crate::context::Ctx;
use crate::error::{AppError, Problem};
use crate::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use crate::ids::CompanyId;
use crate::pagination::ListParams;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_companies)
        .service(create_company)
        .service(get_company)
        .service(update_company);
}

/// The caller's company (system administrators: every company).
#[utoipa::path(tag = "org", params(ListParams), responses((status = 200, body = CompanyPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/org/companies")]
pub async fn list_companies(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_companies(c, &actor, &params.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates a company (system administrators).
#[utoipa::path(
    tag = "org",
    request_body = CreateCompanyRequest,
    responses((status = 201, body = CompanyResponse), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/org/companies")]
pub async fn create_company(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateCompanyRequest>,
) -> Result<HttpResponse, AppError> {
    let c = ctx
        .db
        .run(move |conn| service::create_company(conn, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &c,
        c.version,
        format!("/api/v1/org/companies/{}", c.id),
    ))
}

/// A company
#[utoipa::path(
    tag = "org",
    params(("id" = CompanyId, Path)),
    responses((status = 200, body = CompanyResponse), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/org/companies/{id}")]
pub async fn get_company(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<CompanyId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c = ctx
        .db
        .run(move |conn| service::get_company(conn, &actor, id))
        .await?;
    Ok(ok_versioned(&c, c.version))
}

/// Change a company
#[utoipa::path(
    tag = "org",
    params(("id" = CompanyId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = UpdateCompanyRequest,
    responses(
        (status = 200, body = CompanyResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/org/companies/{id}")]
pub async fn update_company(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<CompanyId>,
    body: Json<UpdateCompanyRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let c = ctx
        .db
        .run(move |conn| service::update_company(conn, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&c, c.version))
}
