use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use super::dto::*;
use super::service;
use crate::auth::Actor;
use crate::context::Ctx;
use crate::error::{AppError, Problem};
use crate::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use crate::ids::PartnerId;
use crate::pagination::ListParams;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_partners)
        .service(create_partner)
        .service(get_partner)
        .service(update_partner)
        .service(delete_partner);
}

/// List business partners
#[utoipa::path(tag = "partners", params(ListParams, PartnerListQuery), responses((status = 200, body = PartnerPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/partners")]
pub async fn list_partners(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    query: Query<PartnerListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ctx
        .db
        .run(move |c| service::list_partners(c, &actor, &params.0, query.0))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Create a business partner
#[utoipa::path(
    tag = "partners",
    request_body = CreatePartnerRequest,
    responses((status = 201, body = PartnerResponse), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/partners")]
pub async fn create_partner(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreatePartnerRequest>,
) -> Result<HttpResponse, AppError> {
    let partner = ctx
        .db
        .run(move |c| service::create_partner(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &partner,
        partner.version,
        format!("/api/v1/partners/{}", partner.id),
    ))
}

/// A business partner
#[utoipa::path(
    tag = "partners",
    params(("id" = PartnerId, Path)),
    responses((status = 200, body = PartnerResponse), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[get("/partners/{id}")]
pub async fn get_partner(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PartnerId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let partner = ctx
        .db
        .run(move |c| service::get_partner(c, &actor, id))
        .await?;
    Ok(ok_versioned(&partner, partner.version))
}

/// Change a business partner
#[utoipa::path(
    tag = "partners",
    params(("id" = PartnerId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = UpdatePartnerRequest,
    responses(
        (status = 200, body = PartnerResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/partners/{id}")]
pub async fn update_partner(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<PartnerId>,
    body: Json<UpdatePartnerRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let partner = ctx
        .db
        .run(move |c| service::update_partner(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&partner, partner.version))
}

/// Delete a business partner
#[utoipa::path(
    tag = "partners",
    params(("id" = PartnerId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version to delete")),
    responses(
        (status = 204, description = "deleted"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[delete("/partners/{id}")]
pub async fn delete_partner(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<PartnerId>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, None).ok();
    let id = id.into_inner();
    ctx.db
        .run(move |c| service::delete_partner(c, &actor, id, version))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
