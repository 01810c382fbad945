use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, Json, Query};
use erp_core::pagination::ListParams;
use erp_core::Ctx;

use super::dto::*;
use super::{opening, post, query};
use crate::ids::{ItemId, MoveId};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_stock_moves)
        .service(post_stock_move)
        .service(post_opening_balances)
        .service(get_stock_move)
        .service(reverse_stock_move)
        .service(get_stock)
        .service(get_stock_card)
        .service(get_stock_valuation_svg)
        .service(get_stock_valuation);
}

/// The stock ledger, oldest first.
#[utoipa::path(tag = "inventory", params(ListParams, MoveListQuery), responses((status = 200, body = StockMovePage)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/stock-moves")]
pub async fn list_stock_moves(
    ctx: web::Data<Ctx>,
    actor: Actor,
    params: Query<ListParams>,
    q: Query<MoveListQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| query::list_moves(c, &actor, &params.0, q.0))
            .await?,
    ))
}

/// Posts a move: receipt, issue, transfer, adjustment or scrap. Immutable once posted; a
/// mistake is corrected by reversing it. 409 `insufficient_stock` when it would oversell.
#[utoipa::path(
    tag = "inventory",
    request_body = PostMoveRequest,
    responses((status = 201, body = StockMoveResponse), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/inventory/stock-moves")]
pub async fn post_stock_move(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<PostMoveRequest>,
) -> Result<HttpResponse, AppError> {
    let m = ctx
        .db
        .run(move |c| post::post_move(c, &actor, body.0))
        .await?;
    Ok(created(
        &m,
        format!("/api/v1/inventory/stock-moves/{}", m.id),
    ))
}

/// Post a warehouse's opening stock in one request
///
/// Each line is a receipt with reference `opening_balance` into the warehouse's `STOCK`
/// location (or the line's `location_id`), checked as a single move is; all or nothing, and
/// the 422 names every refused line by its index, e.g. `lines[4].lot`.
#[utoipa::path(tag = "inventory", params(erp_core::batch::DryRun), request_body = OpeningBalancesRequest, responses((status = 201, body = OpeningBalances), (status = 200, body = OpeningBalances, description = "A dry run: what the request would do; nothing is kept")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/inventory/opening-balances")]
pub async fn post_opening_balances(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<OpeningBalancesRequest>,
    dry: Query<erp_core::batch::DryRun>,
) -> Result<HttpResponse, AppError> {
    erp_core::http::bulk(&ctx, dry.0, StatusCode::CREATED, move |c| {
        opening::post_opening_balances(c, &actor, body.0)
    })
    .await
}

/// A stock move
#[utoipa::path(tag = "inventory", params(("id" = MoveId, Path)), responses((status = 200, body = StockMoveResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/stock-moves/{id}")]
pub async fn get_stock_move(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<MoveId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| query::get_move(c, &actor, id)).await?))
}

/// Posts the reversing move of a move (once); the value goes back as it came.
#[utoipa::path(
    tag = "inventory",
    params(("id" = MoveId, Path)),
    request_body = ReverseMoveRequest,
    responses(
        (status = 201, body = StockMoveResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []), ("api_key" = []))
)]
#[post("/inventory/stock-moves/{id}/reverse")]
pub async fn reverse_stock_move(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<MoveId>,
    body: Json<ReverseMoveRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let m = ctx
        .db
        .run(move |c| post::reverse_move(c, &actor, id, body.0))
        .await?;
    Ok(created(
        &m,
        format!("/api/v1/inventory/stock-moves/{}", m.id),
    ))
}

/// Stock on hand, reserved and available per item, location and lot; or on hand at a past instant.
#[utoipa::path(tag = "inventory", params(StockQuery), responses((status = 200, body = StockReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/stock")]
pub async fn get_stock(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<StockQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| query::stock_on_hand(c, &actor, q.0))
            .await?,
    ))
}

/// Every move of an item in a warehouse or location with the running balance.
#[utoipa::path(tag = "inventory", params(("id" = ItemId, Path), StockCardQuery), responses((status = 200, body = StockCard), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/items/{id}/stock-card")]
pub async fn get_stock_card(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<ItemId>,
    q: Query<StockCardQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| query::stock_card(c, &actor, id, q.0))
            .await?,
    ))
}

/// The value of stock per item and warehouse, now or at a past instant.
#[utoipa::path(tag = "inventory", params(ValuationQuery), responses((status = 200, body = ValuationReport)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/valuation")]
pub async fn get_stock_valuation(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<ValuationQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| query::valuation_report(c, &actor, q.0))
            .await?,
    ))
}

/// Stock value as a chart
///
/// The valuation report drawn as SVG bars: the value per warehouse, then the items by ABC
/// class (A the first 80% of the value, B the next 15%, C the rest), with the same filters
/// and rights.
#[utoipa::path(tag = "inventory", params(ValuationQuery), responses((status = 200, description = "An SVG image", content_type = "image/svg+xml", body = String)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/inventory/valuation.svg")]
pub async fn get_stock_valuation_svg(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<ValuationQuery>,
) -> Result<HttpResponse, AppError> {
    let chart = ctx
        .db
        .run(move |c| query::valuation_chart(c, &actor, q.0))
        .await?;
    Ok(erp_core::chart::svg_response(&chart))
}
