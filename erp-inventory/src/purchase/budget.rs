//! Budget control of purchase orders: confirming an order commits the value of its lines on
//! the stock account its receipts will debit (the account rules, by warehouse and item
//! category); finance says what the budget in force makes of it.

use std::collections::{BTreeMap, HashMap};

use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_finance::budget::control::{check, Ask};
use erp_finance::currency::to_company;
use erp_finance::ids::AccountId;
use erp_finance::rule::dto::{PostingEvent, RuleScope};
use erp_finance::rule::service::account_for;

use super::repo::{self, PurchaseOrder, PurchaseOrderLine};
use crate::ids::{ItemCategoryId, ItemId, WarehouseId};

/// Resolves the account of each line, caching items' categories and the account of each
/// (warehouse, category).
#[derive(Default)]
struct Accounts {
    categories: HashMap<ItemId, Option<ItemCategoryId>>,
    resolved: HashMap<(WarehouseId, Option<ItemCategoryId>), Option<AccountId>>,
}

impl Accounts {
    fn of(
        &mut self,
        conn: &mut DbConnection,
        o: &PurchaseOrder,
        l: &PurchaseOrderLine,
    ) -> Result<Option<AccountId>, AppError> {
        let category = match self.categories.get(&l.item_id) {
            Some(known) => *known,
            None => {
                let found = crate::item::repo::find(conn, l.item_id, o.company_id)?
                    .and_then(|i| i.category_id);
                self.categories.insert(l.item_id, found);
                found
            }
        };
        let key = (o.warehouse_id, category);
        if let Some(known) = self.resolved.get(&key) {
            return Ok(*known);
        }
        let mut scopes = vec![(RuleScope::Warehouse, o.warehouse_id.to_db())];
        if let Some(c) = category {
            scopes.push((RuleScope::ItemCategory, c.to_db()));
        }
        let account = account_for(conn, o.company_id, PostingEvent::StockInventory, &scopes)?;
        self.resolved.insert(key, account);
        Ok(account)
    }
}

/// What of a line is still to be received, in company currency (money ×10⁴).
fn open_value(
    conn: &mut DbConnection,
    o: &PurchaseOrder,
    l: &PurchaseOrderLine,
    own: &str,
) -> Result<i64, AppError> {
    let open = (l.quantity - l.received_quantity).max(0);
    let value = if l.quantity == 0 {
        0
    } else {
        (i128::from(l.line_total) * i128::from(open) / i128::from(l.quantity)) as i64
    };
    let rate = erp_finance::rate::service::document_rate(
        conn,
        o.company_id,
        own,
        &o.currency,
        o.order_date,
        "currency",
    )?;
    to_company(value, rate, own)
}

/// Checks confirming `o` against the budget in force: warnings (control `warn`), 422
/// `over_budget` (`refuse`), nothing when control is off or no books are kept.
pub fn check_order(conn: &mut DbConnection, o: &PurchaseOrder) -> Result<Vec<String>, AppError> {
    let settings = erp_finance::settings::service::of_company(conn, o.company_id)?;
    if settings.budget_control == erp_finance::settings::dto::BudgetControl::Off {
        return Ok(Vec::new());
    }
    let own = erp_finance::entry::service::company_currency(conn, o.company_id)?;
    let mut accounts = Accounts::default();
    let mut asked: BTreeMap<AccountId, i64> = BTreeMap::new();
    for l in repo::lines_of(conn, &o.id)? {
        let Some(account) = accounts.of(conn, o, &l)? else {
            return Ok(Vec::new()); // no books kept
        };
        *asked.entry(account).or_default() += open_value(conn, o, &l, &own)?;
    }
    // Other open orders commit the budget of the year they are dated in, as this one asks
    // that of its own.
    let Some((first, last)) =
        erp_finance::budget::control::fiscal_year_of(conn, o.company_id, o.order_date)?
    else {
        return Ok(Vec::new()); // no fiscal year, no budget
    };
    let mut committed: HashMap<AccountId, i64> = HashMap::new();
    for (other, l) in repo::open_orders(conn, o.company_id, &o.id, first, last)? {
        if let Some(account) = accounts.of(conn, &other, &l)? {
            if asked.contains_key(&account) {
                *committed.entry(account).or_default() += open_value(conn, &other, &l, &own)?;
            }
        }
    }
    let asks: Vec<Ask> = asked
        .into_iter()
        .map(|(account_id, amount)| Ask {
            committed: committed.get(&account_id).copied().unwrap_or(0),
            account_id,
            amount,
        })
        .collect();
    check(conn, o.company_id, o.order_date, &asks)
}
