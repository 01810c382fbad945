//! Perpetual inventory: the value entries of every stock move post to the ledger in the move's
//! own transaction, when the company keeps its books here (finance is set up). The stock
//! account of each warehouse (or item category) takes the value; the counter-account follows
//! the kind of move: goods received not invoiced, cost of goods sold, adjustments, scrap. A
//! transfer between warehouses moves value between their stock accounts and branches. So the
//! stock account always equals the valuation, to the last digit.

use std::collections::BTreeMap;

use erp_core::auth::Actor;
use erp_core::error::AppError;
use erp_core::ids::{BranchId, CompanyId};
use erp_core::money::Money;
use erp_finance::entry::dto::{CreateEntryRequest, EntryLineInput};
use erp_finance::entry::service::{record, Origin};
use erp_finance::ids::AccountId;
use erp_finance::rule::dto::{PostingEvent, RuleScope};
use erp_finance::rule::service::account_for;

use super::dto::MoveType;
use super::model::StockMove;
use crate::error::InventoryError;
use crate::ids::WarehouseId;
use crate::item::model::Item;

/// The reference type of the moves of production orders.
pub const PRODUCTION_ORDER: &str = "production_order";

/// The event whose account balances a move's net change of value: a production order's
/// components and output go through work in progress.
pub fn counter_event(m: &StockMove, reversed_type: Option<MoveType>) -> PostingEvent {
    let kind = reversed_type.unwrap_or(m.move_type);
    if m.reference_type.as_deref() == Some(PRODUCTION_ORDER)
        && matches!(kind, MoveType::Issue | MoveType::Receipt)
    {
        return PostingEvent::ProductionWip;
    }
    match kind {
        MoveType::Receipt => PostingEvent::StockReceipt,
        MoveType::Issue => PostingEvent::StockIssue,
        MoveType::Scrap => PostingEvent::StockScrap,
        _ => PostingEvent::StockAdjustment,
    }
}

/// Posts the value entries of `m` — (warehouse, value change) with each warehouse's branch —
/// as one journal entry in the stock journal, dated the move's business date.
pub fn post_value(
    conn: &mut erp_core::db::DbConnection,
    actor: &Actor,
    m: &StockMove,
    item: &Item,
    values: &[(WarehouseId, BranchId, i64)],
    reversed_type: Option<MoveType>,
) -> Result<(), AppError> {
    let description = format!(
        "{} of {} {}",
        m.move_type,
        erp_core::money::Qty::from_scaled(m.quantity),
        item.sku
    );
    post_lines(
        conn,
        actor,
        m.company_id,
        m.effective_at.date(),
        &m.id,
        item,
        values,
        counter_event(m, reversed_type),
        description,
    )
}

/// Whether the company keeps its books here with a stock account for `warehouse` (no
/// restatement is posted otherwise).
pub fn books_kept(
    conn: &mut erp_core::db::DbConnection,
    company: CompanyId,
    item: &Item,
    warehouse: WarehouseId,
) -> Result<bool, AppError> {
    let mut scopes = vec![(RuleScope::Warehouse, warehouse.to_string())];
    if let Some(c) = &item.category_id {
        scopes.push((RuleScope::ItemCategory, c.to_db()));
    }
    Ok(account_for(conn, company, PostingEvent::StockInventory, &scopes)?.is_some())
}

/// Why the value of posted moves changed after they were posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restatement {
    /// A backdated move changed what they cost: against the account their own posting used.
    Recost(PostingEvent),
    /// A moving-average position reached zero units with value left: written off against
    /// stock adjustments.
    Residue,
}

/// One journal entry, dated `date`, for changes of value of posted moves caused by move
/// `cause` (one entry per day and counter-account, however many moves changed).
#[allow(clippy::too_many_arguments)]
pub fn restate(
    conn: &mut erp_core::db::DbConnection,
    actor: &Actor,
    company: CompanyId,
    cause: &str,
    item: &Item,
    date: chrono::NaiveDate,
    why: Restatement,
    values: &[(WarehouseId, BranchId, i64)],
) -> Result<(), AppError> {
    let (event, description) = match why {
        Restatement::Recost(event) => (
            event,
            format!(
                "re-costing of {} moves dated {date} after backdated move {cause}",
                item.sku
            ),
        ),
        Restatement::Residue => (
            PostingEvent::StockAdjustment,
            format!("value left at zero units of {} by move {cause}", item.sku),
        ),
    };
    post_lines(
        conn,
        actor,
        company,
        date,
        cause,
        item,
        values,
        event,
        description,
    )
}

#[allow(clippy::too_many_arguments)]
fn post_lines(
    conn: &mut erp_core::db::DbConnection,
    actor: &Actor,
    company: CompanyId,
    date: chrono::NaiveDate,
    reference: &str,
    item: &Item,
    values: &[(WarehouseId, BranchId, i64)],
    event: PostingEvent,
    description: String,
) -> Result<(), AppError> {
    if values.iter().all(|(_, _, v)| *v == 0) {
        return Ok(());
    }
    let scopes = |warehouse: WarehouseId| {
        let mut s = vec![(RuleScope::Warehouse, warehouse.to_string())];
        if let Some(c) = &item.category_id {
            s.push((RuleScope::ItemCategory, c.to_db()));
        }
        s
    };
    // Debits positive, per (account, branch).
    let mut amounts: BTreeMap<(AccountId, BranchId), i64> = BTreeMap::new();
    let mut net = 0i64;
    for (warehouse, branch, value) in values {
        let Some(stock) = account_for(
            conn,
            company,
            PostingEvent::StockInventory,
            &scopes(*warehouse),
        )?
        else {
            return Ok(()); // no books kept for this company
        };
        *amounts.entry((stock, *branch)).or_default() += value;
        net += value;
    }
    // Not all zero, so there is a first value: its branch takes the counter line.
    let branch = values[0].1;
    if net != 0 {
        let counter = account_for(conn, company, event, &scopes(values[0].0))?
            .ok_or_else(|| AppError::Internal("books kept without a counter account".into()))?;
        *amounts.entry((counter, branch)).or_default() -= net;
    }
    let journal = erp_finance::journal::repo::first_of_kind(conn, company, "stock")?
        .ok_or(InventoryError::PostingNotConfigured)?;
    let mut lines = Vec::new();
    for ((account, branch), amount) in amounts.into_iter().filter(|(_, a)| *a != 0) {
        let money = Money::from_scaled(amount.abs());
        lines.push(EntryLineInput {
            account_id: account,
            debit: (amount > 0).then_some(money),
            credit: (amount < 0).then_some(money),
            branch_id: Some(branch),
            cost_center: None,
            project: None,
            partner_id: None,
            description: None,
            currency: None,
            amount_in_currency: None,
        });
    }
    if lines.len() < 2 {
        return Ok(()); // value moved within one account and branch: nothing to post
    }
    record(
        conn,
        actor,
        &CreateEntryRequest {
            id: None,
            journal_id: journal.id,
            entry_date: date,
            description: Some(description),
            reference_type: Some("stock_move".into()),
            reference_id: Some(reference.to_string()),
            lines,
            post: true,
        },
        Origin::System,
    )?;
    Ok(())
}
