//! What purchasing will pay, for the cash-flow forecast: what open purchase orders have not
//! billed yet, at their price (in another currency, converted at the forecast's rate).

use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_finance::forecast::dto::{CashItem, CashSource, Horizon};
use erp_finance::forecast::service::{after, Converter};
use rust_decimal::Decimal;

use super::repo;

pub fn cash_items(
    conn: &mut DbConnection,
    company_id: CompanyId,
    rates: &mut Converter,
    h: &Horizon,
) -> Result<Vec<CashItem>, AppError> {
    let mut out = Vec::new();
    for o in repo::billable(conn, company_id)? {
        let (billed, _) = super::service::billed(conn, &o.id)?;
        let mut open = Decimal::ZERO;
        for l in repo::lines_of(conn, &o.id)? {
            let left = (l.quantity - billed.get(&l.line_no).copied().unwrap_or(0)).max(0);
            open += Decimal::new(left, 6) * Decimal::new(l.unit_price, 6);
        }
        let (amount, foreign) = rates.convert(conn, &o.currency, open)?;
        if amount > 0 {
            out.push(CashItem {
                source: CashSource::PurchaseOrder,
                reference: o.number.clone(),
                date: after(o.expected_date.unwrap_or(o.order_date), h.purchase_days),
                amount: -amount,
                foreign: foreign.map(|(c, a)| (c, -a)),
            });
        }
    }
    Ok(out)
}
