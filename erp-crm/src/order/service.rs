//! Sales orders through their life: draft, confirm (reserve), deliver (issue), cancel.
//! Confirming, delivering and cancelling an order are in `lifecycle.rs`.

use std::collections::HashMap;

use chrono::Datelike;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::{CompanyId, PartnerId};
use erp_core::money::{Money, Price, Qty};
use erp_core::numbering::next_number;
use erp_core::org::{check_currency, company};
use erp_core::pagination::ListParams;
use erp_finance::ids::InvoiceId;
use erp_finance::invoice::dto::InvoiceRef;
use erp_finance::invoice::service as finance_invoice;
use erp_inventory::ids::{ItemId, ReservationId};
use erp_inventory::item::dto::ItemType;
use erp_inventory::warehouse::service::load_location;
use rust_decimal::Decimal;

use super::dto::*;
use super::print::{sales_sheet, SalesHead, SalesLine};
use super::repo;
use crate::access;
use crate::customer::repo as customer_repo;
use crate::ids::{DealId, SalesOrderId};
use crate::model::{SalesOrderLineRow, SalesOrderRow};

pub use super::lifecycle::*;

pub(super) const ENTITY: &str = "sales_order";

/// What the order's standing invoices bill, by line number.
pub fn invoiced_by_line(
    conn: &mut DbConnection,
    order_id: &str,
) -> Result<HashMap<i32, i64>, AppError> {
    Ok(invoiced(conn, order_id)?.0)
}

/// What the order's standing invoices bill, by line number, and those invoices, oldest first.
pub(super) fn invoiced(
    conn: &mut DbConnection,
    order_id: &str,
) -> Result<(HashMap<i32, i64>, Vec<InvoiceRef>), AppError> {
    let links: Vec<(InvoiceId, i32, i64)> = repo::invoice_lines_of(conn, order_id)?
        .into_iter()
        .map(|l| (l.invoice_id, l.line_no, l.quantity))
        .collect();
    finance_invoice::billed_by_line(conn, &links)
}

pub fn to_response(conn: &mut DbConnection, o: &SalesOrderRow) -> Result<OrderResponse, AppError> {
    let (invoiced, invoices) = invoiced(conn, &o.id)?;
    let lines = repo::lines_of(conn, &o.id)?
        .into_iter()
        .map(|l| {
            Ok(OrderLineResponse {
                line_no: l.line_no,
                item_id: l.item_id,
                quantity: Qty::from_scaled(l.quantity),
                unit_price: Price::from_scaled(l.unit_price),
                discount_percent: Qty::from_scaled(l.discount_percent),
                line_total: Money::from_scaled(l.line_total),
                delivered_quantity: Qty::from_scaled(l.delivered_quantity),
                invoiced_quantity: Qty::from_scaled(invoiced.get(&l.line_no).copied().unwrap_or(0)),
                reservation_id: ReservationId::from_db_opt(l.reservation_id.as_deref())?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(OrderResponse {
        id: SalesOrderId::from_db(&o.id)?,
        number: o.number.clone(),
        customer_id: PartnerId::from_db(&o.customer_id)?,
        deal_id: DealId::from_db_opt(o.deal_id.as_deref())?,
        location_id: o.location_id,
        status: o.status,
        currency: o.currency.clone(),
        total: Money::from_scaled(o.total),
        notes: o.notes.clone(),
        invoice_policy: enum_from_db(&o.invoice_policy)?,
        lines,
        invoices,
        version: o.version,
        created_at: o.created_at.and_utc(),
        updated_at: o.updated_at.and_utc(),
    })
}

/// An order of a customer the actor reaches (to read) or works on (to change).
pub(super) fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    write: bool,
) -> Result<SalesOrderRow, AppError> {
    let o = repo::find(conn, id, &actor.company_id.to_db())?.ok_or(AppError::NotFound(ENTITY))?;
    access::check_record(conn, actor, &o.customer_id, &o.company_id, write, ENTITY)?;
    Ok(o)
}

/// A line priced as orders and quotes keep it (scaled integers, total rounded to the cent).
pub struct PricedLine {
    pub item_id: ItemId,
    pub quantity: i64,
    pub unit_price: i64,
    pub discount_percent: i64,
    pub line_total: i64,
}

/// Checks the lines of an order or quote and its currency.
pub fn check_lines(v: &mut Validator, lines: &[OrderLineInput], currency: Option<&str>) {
    v.check(
        !lines.is_empty() && lines.len() <= 1000,
        "lines",
        "1 to 1000 lines",
    );
    if let Some(c) = currency {
        check_currency(v, "currency", c);
    }
    for (i, l) in lines.iter().enumerate() {
        v.check(
            l.quantity > Qty::ZERO,
            &format!("lines[{i}].quantity"),
            "must be greater than zero",
        );
        v.check(
            l.unit_price.is_none_or(|p| p >= Price::ZERO),
            &format!("lines[{i}].unit_price"),
            "must not be negative",
        );
        let d = l.discount_percent.unwrap_or(Qty::ZERO);
        v.check(
            d >= Qty::ZERO && d.value() <= Decimal::ONE_HUNDRED,
            &format!("lines[{i}].discount_percent"),
            "must be between 0 and 100",
        );
    }
}

/// Prices checked lines: each item must be an active stocked item; the line total is
/// quantity × price less the discount, rounded to the cent. Returns the lines and the total.
pub fn price_lines(
    conn: &mut DbConnection,
    actor: &Actor,
    lines: &[OrderLineInput],
) -> Result<(Vec<PricedLine>, i64), AppError> {
    let mut total = Decimal::ZERO;
    let mut out = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let field = |f: &str| format!("lines[{i}].{f}");
        let it = erp_inventory::item::service::load(conn, actor, l.item_id)
            .map_err(|_| AppError::field(field("item_id"), "no such item"))?;
        if it.item_type == ItemType::Service || !it.active {
            return Err(AppError::field(
                field("item_id"),
                "the item is not an active stocked item",
            ));
        }
        let unit_price = match l.unit_price {
            Some(p) => p,
            None => it.sales_price.map(Price::from_scaled).ok_or_else(|| {
                AppError::field(
                    field("unit_price"),
                    "is required: the item has no sales price",
                )
            })?,
        };
        let discount = l.discount_percent.unwrap_or(Qty::ZERO);
        let line_total = Money::rounded(
            l.quantity.value() * unit_price.value() * (Decimal::ONE_HUNDRED - discount.value())
                / Decimal::ONE_HUNDRED,
        )
        .map_err(|e| AppError::field(field("unit_price"), e.to_string()))?;
        total += line_total.value();
        let scaled = |q: Qty, f: &str| {
            q.to_scaled()
                .map_err(|e| AppError::field(field(f), e.to_string()))
        };
        out.push(PricedLine {
            item_id: it.id,
            quantity: scaled(l.quantity, "quantity")?,
            unit_price: unit_price
                .to_scaled()
                .map_err(|e| AppError::field(field("unit_price"), e.to_string()))?,
            discount_percent: scaled(discount, "discount_percent")?,
            line_total: line_total
                .to_scaled()
                .map_err(|e| AppError::field(field("unit_price"), e.to_string()))?,
        });
    }
    let total = Money::new(total)
        .and_then(|t| t.to_scaled())
        .map_err(|e| AppError::field("lines", e.to_string()))?;
    Ok((out, total))
}

/// The currency asked for, else the company's.
pub fn currency_or_default(
    conn: &mut DbConnection,
    company_id: &str,
    asked: Option<&str>,
) -> Result<String, AppError> {
    Ok(match asked {
        Some(c) => c.to_string(),
        None => company::repo::find(conn, CompanyId::from_db(company_id)?)?
            .map(|x| x.currency)
            .unwrap_or_else(|| "EUR".into()),
    })
}

pub fn create_order(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateOrderRequest,
) -> Result<OrderResponse, AppError> {
    actor.require(access::ORDERS)?;
    let mut v = Validator::new();
    check_lines(&mut v, &req.lines, req.currency.as_deref());
    v.opt_text("notes", req.notes.as_deref(), 10_000);
    v.finish()?;
    write_tx(conn, |conn| {
        let company_id = actor.company_id.to_db();
        let c = {
            let found = customer_repo::find(conn, &req.customer_id.to_string(), &company_id)?;
            access::writable(conn, actor, found)
        }
        .map_err(|_| AppError::field("customer_id", "no such customer of yours"))?;
        if let Some(d) = req.deal_id {
            let ok = crate::deal::repo::find(conn, &d.to_string(), &company_id)?
                .is_some_and(|d| d.customer_id == c.partner_id);
            if !ok {
                return Err(AppError::field("deal_id", "is not a deal of this customer"));
            }
        }
        let loc = match (req.location_id, req.warehouse_id) {
            (Some(l), None) => {
                load_location(conn, actor, l)
                    .map_err(|_| AppError::field("location_id", "no such location"))?
                    .0
            }
            (None, Some(w)) => erp_inventory::warehouse::service::stock_location_of(
                conn,
                actor,
                w,
                "warehouse_id",
            )?,
            (None, None) => {
                return Err(AppError::field(
                    "location_id",
                    "is required (or warehouse_id): where the goods ship from",
                ))
            }
            (Some(_), Some(_)) => {
                return Err(AppError::field(
                    "warehouse_id",
                    "give location_id or warehouse_id, not both",
                ))
            }
        };
        if !loc.is_available() {
            return Err(AppError::field(
                "location_id",
                "orders ship from storage or receiving locations",
            ));
        }
        let at = now();
        let id = new_id();
        let (priced, total) = price_lines(conn, actor, &req.lines)?;
        let lines: Vec<SalesOrderLineRow> = priced
            .into_iter()
            .enumerate()
            .map(|(i, l)| SalesOrderLineRow {
                id: new_id(),
                order_id: id.clone(),
                line_no: i as i32 + 1,
                item_id: l.item_id,
                quantity: l.quantity,
                unit_price: l.unit_price,
                discount_percent: l.discount_percent,
                line_total: l.line_total,
                delivered_quantity: 0,
                reservation_id: None,
            })
            .collect();
        let o = SalesOrderRow {
            id,
            company_id: company_id.clone(),
            number: next_number(conn, actor.company_id, "SO", at.year())?,
            customer_id: c.partner_id.clone(),
            deal_id: req.deal_id.map(|d| d.to_string()),
            location_id: loc.id,
            status: OrderStatus::Draft,
            currency: currency_or_default(conn, &company_id, req.currency.as_deref())?,
            total,
            notes: req.notes.clone(),
            version: 1,
            created_by: actor.user_id.to_db(),
            created_at: at,
            updated_at: at,
            invoice_policy: enum_to_db(&req.invoice_policy.unwrap_or_default()),
        };
        repo::insert(conn, &o, &lines)?;
        let out = to_response(conn, &o)?;
        audit::record(conn, actor, ENTITY, &o.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn get_order(
    conn: &mut DbConnection,
    actor: &Actor,
    id: SalesOrderId,
) -> Result<OrderResponse, AppError> {
    actor.require(access::READ)?;
    let o = load(conn, actor, &id.to_string(), false)?;
    to_response(conn, &o)
}

pub fn list_orders(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: OrderListQuery,
) -> Result<OrderPage, AppError> {
    actor.require(access::READ)?;
    let page = params.validate()?;
    let company = actor.company_id.to_db();
    access::customer_filter(conn, actor, q.customer_id)?;
    let customers = match (q.customer_id, access::visible_customers(conn, actor)?) {
        (Some(c), None) => Some(vec![c.to_string()]),
        (None, None) => None,
        (Some(c), Some(mine)) => Some(mine.into_iter().filter(|m| *m == c.to_string()).collect()),
        (None, Some(mine)) => Some(mine),
    };
    let rows = repo::list(
        conn,
        &company,
        customers,
        q.status.map(|s| enum_to_db(&s)),
        &page,
    )?;
    let (rows, next_cursor) = page.finish(rows, |o| &o.id);
    let items = rows
        .iter()
        .map(|o| to_response(conn, o))
        .collect::<Result<_, _>>()?;
    Ok(OrderPage { items, next_cursor })
}

/// The order as a printable document, for whoever may read the order.
pub fn printable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: SalesOrderId,
) -> Result<erp_core::pdf::Sheet, AppError> {
    let o = get_order(conn, actor, id)?;
    order_sheet(conn, actor.company_id, &o)
}

/// The sheet of an order already read with its reader's rights.
pub fn order_sheet(
    conn: &mut DbConnection,
    company_id: CompanyId,
    o: &OrderResponse,
) -> Result<erp_core::pdf::Sheet, AppError> {
    let lines: Vec<SalesLine> = o.lines.iter().map(SalesLine::from).collect();
    let head = SalesHead {
        title: "Sales order",
        number: &o.number,
        customer_id: o.customer_id,
        currency: &o.currency,
        total: o.total,
        notes: o.notes.as_deref(),
        facts: vec![
            ("Date".into(), o.created_at.date_naive().to_string()),
            ("Status".into(), erp_core::pdf::label(&o.status)),
        ],
    };
    sales_sheet(conn, company_id, head, &lines)
}
