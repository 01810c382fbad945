use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created_versioned, ok_versioned, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::Ctx;

use super::dto::*;
use super::{output, service};
use crate::ids::ProductionOrderId;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_production_orders)
        .service(create_production_order)
        .service(get_production_order)
        .service(issue_components)
        .service(report_operation)
        .service(receive_output)
        .service(close_production_order)
        .service(cancel_production_order)
        .service(production_report)
        .service(production_output)
        .service(production_output_svg);
}

/// List production orders
#[utoipa::path(tag = "mrp", params(ListParams, ProductionListQuery), responses((status = 200, body = ProductionOrderPage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/production-orders")]
pub async fn list_production_orders(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<ProductionListQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_production_orders(c, &actor, &params.0, q.0))
            .await?,
    ))
}

/// Releases a production order for a made item: components from its active BOM are reserved
/// in the location as far as stock allows (the rest shows as shortage), operations come from
/// its routing.
#[utoipa::path(tag = "mrp", request_body = CreateProductionOrderRequest, responses((status = 201, body = ProductionOrderResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/production-orders")]
pub async fn create_production_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CreateProductionOrderRequest>,
) -> Result<HttpResponse, AppError> {
    let o = ctx
        .db
        .run(move |c| service::create_production_order(c, &actor, body.0, None))
        .await?;
    Ok(created_versioned(
        &o,
        o.version,
        format!("/api/v1/mrp/production-orders/{}", o.id),
    ))
}

/// A production order with its components and operations
#[utoipa::path(tag = "mrp", params(("id" = ProductionOrderId, Path)), responses((status = 200, body = ProductionOrderResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/production-orders/{id}")]
pub async fn get_production_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ProductionOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let o = ctx
        .db
        .run(move |c| service::get_production_order(c, &actor, id))
        .await?;
    Ok(ok_versioned(&o, o.version))
}

/// Issues components to the order (from their reservations first); without `lines`,
/// everything still to issue.
#[utoipa::path(tag = "mrp", params(("id" = ProductionOrderId, Path)), request_body = IssueRequest, responses((status = 200, body = ProductionOrderResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/production-orders/{id}/issue")]
pub async fn issue_components(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ProductionOrderId>,
    body: Json<IssueRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let o = ctx
        .db
        .run(move |c| service::issue(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&o, o.version))
}

/// Reports quantities and hours on one operation of the order.
#[utoipa::path(tag = "mrp", params(("id" = ProductionOrderId, Path), ("seq" = i32, Path)), request_body = ReportOperationRequest, responses((status = 200, body = ProductionOrderResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/production-orders/{id}/operations/{seq}/report")]
pub async fn report_operation(
    ctx: web::Data<Ctx>,
    actor: Actor,
    path: web::Path<(ProductionOrderId, i32)>,
    body: Json<ReportOperationRequest>,
) -> Result<HttpResponse, AppError> {
    let (id, seq) = path.into_inner();
    let o = ctx
        .db
        .run(move |c| service::report_operation(c, &actor, id, seq, body.0))
        .await?;
    Ok(ok_versioned(&o, o.version))
}

/// Receives finished output into stock (backflushing components when the order says so).
#[utoipa::path(tag = "mrp", params(("id" = ProductionOrderId, Path)), request_body = ReceiveOutputRequest, responses((status = 200, body = ProductionOrderResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/production-orders/{id}/receive")]
pub async fn receive_output(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ProductionOrderId>,
    body: Json<ReceiveOutputRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let o = ctx
        .db
        .run(move |c| service::receive_output(c, &actor, id, body.0))
        .await?;
    Ok(ok_versioned(&o, o.version))
}

/// Closes the order (releasing what is still reserved) and answers the plan-against-actual
/// report.
#[utoipa::path(tag = "mrp", params(("id" = ProductionOrderId, Path)), responses((status = 200, body = ProductionReport), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/production-orders/{id}/close")]
pub async fn close_production_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ProductionOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::close(c, &actor, id)).await?))
}

/// Cancels an order nothing was issued to or received from; its reservations are released.
#[utoipa::path(tag = "mrp", params(("id" = ProductionOrderId, Path)), responses((status = 200, body = ProductionOrderResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/mrp/production-orders/{id}/cancel")]
pub async fn cancel_production_order(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ProductionOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let o = ctx.db.run(move |c| service::cancel(c, &actor, id)).await?;
    Ok(ok_versioned(&o, o.version))
}

/// Plan against execution: material quantities and cost, operation hours and cost, variance.
#[utoipa::path(tag = "mrp", params(("id" = ProductionOrderId, Path)), responses((status = 200, body = ProductionReport), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/production-orders/{id}/report")]
pub async fn production_report(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ProductionOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::report(c, &actor, id)).await?))
}

/// Planned against actual production
///
/// Per item, the production orders due in the period (cancelled ones left out): how many,
/// their quantity, what has been received, and how many are late (past due and still open).
#[utoipa::path(tag = "mrp", params(OutputQuery), responses((status = 200, body = OutputReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/reports/production-output")]
pub async fn production_output(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<OutputQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| output::output(c, &actor, q.0)).await?))
}

/// Planned against actual production as a chart
///
/// The production output report drawn as SVG bars (planned and received per item), with the
/// same filters and rights.
#[utoipa::path(tag = "mrp", params(OutputQuery), responses((status = 200, description = "An SVG image", content_type = "image/svg+xml", body = String)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/mrp/reports/production-output.svg")]
pub async fn production_output_svg(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<OutputQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx.db.run(move |c| output::output(c, &actor, q.0)).await?;
    Ok(erp_core::chart::svg_response(&output::chart(&r)))
}
