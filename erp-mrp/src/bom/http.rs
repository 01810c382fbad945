use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, expected_version, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::Ctx;
use erp_inventory::ids::ItemId;

use super::dto::*;
use super::{service, structure};
use crate::ids::BomId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_boms)
        .service(create_boms)
        .service(create_bom)
        .service(get_bom)
        .service(update_bom)
        .service(activate_bom)
        .service(obsolete_bom)
        .service(explode_item)
        .service(where_used)
        .service(cost_rollup);
}

/// List bills of materials
#[utoipa::path(tag = "mrp", params(ListParams, BomListQuery), responses((status = 200, body = BomPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/boms")]
pub async fn list_boms(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<BomListQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_boms(c, &actor, &params.0, q.0))
            .await?,
    ))
}

/// Creates a BOM (a draft, or active at once with `activate`). Quantities in other units are
/// converted to the component's base unit; a unit without a conversion is refused. Activation
/// that would close a cycle is refused with 422 `bom_cycle` naming the items.
#[utoipa::path(tag = "mrp", request_body = CreateBomRequest, responses((status = 201, body = BomResponse), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/boms")]
pub async fn create_bom(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateBomRequest>,
) -> Result<HttpResponse, AppError> {
    let b = ctx
        .db
        .run(move |c| service::create_bom(c, &actor, body.0))
        .await?;
    Ok(created_versioned(
        &b,
        b.version,
        format!("/api/v1/mrp/boms/{}", b.id),
    ))
}

/// Create up to 1,000 BOMs at once
///
/// All or nothing: each BOM is checked as a single create would check it, in order (so the
/// cycle check of each sees the BOMs activated before it); when any is refused, none is
/// created and the 422 names every refused BOM by its index, e.g. `boms[2].lines[0].quantity`.
#[utoipa::path(tag = "mrp", params(erp_core::batch::DryRun), request_body = CreateBomsRequest, responses((status = 201, body = BomBatch), (status = 200, body = BomBatch, description = "A dry run: what the request would do; nothing is kept")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/boms/batch")]
pub async fn create_boms(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateBomsRequest>,
    dry: Query<erp_core::batch::DryRun>,
) -> Result<HttpResponse, AppError> {
    erp_core::http::bulk(&ctx, dry.0, StatusCode::CREATED, move |c| {
        service::create_boms(c, &actor, body.0)
    })
    .await
}

/// A bill of materials with its lines
#[utoipa::path(tag = "mrp", params(("id" = BomId, Path)), responses((status = 200, body = BomResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/boms/{id}")]
pub async fn get_bom(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<BomId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let b = ctx.db.run(move |c| service::get_bom(c, &actor, id)).await?;
    Ok(ok_versioned(&b, b.version))
}

/// Changes a draft BOM.
#[utoipa::path(
    tag = "mrp",
    params(("id" = BomId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = UpdateBomRequest,
    responses(
        (status = 200, body = BomResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[patch("/mrp/boms/{id}")]
pub async fn update_bom(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<BomId>,
    body: Json<UpdateBomRequest>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req, body.0.version)?;
    let id = id.into_inner();
    let b = ctx
        .db
        .run(move |c| service::update_bom(c, &actor, id, version, body.0))
        .await?;
    Ok(ok_versioned(&b, b.version))
}

/// Makes the BOM the item's active one; the previous active BOM becomes obsolete.
#[utoipa::path(tag = "mrp", params(("id" = BomId, Path)), responses((status = 200, body = BomResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/boms/{id}/activate")]
pub async fn activate_bom(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<BomId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let b = ctx
        .db
        .run(move |c| service::transition(c, &actor, id, "activate"))
        .await?;
    Ok(ok_versioned(&b, b.version))
}

/// Make a bill of materials obsolete
#[utoipa::path(tag = "mrp", params(("id" = BomId, Path)), responses((status = 200, body = BomResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/boms/{id}/obsolete")]
pub async fn obsolete_bom(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<BomId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let b = ctx
        .db
        .run(move |c| service::transition(c, &actor, id, "obsolete"))
        .await?;
    Ok(ok_versioned(&b, b.version))
}

/// The full indented explosion of the item's active BOM, and the summarised leaf totals.
#[utoipa::path(tag = "mrp", params(("id" = ItemId, Path), ExplosionQuery), responses((status = 200, body = Explosion), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/items/{id}/explosion")]
pub async fn explode_item(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ItemId>,
    q: Query<ExplosionQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| structure::explode(c, &actor, id, q.0))
            .await?,
    ))
}

/// Every active BOM that uses the item, at every level above it.
#[utoipa::path(tag = "mrp", params(("id" = ItemId, Path)), responses((status = 200, body = WhereUsed), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/items/{id}/where-used")]
pub async fn where_used(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ItemId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| structure::where_used(c, &actor, id))
            .await?,
    ))
}

/// The standard cost of one unit rolled up through the BOM (components at their own rolled-up
/// or standard cost) and the routing (hours at the work centers' hourly cost).
#[utoipa::path(tag = "mrp", params(("id" = ItemId, Path)), responses((status = 200, body = CostRollup), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/items/{id}/cost-rollup")]
pub async fn cost_rollup(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ItemId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| structure::cost_rollup(c, &actor, id))
            .await?,
    ))
}
