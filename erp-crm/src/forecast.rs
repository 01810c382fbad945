//! What sales expect to bring in, for the cash-flow forecast: what open orders have not
//! invoiced yet, and open deals weighted by their stage's probability.

use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_finance::forecast::dto::{CashItem, CashSource, Horizon};
use erp_finance::forecast::service::{after, Converter};
use rust_decimal::Decimal;

use crate::deal::repo as deals;
use crate::order::repo as orders;
use crate::states::OrderStatus;

/// Quantity ×10⁶ at price ×10⁶ less a discount percent ×10⁶, to the cent.
fn value(quantity: i64, price: i64, discount: i64) -> Decimal {
    let v = Decimal::new(quantity, 6)
        * Decimal::new(price, 6)
        * (Decimal::ONE_HUNDRED - Decimal::new(discount, 6))
        / Decimal::ONE_HUNDRED;
    v.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

pub fn cash_items(
    conn: &mut DbConnection,
    company_id: &str,
    rates: &mut Converter,
    h: &Horizon,
) -> Result<Vec<CashItem>, AppError> {
    let mut out = Vec::new();
    for o in orders::invoiceable(conn, company_id)? {
        let done = crate::order::service::invoiced_by_line(conn, &o.id)?;
        let mut open = Decimal::ZERO;
        for l in orders::lines_of(conn, &o.id)? {
            let basis = if o.status == OrderStatus::Cancelled {
                l.delivered_quantity
            } else {
                l.quantity
            };
            let left = (basis - done.get(&l.line_no).copied().unwrap_or(0)).max(0);
            open += value(left, l.unit_price, l.discount_percent);
        }
        let (amount, foreign) = rates.convert(conn, &o.currency, open)?;
        if amount > 0 {
            out.push(CashItem {
                source: CashSource::SalesOrder,
                reference: o.number.clone(),
                date: after(o.created_at.date(), h.sales_days),
                amount,
                foreign,
            });
        }
    }
    if h.include_pipeline {
        for (d, probability) in deals::open_weighted(conn, company_id)? {
            let weighted =
                Decimal::new(d.value, 4) * Decimal::new(probability, 6) / Decimal::ONE_HUNDRED;
            let (amount, foreign) = rates.convert(conn, &d.currency, weighted)?;
            out.push(CashItem {
                source: CashSource::Pipeline,
                reference: d.title.clone(),
                date: after(d.expected_close.unwrap_or(h.from), h.sales_days),
                amount,
                foreign,
            });
        }
    }
    Ok(out)
}
