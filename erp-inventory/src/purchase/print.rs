//! A purchase order on paper, for the supplier: the company's letterhead, the supplier's
//! billing address, where to deliver, each line with the item's SKU, name and unit and its
//! expected date, and the total, every figure as the order's JSON gives it.

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::org::branch::service::address_line;
use erp_core::org::company::service::letterhead;
use erp_core::partner::service::addressee;
use erp_core::pdf::{label, Column, Sheet, Table, Total};

use super::service::get_purchase_order;
use crate::ids::PurchaseOrderId;
use crate::item::service::ItemLabels;
use crate::warehouse::repo as warehouse_repo;

/// The order as a printable document, for whoever may read purchase orders.
pub fn printable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PurchaseOrderId,
) -> Result<Sheet, AppError> {
    let o = get_purchase_order(conn, actor, id)?;
    let company_id = actor.company_id;
    let labels = ItemLabels::load(conn, actor.company_id, o.lines.iter().map(|l| l.item_id))?;
    let rows = o
        .lines
        .iter()
        .map(|l| {
            vec![
                l.line_no.to_string(),
                labels.item(l.item_id),
                labels.quantity(l.item_id, l.quantity),
                l.unit_price.to_string(),
                l.expected_date.map(|d| d.to_string()).unwrap_or_default(),
                l.line_total.to_string(),
            ]
        })
        .collect();

    let mut facts = vec![("Order date".to_owned(), o.order_date.to_string())];
    if let Some(expected) = o.expected_date {
        facts.push(("Expected".into(), expected.to_string()));
    }
    if let Some(w) = warehouse_repo::find(conn, o.warehouse_id, company_id)? {
        facts.push(("Deliver to".into(), format!("{} {}", w.code, w.name)));
        if let Some(address) = address_line(conn, actor.company_id, w.branch_id)? {
            facts.push(("Address".into(), address));
        }
    }
    facts.push(("Status".into(), label(&o.status)));
    facts.push(("Currency".into(), o.currency.clone()));

    Ok(Sheet {
        title: "Purchase order".into(),
        number: o.number.clone(),
        issuer: letterhead(conn, actor.company_id)?,
        recipient: Some((
            "Supplier".into(),
            addressee(conn, actor.company_id, o.supplier_id)?,
        )),
        facts,
        tables: vec![Table {
            heading: None,
            columns: vec![
                Column::number("#"),
                Column::text("Item"),
                Column::number("Quantity"),
                Column::number("Unit price"),
                Column::number("Expected"),
                Column::number("Amount"),
            ],
            rows,
        }],
        totals: vec![Total::strong(&format!("Total {}", o.currency), o.total)],
        notes: o.notes.clone(),
    })
}
