//! What sales expect to bring in, for the cash-flow forecast: what open orders have not
//! invoiced yet, and open deals weighted by their stage's probability.

use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_finance::forecast::dto::{CashItem, CashSource, Horizon};
use erp_finance::forecast::service::{after, to_cents};
use rust_decimal::Decimal;

use crate::deal::repo as deals;
use crate::order::repo as orders;

/// Money ×10⁴ of quantity ×10⁶ at price ×10⁶ less a discount percent ×10⁶.
fn value(quantity: i64, price: i64, discount: i64) -> i64 {
    let v = Decimal::new(quantity, 6)
        * Decimal::new(price, 6)
        * (Decimal::ONE_HUNDRED - Decimal::new(discount, 6))
        / Decimal::ONE_HUNDRED;
    to_cents(v)
}

pub fn cash_items(
    conn: &mut DbConnection,
    company_id: &str,
    currency: &str,
    h: &Horizon,
) -> Result<Vec<CashItem>, AppError> {
    let mut out = Vec::new();
    for o in orders::invoiceable(conn, company_id, currency)? {
        let done = crate::order::service::invoiced_by_line(conn, &o.id)?;
        let mut open = 0i64;
        for l in orders::lines_of(conn, &o.id)? {
            let basis = if o.status == "cancelled" {
                l.delivered_quantity
            } else {
                l.quantity
            };
            let left = (basis - done.get(&l.line_no).copied().unwrap_or(0)).max(0);
            open += value(left, l.unit_price, l.discount_percent);
        }
        if open > 0 {
            out.push(CashItem {
                source: CashSource::SalesOrder,
                reference: o.number.clone(),
                date: after(o.created_at.date(), h.sales_days),
                amount: open,
            });
        }
    }
    if h.include_pipeline {
        for (d, probability) in deals::open_weighted(conn, company_id, currency)? {
            let weighted =
                Decimal::new(d.value, 4) * Decimal::new(probability, 6) / Decimal::ONE_HUNDRED;
            let amount = to_cents(weighted);
            out.push(CashItem {
                source: CashSource::Pipeline,
                reference: d.title.clone(),
                date: after(d.expected_close.unwrap_or(h.from), h.sales_days),
                amount,
            });
        }
    }
    Ok(out)
}
