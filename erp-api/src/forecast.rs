//! The cash-flow forecast, assembled where every module is in reach: finance puts cash, open
//! receivables and payables and the items other modules expect into weeks; sales hands in open
//! orders and the weighted pipeline, purchasing open orders, MRP planned purchases, payroll
//! its pay runs.

use actix_web::{get, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::{AppError, Problem};
use erp_core::http::Query;
use erp_core::Ctx;
use erp_finance::forecast::dto::{CashForecast, CashForecastQuery};
use erp_finance::forecast::service as finance;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(cash_forecast).service(cash_forecast_svg);
}

fn assemble(
    conn: &mut DbConnection,
    actor: &Actor,
    q: CashForecastQuery,
) -> Result<CashForecast, AppError> {
    let h = finance::horizon(actor, &q)?;
    let company = actor.company_id.to_db();
    // Orders and deals in other currencies count at the rate in force on the first day.
    let mut rates = finance::Converter::new(conn, actor.company_id, &h)?;
    let mut items = erp_crm::forecast::cash_items(conn, &company, &mut rates, &h)?;
    items.extend(erp_inventory::purchase::forecast::cash_items(
        conn,
        actor.company_id,
        &mut rates,
        &h,
    )?);
    items.extend(erp_mrp::run::forecast::cash_items(
        conn,
        actor.company_id,
        &h,
    )?);
    items.extend(erp_hr::payroll::forecast::cash_items(
        conn,
        actor.company_id,
        &h,
    )?);
    finance::forecast(conn, actor, &h, items)
}

/// The cash-flow forecast by week: cash today in the cash accounts, then open receivables and
/// payables by due date, what open sales and purchase orders have not invoiced (billed) yet,
/// MRP's planned purchases, payroll by month and the sales pipeline weighted by stage
/// probability, each line naming its source; overdue items count in the first week.
#[utoipa::path(tag = "finance", params(CashForecastQuery), responses((status = 200, body = CashForecast), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/cash-forecast")]
pub async fn cash_forecast(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<CashForecastQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx.db.run(move |c| assemble(c, &actor, q.0)).await?;
    Ok(HttpResponse::Ok().json(r))
}

/// The cash-flow forecast as a chart
///
/// The forecast drawn as SVG bars: cash at the end of each week (below zero in red, left of
/// the axis), each week's inflow and outflow as text; the same filters and rights.
#[utoipa::path(tag = "finance", params(CashForecastQuery), responses((status = 200, description = "An SVG image", content_type = "image/svg+xml", body = String), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/finance/reports/cash-forecast.svg")]
pub async fn cash_forecast_svg(
    ctx: web::Data<Ctx>,
    actor: Actor,
    q: Query<CashForecastQuery>,
) -> Result<HttpResponse, AppError> {
    let r = ctx.db.run(move |c| assemble(c, &actor, q.0)).await?;
    Ok(erp_core::chart::svg_response(
        &erp_finance::forecast::chart::draw(&r),
    ))
}
