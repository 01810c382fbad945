use actix_web::{get, post, web, HttpRequest, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{ok_versioned, Json, Query};
use erp_core::pagination::{ListParams, PageParams};
use erp_core::Ctx;
use erp_inventory::ids::ItemId;

use super::dto::*;
use super::{messages, plan, records, reports, service};
use crate::ids::{PlannedOrderId, RunId};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(start_run)
        .service(list_runs)
        .service(get_run)
        .service(run_records)
        .service(item_record)
        .service(list_planned_orders)
        .service(get_planned_order)
        .service(planned_order_pegging)
        .service(firm_planned_order)
        .service(release_planned_order)
        .service(list_messages)
        .service(purchase_commitments)
        .service(production_schedule);
}

/// Starts a planning run and answers at once with 202 and the run; `GET /mrp/runs/{id}`
/// shows its progress and result. A company runs one plan at a time (409 `run_in_progress`).
#[utoipa::path(tag = "mrp", request_body = StartRunRequest, responses((status = 202, body = RunResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/runs")]
pub async fn start_run(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<StartRunRequest>,
) -> Result<HttpResponse, AppError> {
    let run = ctx
        .db
        .run(move |c| service::start_run(c, &actor, body.0))
        .await?;
    let id = run.id.to_string();
    let job = ctx.clone();
    // The job reads the run row this request wrote: it starts once that row is committed.
    ctx.db.spawn_after_commit(async move {
        if let Err(e) = job.db.run(move |c| service::execute(c, &id)).await {
            tracing::error!(error = %e, "planning run could not record its end");
        }
    });
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/mrp/runs/{}", run.id)))
        .json(run))
}

/// List MRP runs
#[utoipa::path(tag = "mrp", params(PageParams), responses((status = 200, body = RunList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/runs")]
pub async fn list_runs(
    ctx: web::Data<Ctx>,
    actor: Actor,
    page: Query<PageParams>,
) -> Result<HttpResponse, AppError> {
    let runs = ctx
        .db
        .run(move |c| service::list_runs(c, &actor, page.0))
        .await?;
    Ok(HttpResponse::Ok().json(runs))
}

/// An MRP run and its progress
#[utoipa::path(tag = "mrp", params(("id" = RunId, Path)), responses((status = 200, body = RunResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/runs/{id}")]
pub async fn get_run(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<RunId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::get_run(c, &actor, id)).await?))
}

/// The MRP records of the run's plan, a page at a time (in item id order), filtered by item,
/// low-level code or whether the item has action messages. Only the current plan is kept:
/// for a run whose plan a later run replaced, or one that has not succeeded, 409
/// (`plan_superseded`, `run_not_succeeded`).
#[utoipa::path(tag = "mrp", params(("id" = RunId, Path), RecordQuery), responses((status = 200, body = MrpRecordPage), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/runs/{id}/records")]
pub async fn run_records(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<RunId>,
    q: Query<RecordQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| records::list_records(c, &actor, id, q.0))
            .await?,
    ))
}

/// The item's MRP record from the current plan: gross requirements, scheduled receipts,
/// projected on hand, net requirements, planned order receipts and releases per bucket.
#[utoipa::path(tag = "mrp", params(("id" = ItemId, Path)), responses((status = 200, body = MrpRecordResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/items/{id}/record")]
pub async fn item_record(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ItemId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| plan::record(c, &actor, id)).await?))
}

/// List planned orders
#[utoipa::path(tag = "mrp", params(ListParams, PlannedOrderQuery), responses((status = 200, body = PlannedOrderPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/planned-orders")]
pub async fn list_planned_orders(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<PlannedOrderQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| plan::list_planned_orders(c, &actor, &params.0, q.0))
            .await?,
    ))
}

/// A planned order
#[utoipa::path(tag = "mrp", params(("id" = PlannedOrderId, Path)), responses((status = 200, body = PlannedOrderResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/planned-orders/{id}")]
pub async fn get_planned_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PlannedOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let o = ctx
        .db
        .run(move |c| plan::get_planned_order(c, &actor, id))
        .await?;
    Ok(ok_versioned(&o, o.version))
}

/// What the planned order serves, level by level up to the end items' demands.
#[utoipa::path(tag = "mrp", params(("id" = PlannedOrderId, Path)), responses((status = 200, body = PeggedOrder), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/planned-orders/{id}/pegging")]
pub async fn planned_order_pegging(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PlannedOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| plan::pegging(c, &actor, id)).await?))
}

/// Firms a planned order, with a new quantity or dates if given: later runs keep it and plan
/// around it.
#[utoipa::path(
    tag = "mrp",
    params(("id" = PlannedOrderId, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version this change is based on")),
    request_body = ChangePlannedOrderRequest,
    responses((status = 200, body = PlannedOrderResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/mrp/planned-orders/{id}/firm")]
pub async fn firm_planned_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    req: HttpRequest,
    id: web::Path<PlannedOrderId>,
    body: Json<ChangePlannedOrderRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = match (req.headers().contains_key("if-match"), body.0.version) {
        (false, None) => None,
        (_, v) => Some(erp_core::http::expected_version(&req, v)?),
    };
    let id = id.into_inner();
    let o = ctx
        .db
        .run(move |c| plan::firm(c, &actor, id, expected, body.0))
        .await?;
    Ok(ok_versioned(&o, o.version))
}

/// Releases a planned order as a production order (made items) or a draft purchase order
/// (bought items); the planned order leaves the plan.
#[utoipa::path(tag = "mrp", params(("id" = PlannedOrderId, Path)), request_body = ReleasePlannedOrderRequest, responses((status = 201, body = ReleaseResult), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/planned-orders/{id}/release")]
pub async fn release_planned_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PlannedOrderId>,
    body: Json<ReleasePlannedOrderRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = ctx
        .db
        .run(move |c| plan::release(c, &actor, id, body.0))
        .await?;
    let location = match r.document_type.as_str() {
        "production_order" => format!("/api/v1/mrp/production-orders/{}", r.document_id),
        _ => format!("/api/v1/inventory/purchase-orders/{}", r.document_id),
    };
    Ok(erp_core::http::created(&r, location))
}

/// Action messages of the current plan: release, past due, expedite, defer, cancel, increase,
/// decrease, time fence, and data errors. Undated messages (data errors) come first, then by
/// scheduled date.
#[utoipa::path(tag = "mrp", params(PageParams, MessageQuery), responses((status = 200, body = ActionMessageList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/action-messages")]
pub async fn list_messages(
    ctx: web::Data<Ctx>,
    actor: Actor,
    page: Query<PageParams>,
    q: Query<MessageQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| messages::list(c, &actor, q.0, page.0))
            .await?,
    ))
}

/// Purchase commitments by supplier and period: open purchase order lines and planned
/// purchases.
#[utoipa::path(tag = "mrp", params(ReportQuery), responses((status = 200, body = CommitmentReport), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/reports/purchase-commitments")]
pub async fn purchase_commitments(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| reports::purchase_commitments(c, &actor, q.0))
            .await?,
    ))
}

/// The schedule of planned production: planned and firm make orders and open production
/// orders, by start date.
#[utoipa::path(tag = "mrp", responses((status = 200, body = ProductionSchedule)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/reports/production-schedule")]
pub async fn production_schedule(
    ctx: web::Data<Ctx>,
    actor: Actor,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| reports::production_schedule(c, &actor))
            .await?,
    ))
}
