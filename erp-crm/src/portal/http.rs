use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::{password, Actor};
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, created_versioned, Json, Query};
use erp_core::ids::PartnerId;
use erp_core::pagination::PageParams;
use erp_core::Ctx;

use super::auth::PortalActor;
use super::service::{
    self, CreatePortalAccountRequest, PortalAccountList, PortalAccountResponse, PortalLoginRequest,
    PortalMe, PortalOrder, PortalOrderList, PortalStatementQuery, PortalTicketList,
    PortalTicketRequest, PortalTokenResponse,
};
use crate::ids::{PortalAccountId, SalesOrderId};
use crate::ticket::service::TicketResponse;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_portal_account)
        .service(list_portal_accounts)
        .service(deactivate_portal_account)
        .service(portal_login)
        .service(portal_me)
        .service(portal_orders)
        .service(portal_order)
        .service(portal_order_pdf)
        .service(portal_invoices)
        .service(portal_invoice_pdf)
        .service(portal_statement)
        .service(portal_tickets)
        .service(portal_open_ticket);
}

/// Opens a portal account for the customer (staff, on a customer they work on).
#[utoipa::path(tag = "crm", params(("id" = PartnerId, Path)), request_body = CreatePortalAccountRequest, responses((status = 201, body = PortalAccountResponse), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/customers/{id}/portal-accounts")]
pub async fn create_portal_account(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PartnerId>,
    body: Json<CreatePortalAccountRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let a = ctx
        .db
        .run(move |c| service::create_portal_account(c, &actor, id, body.0))
        .await?;
    Ok(created(
        &a,
        format!("/api/v1/crm/customers/{id}/portal-accounts"),
    ))
}

/// List a customer's portal accounts
#[utoipa::path(tag = "crm", params(("id" = PartnerId, Path)), responses((status = 200, body = PortalAccountList), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/customers/{id}/portal-accounts")]
pub async fn list_portal_accounts(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PartnerId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_portal_accounts(c, &actor, id))
            .await?,
    ))
}

/// Ends a portal account; its tokens stop working at once.
#[utoipa::path(tag = "crm", params(("id" = PortalAccountId, Path)), responses((status = 200, body = PortalAccountResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/portal-accounts/{id}/deactivate")]
pub async fn deactivate_portal_account(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PortalAccountId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::deactivate_portal_account(c, &actor, id))
            .await?,
    ))
}

/// A customer logs in to the portal; the token reaches `/api/v1/portal/...` only. Five wrong
/// passwords in a row lock the account for 15 minutes.
#[utoipa::path(tag = "portal", request_body = PortalLoginRequest, responses((status = 200, body = PortalTokenResponse), (status = 401, body = Problem, content_type = "application/problem+json")), security(()))]
#[post("/portal/login")]
pub async fn portal_login(
    ctx: web::Data<Ctx>,
    body: Json<PortalLoginRequest>,
) -> Result<HttpResponse, AppError> {
    let PortalLoginRequest {
        login,
        password: pw,
    } = body.0;
    let account = ctx.db.run(move |c| service::find_login(c, &login)).await?;
    if let Some(a) = &account {
        service::check_not_locked(a)?;
    }
    // argon2 runs on the blocking pool without holding a database connection.
    let (account, ok) = web::block(move || match account {
        Some(a) => {
            let ok = password::verify(&pw, &a.password_hash);
            (Some(a), ok)
        }
        None => {
            password::verify_dummy(&pw);
            (None, false)
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let refused = || AppError::Unauthenticated("login or password is wrong".into());
    let account = match (account, ok) {
        (Some(a), true) => a,
        (Some(a), false) => {
            ctx.db
                .run(move |c| service::record_failed_login(c, &a))
                .await?;
            return Err(refused());
        }
        (None, _) => return Err(refused()),
    };
    let ctx2 = ctx.clone();
    let token = ctx
        .db
        .run(move |c| service::start_session(c, &ctx2.auth, &account))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(token))
}

/// The signed-in customer's account
#[utoipa::path(tag = "portal", responses((status = 200, body = PortalMe)), security(("portal_auth" = [])))]
#[get("/portal/me")]
pub async fn portal_me(ctx: web::Data<Ctx>, p: PortalActor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::me(c, &p)).await?))
}

/// The customer's orders with their status and what was delivered.
#[utoipa::path(tag = "portal", params(PageParams), responses((status = 200, body = PortalOrderList)), security(("portal_auth" = [])))]
#[get("/portal/orders")]
pub async fn portal_orders(
    ctx: web::Data<Ctx>,
    p: PortalActor,
    page: Query<PageParams>,
) -> Result<HttpResponse, AppError> {
    let list = ctx.db.run(move |c| service::orders(c, &p, page.0)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One of the customer's orders
#[utoipa::path(tag = "portal", params(("id" = SalesOrderId, Path)), responses((status = 200, body = PortalOrder), (status = 404, body = Problem, content_type = "application/problem+json")), security(("portal_auth" = [])))]
#[get("/portal/orders/{id}")]
pub async fn portal_order(
    ctx: web::Data<Ctx>,
    p: PortalActor,
    id: web::Path<SalesOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::order(c, &p, id)).await?))
}

/// One of the customer's orders as PDF
#[utoipa::path(tag = "portal", params(("id" = SalesOrderId, Path)), responses((status = 200, description = "The order as PDF", content_type = "application/pdf", body = erp_core::http::FileBytes), (status = 404, body = Problem, content_type = "application/problem+json")), security(("portal_auth" = [])))]
#[get("/portal/orders/{id}/pdf")]
pub async fn portal_order_pdf(
    ctx: web::Data<Ctx>,
    p: PortalActor,
    id: web::Path<SalesOrderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    erp_core::pdf::printed(&ctx.db, move |c| service::order_sheet(c, &p, id)).await
}

/// One of the customer's invoices or credit notes as PDF
///
/// Posted documents to the customer only; anything else is 404, as if absent.
#[utoipa::path(tag = "portal", params(("id" = erp_finance::ids::InvoiceId, Path)), responses((status = 200, description = "The document as PDF", content_type = "application/pdf", body = erp_core::http::FileBytes), (status = 404, body = Problem, content_type = "application/problem+json")), security(("portal_auth" = [])))]
#[get("/portal/invoices/{id}/pdf")]
pub async fn portal_invoice_pdf(
    ctx: web::Data<Ctx>,
    p: PortalActor,
    id: web::Path<erp_finance::ids::InvoiceId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    erp_core::pdf::printed(&ctx.db, move |c| service::invoice_sheet(c, &p, id)).await
}

/// The customer's statement of account between two dates: opening balance, invoices, credit
/// notes, payments, discounts with the running balance, closing balance.
#[utoipa::path(tag = "portal", params(PortalStatementQuery), responses((status = 200, body = erp_finance::aging::dto::PartnerStatement), (status = 422, body = Problem, content_type = "application/problem+json")), security(("portal_auth" = [])))]
#[get("/portal/statement")]
pub async fn portal_statement(
    ctx: web::Data<Ctx>,
    p: PortalActor,
    q: Query<PortalStatementQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::statement(c, &p, q.0)).await?))
}

/// The customer's account today: what it owes by age and its open invoices.
#[utoipa::path(tag = "portal", responses((status = 200, body = erp_finance::aging::dto::PartnerPosition)), security(("portal_auth" = [])))]
#[get("/portal/invoices")]
pub async fn portal_invoices(
    ctx: web::Data<Ctx>,
    p: PortalActor,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ctx.db.run(move |c| service::open_invoices(c, &p)).await?))
}

/// The customer's tickets
#[utoipa::path(tag = "portal", params(PageParams), responses((status = 200, body = PortalTicketList)), security(("portal_auth" = [])))]
#[get("/portal/tickets")]
pub async fn portal_tickets(
    ctx: web::Data<Ctx>,
    p: PortalActor,
    page: Query<PageParams>,
) -> Result<HttpResponse, AppError> {
    let list = ctx.db.run(move |c| service::tickets(c, &p, page.0)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The customer opens a complaint or service ticket; their manager owns it.
#[utoipa::path(tag = "portal", request_body = PortalTicketRequest, responses((status = 201, body = TicketResponse)), security(("portal_auth" = [])))]
#[post("/portal/tickets")]
pub async fn portal_open_ticket(
    ctx: web::Data<Ctx>,
    p: PortalActor,
    body: Json<PortalTicketRequest>,
) -> Result<HttpResponse, AppError> {
    let t = ctx
        .db
        .run(move |c| service::open_ticket(c, &p, body.0))
        .await?;
    Ok(created_versioned(
        &t,
        t.version,
        "/api/v1/portal/tickets".into(),
    ))
}
