use erp_core::audit::{self, Change};
use erp_core::auth::{password, Actor, AuthSettings};
use erp_core::db::{new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{CompanyId, PartnerId};
use erp_core::money::{Money, Price, Qty};
use erp_core::pagination::PageParams;

use super::auth::PortalActor;
pub use super::dto::*;
use super::repo;
use crate::access;
use crate::customer::repo as customer_repo;
use crate::error::CrmError;
use crate::ids::{PortalAccountId, SalesOrderId};
use crate::model::{PortalAccountRow, SalesOrderRow, TicketRow};
use crate::ticket::service::{self as ticket, TicketResponse};

const ENTITY: &str = "portal_account";

fn account_response(a: &PortalAccountRow) -> Result<PortalAccountResponse, AppError> {
    Ok(PortalAccountResponse {
        id: PortalAccountId::from_db(&a.id)?,
        customer_id: PartnerId::from_db(&a.customer_id)?,
        login: a.login.clone(),
        name: a.name.clone(),
        active: a.active,
        last_login_at: a.last_login_at.map(|t| t.and_utc()),
        created_at: a.created_at.and_utc(),
    })
}

/// Logins are compared without case and surrounding blanks.
fn normalize_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// Opens a portal account for a customer the actor works on.
pub fn create_portal_account(
    conn: &mut DbConnection,
    actor: &Actor,
    customer_id: PartnerId,
    req: CreatePortalAccountRequest,
) -> Result<PortalAccountResponse, AppError> {
    actor.require(access::WRITE)?;
    let login = normalize_login(&req.login);
    let mut v = Validator::new();
    v.check(
        (3..=200).contains(&login.chars().count())
            && !login.chars().any(|c| c.is_whitespace() || c.is_control()),
        "login",
        "3 to 200 characters without spaces",
    );
    v.text("name", &req.name, 200);
    password::check_policy(&mut v, "password", &req.password);
    v.finish()?;
    let hash = password::hash(&req.password)?;
    write_tx(conn, |conn| {
        let c = crate::customer::service::load_writable(conn, actor, &customer_id.to_string())?;
        if repo::login_taken(conn, &login)? {
            return Err(CrmError::LoginTaken.into());
        }
        let a = PortalAccountRow {
            id: new_id(),
            company_id: c.company_id.clone(),
            customer_id: c.partner_id.clone(),
            login: login.clone(),
            name: req.name.trim().to_string(),
            password_hash: hash.clone(),
            active: true,
            last_login_at: None,
            failed_logins: 0,
            locked_until: None,
            created_at: now(),
        };
        repo::insert_account(conn, &a)?;
        let out = account_response(&a)?;
        audit::record(conn, actor, ENTITY, &a.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn list_portal_accounts(
    conn: &mut DbConnection,
    actor: &Actor,
    customer_id: PartnerId,
) -> Result<PortalAccountList, AppError> {
    actor.require(access::READ)?;
    let c = crate::customer::service::load_readable(conn, actor, customer_id)?;
    let rows = repo::accounts_of(conn, &c.partner_id)?;
    Ok(PortalAccountList {
        items: rows
            .iter()
            .map(account_response)
            .collect::<Result<_, _>>()?,
    })
}

/// Ends an account: its tokens stop working at once.
pub fn deactivate_portal_account(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PortalAccountId,
) -> Result<PortalAccountResponse, AppError> {
    actor.require(access::WRITE)?;
    write_tx(conn, |conn| {
        let mut a = repo::find_account(conn, &id.to_string(), &actor.company_id.to_db())?
            .ok_or(AppError::NotFound(ENTITY))?;
        access::check_record(conn, actor, &a.customer_id, &a.company_id, true, ENTITY)?;
        a.active = false;
        repo::deactivate(conn, &a.id)?;
        let out = account_response(&a)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &a.id,
            Change::Action("deactivate", Some(&out)),
        )?;
        Ok(out)
    })
}

/// The account a login names, if active.
pub fn find_login(
    conn: &mut DbConnection,
    login: &str,
) -> Result<Option<PortalAccountRow>, AppError> {
    Ok(repo::active_login(conn, &normalize_login(login))?)
}

/// Wrong passwords in a row that lock an account, and for how long.
const MAX_FAILED_LOGINS: i32 = 5;
const LOCK_MINUTES: i64 = 15;

/// Refuses a login to a locked account before its password is looked at.
pub fn check_not_locked(a: &PortalAccountRow) -> Result<(), AppError> {
    match a.locked_until {
        Some(until) if until > now() => Err(AppError::Unauthenticated(format!(
            "too many wrong passwords: the account is locked until {} UTC",
            until.format("%Y-%m-%d %H:%M")
        ))),
        _ => Ok(()),
    }
}

/// Counts a wrong password (audited); the fifth in a row locks the account for 15 minutes.
pub fn record_failed_login(conn: &mut DbConnection, a: &PortalAccountRow) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let failed = repo::failed_logins(conn, &a.id)? + 1;
        let locked = failed >= MAX_FAILED_LOGINS;
        repo::set_failed_logins(
            conn,
            &a.id,
            if locked { 0 } else { failed },
            locked.then(|| now() + chrono::Duration::minutes(LOCK_MINUTES)),
        )?;
        let actor = PortalActor {
            account: a.clone(),
            request_id: None,
        }
        .audit_actor()?;
        audit::record(
            conn,
            &actor,
            ENTITY,
            &a.id,
            Change::Action(if locked { "locked" } else { "login_failed" }, None::<&()>),
        )
    })
}

/// A portal token for an account whose password was checked.
pub fn start_session(
    conn: &mut DbConnection,
    auth: &AuthSettings,
    a: &PortalAccountRow,
) -> Result<PortalTokenResponse, AppError> {
    repo::logged_in(conn, &a.id, now())?;
    let issued = auth.issue_portal(&a.id, &a.company_id)?;
    Ok(PortalTokenResponse {
        access_token: issued.token,
        token_type: "Bearer".into(),
        expires_in: issued.expires_in,
    })
}

pub fn me(conn: &mut DbConnection, p: &PortalActor) -> Result<PortalMe, AppError> {
    let name = crate::notify::repo::partner_name(conn, &p.account.customer_id)?;
    Ok(PortalMe {
        account_id: PortalAccountId::from_db(&p.account.id)?,
        name: p.account.name.clone(),
        customer_id: PartnerId::from_db(&p.account.customer_id)?,
        customer_name: name,
    })
}

/// The customer's orders as they read them, their lines read in one query.
fn portal_orders(
    conn: &mut DbConnection,
    orders: &[SalesOrderRow],
) -> Result<Vec<PortalOrder>, AppError> {
    let ids: Vec<String> = orders.iter().map(|o| o.id.clone()).collect();
    let mut lines = repo::lines_of(conn, &ids)?;
    orders
        .iter()
        .map(|o| {
            Ok(PortalOrder {
                id: SalesOrderId::from_db(&o.id)?,
                number: o.number.clone(),
                status: o.status,
                currency: o.currency.clone(),
                total: Money::from_scaled(o.total),
                lines: lines
                    .remove(&o.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|l| PortalOrderLine {
                        line_no: l.line_no,
                        sku: l.sku,
                        item_name: l.item_name,
                        quantity: Qty::from_scaled(l.quantity),
                        delivered_quantity: Qty::from_scaled(l.delivered),
                        unit_price: Price::from_scaled(l.unit_price),
                        discount_percent: Qty::from_scaled(l.discount_percent),
                        line_total: Money::from_scaled(l.line_total),
                    })
                    .collect(),
                created_at: o.created_at.and_utc(),
                updated_at: o.updated_at.and_utc(),
            })
        })
        .collect()
}

pub fn orders(
    conn: &mut DbConnection,
    p: &PortalActor,
    page: PageParams,
) -> Result<PortalOrderList, AppError> {
    let page = page.validate()?;
    let rows = repo::orders_page(conn, &p.account.customer_id, &page)?;
    let (rows, next_cursor) = page.finish(rows, |o: &SalesOrderRow| (o.created_at, o.id.as_str()));
    Ok(PortalOrderList {
        items: portal_orders(conn, &rows)?,
        next_cursor,
    })
}

/// One of the customer's orders; any other order is 404, as if absent.
pub fn order(
    conn: &mut DbConnection,
    p: &PortalActor,
    id: SalesOrderId,
) -> Result<PortalOrder, AppError> {
    let o = own_order(conn, p, id)?;
    portal_orders(conn, std::slice::from_ref(&o))?
        .pop()
        .ok_or(AppError::NotFound("sales_order"))
}

/// One of the customer's orders as a PDF sheet.
pub fn order_sheet(
    conn: &mut DbConnection,
    p: &PortalActor,
    id: SalesOrderId,
) -> Result<erp_core::pdf::Sheet, AppError> {
    let o = own_order(conn, p, id)?;
    let o = crate::order::service::to_response(conn, &o)?;
    crate::order::service::order_sheet(conn, CompanyId::from_db(&p.account.company_id)?, &o)
}

/// One of the customer's posted invoices or credit notes as a PDF sheet.
pub fn invoice_sheet(
    conn: &mut DbConnection,
    p: &PortalActor,
    id: erp_finance::ids::InvoiceId,
) -> Result<erp_core::pdf::Sheet, AppError> {
    let company_id = &p.account.company_id;
    let i = erp_finance::invoice::service::get_for_customer(
        conn,
        CompanyId::from_db(company_id)?,
        PartnerId::from_db(&p.account.customer_id)?,
        id,
    )?;
    erp_finance::invoice::print::sheet(conn, CompanyId::from_db(company_id)?, &i)
}

/// The row of one of the customer's confirmed (not draft) orders.
fn own_order(
    conn: &mut DbConnection,
    p: &PortalActor,
    id: SalesOrderId,
) -> Result<SalesOrderRow, AppError> {
    repo::own_order(conn, &p.account.customer_id, &id.to_string())?
        .ok_or(AppError::NotFound("sales_order"))
}

/// The customer's own statement between two dates (as a receivable), whichever branch
/// invoiced it.
pub fn statement(
    conn: &mut DbConnection,
    p: &PortalActor,
    q: PortalStatementQuery,
) -> Result<erp_finance::aging::dto::PartnerStatement, AppError> {
    erp_finance::aging::service::partner_statement(
        conn,
        CompanyId::from_db(&p.account.company_id)?,
        erp_finance::aging::service::Viewer::Partner,
        erp_core::ids::PartnerId::from_db(&p.account.customer_id)?,
        erp_finance::aging::dto::PartnerStatementQuery {
            side: erp_finance::aging::dto::Side::Receivable,
            from: q.from,
            to: q.to,
        },
    )
}

/// The customer's own account, whichever branch invoiced it.
pub fn open_invoices(
    conn: &mut DbConnection,
    p: &PortalActor,
) -> Result<erp_finance::aging::dto::PartnerPosition, AppError> {
    erp_finance::aging::service::partner_position(
        conn,
        CompanyId::from_db(&p.account.company_id)?,
        erp_finance::aging::service::Viewer::Partner,
        erp_finance::aging::dto::Side::Receivable,
        PartnerId::from_db(&p.account.customer_id)?,
        chrono::Utc::now().date_naive(),
    )
}

pub fn tickets(
    conn: &mut DbConnection,
    p: &PortalActor,
    page: PageParams,
) -> Result<PortalTicketList, AppError> {
    let page = page.validate()?;
    let rows = repo::tickets_page(conn, &p.account.customer_id, &page)?;
    let (rows, next_cursor) = page.finish(rows, |t: &TicketRow| (t.created_at, t.id.as_str()));
    Ok(PortalTicketList {
        items: rows
            .iter()
            .map(ticket::to_response)
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// A ticket the customer opens; the customer's manager owns it.
pub fn open_ticket(
    conn: &mut DbConnection,
    p: &PortalActor,
    req: PortalTicketRequest,
) -> Result<TicketResponse, AppError> {
    let actor = p.audit_actor()?;
    write_tx(conn, |conn| {
        let c = customer_repo::find(conn, &p.account.customer_id, &p.account.company_id)?
            .ok_or(AppError::NotFound("customer"))?;
        ticket::open(
            conn,
            &actor,
            &c,
            ticket::CreateTicketRequest {
                customer_id: PartnerId::from_db(&c.partner_id)?,
                order_id: req.order_id,
                kind: req.kind,
                subject: req.subject,
                description: req.description,
                cause: req.cause,
                priority: None,
                sla_due_at: None,
            },
        )
    })
}
