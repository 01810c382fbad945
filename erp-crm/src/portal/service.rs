use chrono::{DateTime, Utc};
use diesel::prelude::*;
use erp_core::audit::{self, Change};
use erp_core::auth::{password, Actor, AuthSettings};
use erp_core::db::schema::{
    crm_portal_accounts as pa, crm_sales_order_lines as ol, crm_sales_orders as so,
    crm_tickets as tt, items, partners,
};
use erp_core::db::{enum_from_db, new_id, now, uuid_from_db, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::{Money, Price, Qty};
use erp_core::pagination::PageParams;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::PortalActor;
use crate::access;
use crate::customer::repo as customer_repo;
use crate::model::{PortalAccountRow, SalesOrderRow, TicketRow};
use crate::order::dto::OrderStatus;
use crate::ticket::service::{self as ticket, TicketKind, TicketResponse};

const ENTITY: &str = "portal_account";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePortalAccountRequest {
    /// What the customer logs in with (usually an e-mail address); unique.
    pub login: String,
    /// The person using the account.
    pub name: String,
    /// At least 8 characters.
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PortalAccountResponse {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub login: String,
    pub name: String,
    pub active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalAccountList {
    pub items: Vec<PortalAccountResponse>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalLoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalTokenResponse {
    /// Send as `Authorization: Bearer <access_token>` to `/api/v1/portal/...` only.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until it expires; log in again then.
    pub expires_in: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalMe {
    pub account_id: Uuid,
    pub name: String,
    pub customer_id: Uuid,
    pub customer_name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalOrderLine {
    pub line_no: i32,
    pub sku: String,
    pub item_name: String,
    pub quantity: Qty,
    pub delivered_quantity: Qty,
    pub unit_price: Price,
    pub discount_percent: Qty,
    pub line_total: Money,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalOrder {
    pub id: Uuid,
    pub number: String,
    pub status: OrderStatus,
    pub currency: String,
    pub total: Money,
    pub lines: Vec<PortalOrderLine>,
    pub created_at: DateTime<Utc>,
    /// When the status last changed.
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalOrderList {
    /// Newest first; drafts are internal and not shown.
    pub items: Vec<PortalOrder>,
    /// The next page's `cursor`; null on the last page.
    pub next_cursor: Option<String>,
}

/// The period of the customer's statement.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PortalStatementQuery {
    /// First day.
    pub from: chrono::NaiveDate,
    /// Last day (default: today).
    pub to: Option<chrono::NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalTicketRequest {
    /// One of the customer's orders, if the ticket is about one.
    pub order_id: Option<Uuid>,
    pub kind: TicketKind,
    pub subject: String,
    pub description: Option<String>,
    /// What went wrong; a complaint needs it.
    pub cause: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortalTicketList {
    /// Newest first.
    pub items: Vec<TicketResponse>,
    /// The next page's `cursor`; null on the last page.
    pub next_cursor: Option<String>,
}

fn account_response(a: &PortalAccountRow) -> Result<PortalAccountResponse, AppError> {
    Ok(PortalAccountResponse {
        id: uuid_from_db(&a.id)?,
        customer_id: uuid_from_db(&a.customer_id)?,
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
    customer_id: Uuid,
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
        let taken: i64 = pa::table
            .filter(pa::login.eq(&login))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(AppError::conflict(
                "login_taken",
                "this login is already used",
            ));
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
        diesel::insert_into(pa::table).values(&a).execute(conn)?;
        let out = account_response(&a)?;
        audit::record(conn, actor, ENTITY, &a.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn list_portal_accounts(
    conn: &mut DbConnection,
    actor: &Actor,
    customer_id: Uuid,
) -> Result<PortalAccountList, AppError> {
    actor.require(access::READ)?;
    let c = crate::customer::service::load_readable(conn, actor, customer_id)?;
    let rows: Vec<PortalAccountRow> = pa::table
        .filter(pa::customer_id.eq(&c.partner_id))
        .order(pa::created_at)
        .select(PortalAccountRow::as_select())
        .load(conn)?;
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
    id: Uuid,
) -> Result<PortalAccountResponse, AppError> {
    actor.require(access::WRITE)?;
    write_tx(conn, |conn| {
        let mut a: PortalAccountRow = pa::table
            .find(id.to_string())
            .filter(pa::company_id.eq(actor.company_id.to_db()))
            .select(PortalAccountRow::as_select())
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound(ENTITY))?;
        access::check_record(conn, actor, &a.customer_id, &a.company_id, true, ENTITY)?;
        a.active = false;
        diesel::update(pa::table.find(&a.id))
            .set(pa::active.eq(false))
            .execute(conn)?;
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
    Ok(pa::table
        .filter(pa::login.eq(normalize_login(login)))
        .filter(pa::active.eq(true))
        .select(PortalAccountRow::as_select())
        .first(conn)
        .optional()?)
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
        let failed: i32 = pa::table
            .find(&a.id)
            .select(pa::failed_logins)
            .first(conn)?;
        let failed = failed + 1;
        let locked = failed >= MAX_FAILED_LOGINS;
        diesel::update(pa::table.find(&a.id))
            .set((
                pa::failed_logins.eq(if locked { 0 } else { failed }),
                pa::locked_until
                    .eq(locked.then(|| now() + chrono::Duration::minutes(LOCK_MINUTES))),
            ))
            .execute(conn)?;
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
    diesel::update(pa::table.find(&a.id))
        .set((
            pa::last_login_at.eq(Some(now())),
            pa::failed_logins.eq(0),
            pa::locked_until.eq(None::<chrono::NaiveDateTime>),
        ))
        .execute(conn)?;
    let issued = auth.issue_portal(&a.id, &a.company_id)?;
    Ok(PortalTokenResponse {
        access_token: issued.token,
        token_type: "Bearer".into(),
        expires_in: issued.expires_in,
    })
}

pub fn me(conn: &mut DbConnection, p: &PortalActor) -> Result<PortalMe, AppError> {
    let name: String = partners::table
        .find(&p.account.customer_id)
        .select(partners::name)
        .first(conn)?;
    Ok(PortalMe {
        account_id: uuid_from_db(&p.account.id)?,
        name: p.account.name.clone(),
        customer_id: uuid_from_db(&p.account.customer_id)?,
        customer_name: name,
    })
}

/// An order line with its item, as the customer reads it.
#[derive(Queryable)]
struct LineRow {
    line_no: i32,
    sku: String,
    item_name: String,
    quantity: i64,
    delivered: i64,
    unit_price: i64,
    discount_percent: i64,
    line_total: i64,
}

fn portal_order(conn: &mut DbConnection, o: &SalesOrderRow) -> Result<PortalOrder, AppError> {
    let lines: Vec<LineRow> = ol::table
        .inner_join(items::table.on(items::id.eq(ol::item_id)))
        .filter(ol::order_id.eq(&o.id))
        .order(ol::line_no)
        .select((
            ol::line_no,
            items::sku,
            items::name,
            ol::quantity,
            ol::delivered_quantity,
            ol::unit_price,
            ol::discount_percent,
            ol::line_total,
        ))
        .load(conn)?;
    Ok(PortalOrder {
        id: uuid_from_db(&o.id)?,
        number: o.number.clone(),
        status: enum_from_db(&o.status)?,
        currency: o.currency.clone(),
        total: Money::from_scaled(o.total),
        lines: lines
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
}

pub fn orders(
    conn: &mut DbConnection,
    p: &PortalActor,
    page: PageParams,
) -> Result<PortalOrderList, AppError> {
    let page = page.validate()?;
    let query = so::table
        .filter(so::customer_id.eq(&p.account.customer_id))
        .filter(so::status.ne("draft"))
        .order((so::created_at.desc(), so::id.desc()))
        .limit(page.fetch_limit())
        .select(SalesOrderRow::as_select())
        .into_boxed();
    let rows: Vec<SalesOrderRow> =
        erp_core::after_key!(query, page, so::created_at, so::id, desc).load(conn)?;
    let (rows, next_cursor) = page.finish(rows, |o: &SalesOrderRow| (o.created_at, o.id.as_str()));
    Ok(PortalOrderList {
        items: rows
            .iter()
            .map(|o| portal_order(conn, o))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// One of the customer's orders; any other order is 404, as if absent.
pub fn order(conn: &mut DbConnection, p: &PortalActor, id: Uuid) -> Result<PortalOrder, AppError> {
    let o = own_order(conn, p, id)?;
    portal_order(conn, &o)
}

/// One of the customer's orders as a PDF sheet.
pub fn order_sheet(
    conn: &mut DbConnection,
    p: &PortalActor,
    id: Uuid,
) -> Result<erp_core::pdf::Sheet, AppError> {
    let o = own_order(conn, p, id)?;
    let o = crate::order::service::to_response(conn, &o)?;
    crate::order::service::order_sheet(conn, &p.account.company_id, &o)
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
        company_id,
        &p.account.customer_id,
        id,
    )?;
    erp_finance::invoice::print::sheet(conn, company_id, &i)
}

/// The row of one of the customer's confirmed (not draft) orders.
fn own_order(
    conn: &mut DbConnection,
    p: &PortalActor,
    id: Uuid,
) -> Result<SalesOrderRow, AppError> {
    let o: SalesOrderRow = so::table
        .find(id.to_string())
        .filter(so::customer_id.eq(&p.account.customer_id))
        .filter(so::status.ne("draft"))
        .select(SalesOrderRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound("sales_order"))?;
    Ok(o)
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
        &p.account.company_id,
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
        &p.account.company_id,
        erp_finance::aging::service::Viewer::Partner,
        erp_finance::aging::dto::Side::Receivable,
        &p.account.customer_id,
        chrono::Utc::now().date_naive(),
    )
}

pub fn tickets(
    conn: &mut DbConnection,
    p: &PortalActor,
    page: PageParams,
) -> Result<PortalTicketList, AppError> {
    let page = page.validate()?;
    let query = tt::table
        .filter(tt::customer_id.eq(&p.account.customer_id))
        .order((tt::created_at.desc(), tt::id.desc()))
        .limit(page.fetch_limit())
        .select(TicketRow::as_select())
        .into_boxed();
    let rows: Vec<TicketRow> =
        erp_core::after_key!(query, page, tt::created_at, tt::id, desc).load(conn)?;
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
                customer_id: uuid_from_db(&c.partner_id)?,
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
