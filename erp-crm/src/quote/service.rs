use chrono::Datelike;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::filter;
use erp_core::ids::PartnerId;
use erp_core::money::{Money, Price, Qty};
use erp_core::numbering::next_number;
use erp_core::pagination::PageParams;
use erp_inventory::ids::ItemId;

pub use super::dto::*;
use super::repo;
use crate::customer::repo as customer_repo;
use crate::error::CrmError;
use crate::ids::{DealId, QuoteId, SalesOrderId};
use crate::model::{QuoteLineRow, QuoteRow};
use crate::order::dto::{CreateOrderRequest, OrderLineInput, OrderResponse};
use crate::order::print::{sales_sheet, SalesHead, SalesLine};
use crate::order::service as order;
use crate::states::DealStatus;
use crate::{access, deal};

const ENTITY: &str = "quote";

fn to_response(conn: &mut DbConnection, q: &QuoteRow) -> Result<QuoteResponse, AppError> {
    let lines = repo::lines_of(conn, std::slice::from_ref(&q.id))?;
    respond(q, &lines)
}

/// A quote with its lines (`lines` may hold other quotes' lines too).
fn respond(q: &QuoteRow, lines: &[QuoteLineRow]) -> Result<QuoteResponse, AppError> {
    let lines: Vec<&QuoteLineRow> = lines.iter().filter(|l| l.quote_id == q.id).collect();
    let status: QuoteStatus = q.status;
    Ok(QuoteResponse {
        id: QuoteId::from_db(&q.id)?,
        number: q.number.clone(),
        deal_id: DealId::from_db(&q.deal_id)?,
        customer_id: PartnerId::from_db(&q.customer_id)?,
        status,
        currency: q.currency.clone(),
        valid_until: q.valid_until,
        expired: matches!(status, QuoteStatus::Draft | QuoteStatus::Sent)
            && q.valid_until.is_some_and(|v| v < now().date()),
        total: Money::from_scaled(q.total),
        notes: q.notes.clone(),
        order_id: SalesOrderId::from_db_opt(q.order_id.as_deref())?,
        lines: lines
            .iter()
            .map(|l| {
                Ok(QuoteLineResponse {
                    line_no: l.line_no,
                    item_id: l.item_id,
                    quantity: Qty::from_scaled(l.quantity),
                    unit_price: Price::from_scaled(l.unit_price),
                    discount_percent: Qty::from_scaled(l.discount_percent),
                    line_total: Money::from_scaled(l.line_total),
                })
            })
            .collect::<Result<_, AppError>>()?,
        version: q.version,
        created_at: q.created_at.and_utc(),
    })
}

/// A quote of a customer the actor reaches; someone else's is 404.
fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: QuoteId,
    write: bool,
) -> Result<QuoteRow, AppError> {
    let q = repo::find(conn, &id.to_string(), &actor.company_id.to_db())?
        .ok_or(AppError::NotFound(ENTITY))?;
    access::check_record(conn, actor, &q.customer_id, &q.company_id, write, ENTITY)?;
    Ok(q)
}

/// A draft quote for a deal, its lines priced like an order's.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    deal_id: DealId,
    req: CreateQuoteRequest,
) -> Result<QuoteResponse, AppError> {
    actor.require(access::DEALS)?;
    let mut v = Validator::new();
    order::check_lines(&mut v, &req.lines, req.currency.as_deref());
    v.opt_text("notes", req.notes.as_deref(), 10_000);
    if let Some(d) = req.valid_until {
        v.check(d >= now().date(), "valid_until", "must not be in the past");
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let deal = crate::deal::repo::find(conn, &deal_id.to_string(), &company)?
            .ok_or(AppError::NotFound("deal"))?;
        let c = {
            let found = customer_repo::find(conn, &deal.customer_id, &company)?;
            access::writable(conn, actor, found)
        }
        .map_err(|_| AppError::NotFound("deal"))?;
        if deal.status != DealStatus::Open {
            return Err(AppError::InvalidState {
                entity: "deal",
                action: "quote",
                current: deal.status.to_string(),
            });
        }
        let (priced, total) = order::price_lines(conn, actor, &req.lines)?;
        let at = now();
        let q = QuoteRow {
            id: new_id(),
            company_id: company.clone(),
            number: next_number(conn, actor.company_id, "QT", at.year())?,
            deal_id: deal.id.clone(),
            customer_id: c.partner_id.clone(),
            status: QuoteStatus::Draft,
            currency: order::currency_or_default(conn, &company, req.currency.as_deref())?,
            valid_until: req.valid_until,
            total,
            notes: req.notes.clone(),
            order_id: None,
            version: 1,
            created_by: actor.user_id.to_db(),
            created_at: at,
            updated_at: at,
        };
        let lines: Vec<QuoteLineRow> = priced
            .into_iter()
            .enumerate()
            .map(|(i, l)| QuoteLineRow {
                id: new_id(),
                quote_id: q.id.clone(),
                line_no: i as i32 + 1,
                item_id: l.item_id,
                quantity: l.quantity,
                unit_price: l.unit_price,
                discount_percent: l.discount_percent,
                line_total: l.line_total,
            })
            .collect();
        repo::insert(conn, &q, &lines)?;
        let out = to_response(conn, &q)?;
        audit::record(conn, actor, ENTITY, &q.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get(conn: &mut DbConnection, actor: &Actor, id: QuoteId) -> Result<QuoteResponse, AppError> {
    actor.require(access::READ)?;
    let q = load(conn, actor, id, false)?;
    to_response(conn, &q)
}

pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    f: QuoteQuery,
    page: PageParams,
) -> Result<QuoteList, AppError> {
    actor.require(access::READ)?;
    let page = page.validate()?;
    let company = actor.company_id.to_db();
    access::customer_filter(conn, actor, f.customer_id)?;
    filter::names(f.deal_id, |d| deal::service::load_readable(conn, actor, d))?;
    let customers = access::visible_customers(conn, actor)?;
    let filter = repo::QuoteFilter {
        deal_id: f.deal_id.map(|d| d.to_string()),
        customer_id: f.customer_id.map(|c| c.to_string()),
        customers,
    };
    let rows = repo::page(conn, &company, &filter, &page)?;
    let (rows, next_cursor) = page.finish(rows, |q: &QuoteRow| (q.created_at, q.id.as_str()));
    let ids: Vec<String> = rows.iter().map(|q| q.id.clone()).collect();
    let lines = repo::lines_of(conn, &ids)?;
    let items = rows
        .iter()
        .map(|q| respond(q, &lines))
        .collect::<Result<_, _>>()?;
    Ok(QuoteList { items, next_cursor })
}

/// Moves a quote on: sent (from draft), accepted or rejected (from draft or sent).
pub fn transition(
    conn: &mut DbConnection,
    actor: &Actor,
    id: QuoteId,
    to: QuoteStatus,
) -> Result<QuoteResponse, AppError> {
    actor.require(access::DEALS)?;
    write_tx(conn, |conn| {
        let mut q = load(conn, actor, id, true)?;
        let from: QuoteStatus = q.status;
        let allowed = match to {
            QuoteStatus::Sent => from == QuoteStatus::Draft,
            QuoteStatus::Accepted | QuoteStatus::Rejected => {
                matches!(from, QuoteStatus::Draft | QuoteStatus::Sent)
            }
            QuoteStatus::Draft | QuoteStatus::Ordered => false,
        };
        let action = match to {
            QuoteStatus::Sent => "send",
            QuoteStatus::Accepted => "accept",
            _ => "reject",
        };
        if !allowed {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action,
                current: q.status.to_string(),
            });
        }
        if to == QuoteStatus::Accepted && q.valid_until.is_some_and(|v| v < now().date()) {
            return Err(CrmError::QuoteExpired.into());
        }
        save_status(conn, &mut q, to)?;
        let out = to_response(conn, &q)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &q.id,
            Change::Action(action, Some(&out)),
        )?;
        Ok(out)
    })
}

fn save_status(conn: &mut DbConnection, q: &mut QuoteRow, to: QuoteStatus) -> Result<(), AppError> {
    let expected = q.version;
    q.status = to;
    q.version += 1;
    q.updated_at = now();
    if !repo::save_status(conn, q, expected)? {
        return Err(AppError::VersionMismatch {
            current: expected + 1,
        });
    }
    Ok(())
}

/// A draft sales order with the quote's lines and prices; the quote becomes `ordered`.
pub fn to_order(
    conn: &mut DbConnection,
    actor: &Actor,
    id: QuoteId,
    req: QuoteToOrderRequest,
) -> Result<OrderResponse, AppError> {
    actor.require(access::ORDERS)?;
    write_tx(conn, |conn| {
        let mut q = load(conn, actor, id, true)?;
        if !matches!(q.status.as_str(), "draft" | "sent" | "accepted") {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "order",
                current: q.status.to_string(),
            });
        }
        let quote = to_response(conn, &q)?;
        let o = order::create_order(
            conn,
            actor,
            CreateOrderRequest {
                customer_id: quote.customer_id,
                deal_id: Some(quote.deal_id),
                location_id: Some(req.location_id),
                warehouse_id: None,
                currency: Some(quote.currency.clone()),
                notes: Some(format!("From quote {}", quote.number)),
                invoice_policy: None,
                lines: quote
                    .lines
                    .iter()
                    .map(|l| OrderLineInput {
                        item_id: l.item_id,
                        quantity: l.quantity,
                        unit_price: Some(l.unit_price),
                        discount_percent: Some(l.discount_percent),
                    })
                    .collect(),
            },
        )?;
        q.order_id = Some(o.id.to_string());
        save_status(conn, &mut q, QuoteStatus::Ordered)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &q.id,
            Change::Action("order", Some(&o.id)),
        )?;
        Ok(o)
    })
}

/// Items often bought together with the quote's.
pub fn suggestions(
    conn: &mut DbConnection,
    actor: &Actor,
    id: QuoteId,
) -> Result<crate::segment::service::SuggestionList, AppError> {
    actor.require(access::READ)?;
    let q = load(conn, actor, id, false)?;
    let items: std::collections::HashSet<ItemId> =
        repo::lines_of(conn, std::slice::from_ref(&q.id))?
            .into_iter()
            .map(|l| l.item_id)
            .collect();
    crate::segment::service::together(conn, &q.company_id, &items)
}

/// The quote as a printable document, for whoever may read the quote.
pub fn printable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: QuoteId,
) -> Result<erp_core::pdf::Sheet, AppError> {
    let q = get(conn, actor, id)?;
    let lines: Vec<SalesLine> = q.lines.iter().map(SalesLine::from).collect();
    let mut facts = vec![("Date".into(), q.created_at.date_naive().to_string())];
    if let Some(until) = q.valid_until {
        facts.push(("Valid until".into(), until.to_string()));
    }
    facts.push(("Status".into(), erp_core::pdf::label(&q.status)));
    let head = SalesHead {
        title: "Quote",
        number: &q.number,
        customer_id: q.customer_id,
        currency: &q.currency,
        total: q.total,
        notes: q.notes.as_deref(),
        facts,
    };
    sales_sheet(conn, actor.company_id, head, &lines)
}
