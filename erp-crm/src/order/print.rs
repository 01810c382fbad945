//! Quotes and sales orders on paper: the company's letterhead, the customer's billing
//! address, each line with the item's SKU, name and unit, and the total, every figure as the
//! JSON gives it.

use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::{CompanyId, PartnerId};
use erp_core::money::{Money, Price, Qty};
use erp_core::org::company::service::letterhead;
use erp_core::partner::service::addressee;
use erp_core::pdf::{Column, Sheet, Table, Total};
use erp_inventory::ids::ItemId;
use erp_inventory::item::service::ItemLabels;

/// One priced line of a quote or an order.
pub struct SalesLine {
    pub line_no: i32,
    pub item_id: ItemId,
    pub quantity: Qty,
    pub unit_price: Price,
    pub discount_percent: Qty,
    pub line_total: Money,
}

/// `From<&L> for SalesLine` for a line type with the same fields (an order's, a quote's).
macro_rules! sales_line_from {
    ($line:ty) => {
        impl From<&$line> for $crate::order::print::SalesLine {
            fn from(l: &$line) -> Self {
                $crate::order::print::SalesLine {
                    line_no: l.line_no,
                    item_id: l.item_id,
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                    discount_percent: l.discount_percent,
                    line_total: l.line_total,
                }
            }
        }
    };
}

pub(crate) use sales_line_from;

sales_line_from!(super::dto::OrderLineResponse);

/// What a quote or an order says about itself beyond its lines.
pub struct SalesHead<'a> {
    pub title: &'a str,
    pub number: &'a str,
    pub customer_id: PartnerId,
    pub currency: &'a str,
    pub total: Money,
    pub notes: Option<&'a str>,
    pub facts: Vec<(String, String)>,
}

pub fn sales_sheet(
    conn: &mut DbConnection,
    company_id: CompanyId,
    head: SalesHead,
    lines: &[SalesLine],
) -> Result<Sheet, AppError> {
    let labels = ItemLabels::load(conn, company_id, lines.iter().map(|l| l.item_id))?;
    let rows = lines
        .iter()
        .map(|l| {
            vec![
                l.line_no.to_string(),
                labels.item(l.item_id),
                labels.quantity(l.item_id, l.quantity),
                l.unit_price.to_string(),
                l.discount_percent.to_string(),
                l.line_total.to_string(),
            ]
        })
        .collect();
    let mut facts = head.facts;
    facts.push(("Currency".into(), head.currency.to_owned()));
    Ok(Sheet {
        title: head.title.to_owned(),
        number: head.number.to_owned(),
        issuer: letterhead(conn, company_id)?,
        recipient: Some((
            "Customer".into(),
            addressee(conn, company_id, head.customer_id)?,
        )),
        facts,
        tables: vec![Table {
            heading: None,
            columns: vec![
                Column::number("#"),
                Column::text("Item"),
                Column::number("Quantity"),
                Column::number("Unit price"),
                Column::number("Discount %"),
                Column::number("Amount"),
            ],
            rows,
        }],
        totals: vec![Total::strong(
            &format!("Total {}", head.currency),
            head.total,
        )],
        notes: head.notes.map(str::to_owned),
    })
}
