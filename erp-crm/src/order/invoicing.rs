//! Invoicing a sales order: a customer invoice in finance for what the order's policy allows
//! (delivered, or ordered) and no standing invoice bills yet, in the same transaction that
//! records which order lines it bills. The order is taken for the transition first, so two
//! clients invoicing the same order never bill a quantity twice.

use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, write_tx_retrying, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::PartnerId;
use erp_core::money::{Percent, Qty};
use erp_finance::invoice::dto::{
    CreateInvoiceRequest, InvoiceKind, InvoiceLineInput, InvoiceResponse,
};
use erp_finance::invoice::service as finance_invoice;
use erp_inventory::warehouse::service::load_location;

use super::dto::{InvoiceOrderRequest, InvoicePolicy, OrderStatus};
use super::repo;
use super::service::{finish, invoiced_by_line, load, set_status, take_turn, ENTITY};
use crate::access;
use crate::error::CrmError;
use crate::ids::SalesOrderId;
use crate::model::{OrderInvoiceLineRow, SalesOrderLineRow, SalesOrderRow};

/// What of a line may still be invoiced (×10⁶).
fn billable(o: &SalesOrderRow, policy: InvoicePolicy, l: &SalesOrderLineRow, done: i64) -> i64 {
    let basis = match policy {
        InvoicePolicy::Ordered if o.status != OrderStatus::Cancelled => l.quantity,
        _ => l.delivered_quantity,
    };
    (basis - done).max(0)
}

/// The lines and quantities to bill: those asked for, or all that is billable.
fn wanted(
    o: &SalesOrderRow,
    policy: InvoicePolicy,
    lines: &[SalesOrderLineRow],
    done: &std::collections::HashMap<i32, i64>,
    req: &InvoiceOrderRequest,
) -> Result<Vec<(usize, i64)>, AppError> {
    let left =
        |l: &SalesOrderLineRow| billable(o, policy, l, done.get(&l.line_no).copied().unwrap_or(0));
    let Some(given) = &req.lines else {
        return Ok(lines
            .iter()
            .enumerate()
            .map(|(k, l)| (k, left(l)))
            .filter(|(_, q)| *q > 0)
            .collect());
    };
    let mut v = Validator::new();
    let mut out: Vec<(usize, i64)> = Vec::new();
    for (i, g) in given.iter().enumerate() {
        match lines.iter().position(|l| l.line_no == g.line_no) {
            None => v.add(format!("lines[{i}].line_no"), "no such line"),
            Some(k) if out.iter().any(|(o, _)| *o == k) => {
                v.add(format!("lines[{i}].line_no"), "the line is named twice")
            }
            Some(k) => {
                let max = left(&lines[k]);
                match g.quantity.to_scaled() {
                    Ok(q) if q > 0 && q <= max => out.push((k, q)),
                    _ => v.add(
                        format!("lines[{i}].quantity"),
                        format!(
                            "must be more than 0 and at most the {} not yet invoiced",
                            Qty::from_scaled(max)
                        ),
                    ),
                }
            }
        }
    }
    v.finish()?;
    Ok(out)
}

/// Invoices the order (201 with the customer invoice). Needs the right to work on orders and
/// `finance.invoice.write` (and `finance.invoice.post` to post at once).
pub fn invoice_order(
    conn: &mut DbConnection,
    actor: &Actor,
    id: SalesOrderId,
    req: InvoiceOrderRequest,
) -> Result<InvoiceResponse, AppError> {
    actor.require(access::ORDERS)?;
    actor.require(finance_invoice::WRITE)?;
    let mut v = Validator::new();
    v.opt_text("notes", req.notes.as_deref(), 4000);
    v.finish()?;
    write_tx_retrying(conn, |conn| {
        let mut o = load(conn, actor, &id.to_string(), true)?;
        if o.status == OrderStatus::Draft {
            return Err(AppError::InvalidState {
                entity: ENTITY,
                action: "invoice",
                current: o.status.to_string(),
            });
        }
        take_turn(conn, &mut o)?;
        let policy: InvoicePolicy = enum_from_db(&o.invoice_policy)?;
        let lines = repo::lines_of(conn, &o.id)?;
        let done = invoiced_by_line(conn, &o.id)?;
        let picked = wanted(&o, policy, &lines, &done, &req)?;
        if picked.is_empty() {
            return Err(CrmError::NothingToInvoice(match policy {
                InvoicePolicy::Delivered => "delivered",
                InvoicePolicy::Ordered => "ordered",
            })
            .into());
        }
        let (_, warehouse) = load_location(conn, actor, o.location_id)?;
        let mut invoice_lines = Vec::with_capacity(picked.len());
        for (k, q) in &picked {
            let l = &lines[*k];
            let item = erp_inventory::item::service::load(conn, actor, l.item_id)?;
            invoice_lines.push(InvoiceLineInput {
                description: format!("{} {}", item.sku, item.name),
                account_id: None,
                quantity: Qty::from_scaled(*q),
                unit_price: erp_core::money::Price::from_scaled(l.unit_price),
                discount_percent: Some(Percent::new(Qty::from_scaled(l.discount_percent).value())?),
                tax_id: req.tax_id,
                tax_group_id: req.tax_group_id,
                cost_center: None,
                project: None,
                clears: None,
            });
        }
        let invoice = finance_invoice::create_invoice(
            conn,
            actor,
            CreateInvoiceRequest {
                id: None,
                kind: InvoiceKind::CustomerInvoice,
                partner_id: PartnerId::from_db(&o.customer_id)?,
                branch_id: Some(warehouse.branch_id),
                invoice_date: req
                    .invoice_date
                    .unwrap_or_else(|| chrono::Utc::now().date_naive()),
                due_date: req.due_date,
                payment_terms_id: req.payment_terms_id,
                // In the order's currency, at the rate of the invoice date.
                currency: Some(o.currency.clone()),
                reference: Some(o.number.clone()),
                notes: req.notes.clone(),
                corrects_id: None,
                hold_reason: None,
                lines: invoice_lines,
                post: req.post,
            },
        )?;
        let links: Vec<OrderInvoiceLineRow> = picked
            .iter()
            .map(|(k, q)| OrderInvoiceLineRow {
                invoice_id: invoice.id,
                order_id: o.id.clone(),
                line_no: lines[*k].line_no,
                quantity: *q,
            })
            .collect();
        repo::insert_invoice_lines(conn, &links)?;
        let status: OrderStatus = o.status;
        set_status(conn, &mut o, status)?;
        finish(conn, actor, &o, "invoice", "order.invoiced")?;
        Ok(invoice)
    })
}
