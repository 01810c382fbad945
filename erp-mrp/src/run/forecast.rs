//! What MRP plans to buy, for the cash-flow forecast: planned and firm purchases at the
//! item's supplier price (else its standard cost), paid some days after they are due.

use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_finance::forecast::dto::{CashItem, CashSource, Horizon};
use erp_finance::forecast::service::{after, to_cents};
use rust_decimal::Decimal;

use super::orders;
use crate::states::PlannedOrderKind;

pub fn cash_items(
    conn: &mut DbConnection,
    company_id: CompanyId,
    h: &Horizon,
) -> Result<Vec<CashItem>, AppError> {
    let mut out = Vec::new();
    for p in orders::all(conn, company_id, Some(PlannedOrderKind::Buy))? {
        let Some(item) = erp_inventory::item::repo::find(conn, p.item_id, company_id)? else {
            continue;
        };
        // The supplier price is a Price (×10⁶), the standard cost Money (×10⁴).
        let price = match item.supplier_price {
            Some(p) => Decimal::new(p, 6),
            None => Decimal::new(item.standard_cost, 4),
        };
        let amount = to_cents(Decimal::new(p.quantity, 6) * price);
        if amount > 0 {
            out.push(CashItem {
                source: CashSource::PlannedPurchase,
                reference: format!("{} {}", item.sku, p.status),
                date: after(p.due_date, h.purchase_days),
                amount: -amount,
                foreign: None,
            });
        }
    }
    Ok(out)
}
