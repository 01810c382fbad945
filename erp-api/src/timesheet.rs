//! Booking hours, where every target is in reach: HR owns the entry and who may book it; CRM
//! checks a customer or a deal, MRP an operation, which takes the hours as actual labour.

use actix_web::{post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, Json};
use erp_core::Ctx;
use erp_hr::employee::model::EmployeeRow;
use erp_hr::timesheet::dto::{BookTimeRequest, Resolved, TimeTarget, TimesheetEntry};
use erp_hr::timesheet::service as timesheets;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(book_time);
}

fn resolve(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &BookTimeRequest,
    _: &EmployeeRow,
) -> Result<Resolved, AppError> {
    let company = actor.company_id.to_db();
    match req.target {
        TimeTarget::Project => Ok(Resolved::default()),
        TimeTarget::Customer => {
            let id = req.customer_id.map(|c| c.to_db()).unwrap_or_default();
            if erp_crm::customer::repo::find(conn, &id, &company)?.is_none() {
                return Err(AppError::field("customer_id", "no such customer"));
            }
            Ok(Resolved {
                partner_id: Some(id),
                reference_id: None,
            })
        }
        TimeTarget::Deal => {
            let id = req.deal_id.map(|d| d.to_string()).unwrap_or_default();
            let deal = erp_crm::deal::repo::find(conn, &id, &company)?
                .ok_or_else(|| AppError::field("deal_id", "no such deal"))?;
            Ok(Resolved {
                partner_id: Some(deal.customer_id),
                reference_id: Some(deal.id),
            })
        }
        TimeTarget::Operation => {
            let id = req
                .production_order_id
                .map(|o| o.to_string())
                .unwrap_or_default();
            erp_mrp::production::service::book_labour(
                conn,
                actor,
                &id,
                req.operation_seq.unwrap_or_default(),
                req.hours.to_scaled()?,
            )?;
            Ok(Resolved {
                partner_id: None,
                reference_id: Some(id),
            })
        }
    }
}

fn book(
    conn: &mut DbConnection,
    actor: &Actor,
    req: BookTimeRequest,
) -> Result<TimesheetEntry, AppError> {
    timesheets::book(conn, actor, req, |conn, req, e| {
        resolve(conn, actor, req, e)
    })
}

/// Books hours worked on a day against a project, a customer, a CRM deal (both show on the
/// customer's timeline) or a production order's operation (they become its actual labour):
/// for oneself (`hr.self`) or an employee (`hr.attendance.write`).
#[utoipa::path(tag = "hr", request_body = BookTimeRequest, responses((status = 201, body = TimesheetEntry), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/hr/timesheets")]
pub async fn book_time(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<BookTimeRequest>,
) -> Result<HttpResponse, AppError> {
    let t = ctx.db.run(move |c| book(c, &actor, body.0)).await?;
    let location = format!(
        "/api/v1/hr/timesheets?employee_id={}&from={}&to={}",
        t.employee_id, t.work_date, t.work_date
    );
    Ok(created(&t, location))
}
