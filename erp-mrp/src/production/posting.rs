//! What closing a production order posts, when the company keeps its books here: the labour
//! and overhead its operations absorbed (actual hours at their work centers' rates) into work
//! in progress, and the variance that empties the order's work in progress: what its
//! components and absorbed hours cost less the value its output was received at. Components
//! and output post to work in progress as they move (the stock ledger does that).

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_finance::entry::builder::{Dimensions, EntryBuilder};
use erp_finance::ids::AccountId;
use erp_finance::journal::dto::JournalKind;
use erp_finance::rule::dto::{PostingEvent, RuleScope};
use erp_finance::rule::service::account_for;
use erp_inventory::stock::ledger::PRODUCTION_ORDER;

use crate::model::ProductionOrder;

/// The order's cost in work in progress at its close (money ×10⁴): `issued` components and
/// `absorbed` labour and overhead, less its output received.
pub struct OrderCost {
    pub issued: i64,
    pub absorbed: i64,
}

/// Posts the absorption and the variance of a closed order in the caller's transaction;
/// nothing when no books are kept or nothing is left to post.
pub fn post_close(
    conn: &mut DbConnection,
    actor: &Actor,
    o: &ProductionOrder,
    cost: &OrderCost,
    date: chrono::NaiveDate,
) -> Result<(), AppError> {
    let scopes = [(RuleScope::Warehouse, o.warehouse_id.to_db())];
    let Some(wip) = account_for(conn, o.company_id, PostingEvent::ProductionWip, &scopes)? else {
        return Ok(());
    };
    let received = erp_inventory::stock::repo::value_of_document(
        conn,
        o.company_id,
        PRODUCTION_ORDER,
        &o.id,
        erp_inventory::stock::dto::MoveType::Receipt,
    )?;
    let wip_left = cost.issued + cost.absorbed - received;
    if cost.absorbed == 0 && wip_left == 0 {
        return Ok(());
    }
    let required = |conn: &mut DbConnection, event| -> Result<AccountId, AppError> {
        let id = account_for(conn, o.company_id, event, &scopes)?
            .ok_or_else(|| AppError::Internal("books kept without an account rule".into()))?;
        Ok(id)
    };
    let branch = erp_inventory::warehouse::repo::find(conn, o.warehouse_id, o.company_id)?
        .map(|w| w.branch_id);
    let dims = Dimensions {
        branch_id: branch,
        ..Default::default()
    };
    let mut b = EntryBuilder::new();
    // Absorbed into work in progress, then work in progress emptied into the variance: the
    // two work-in-progress lines net to what the stock moves left there.
    if cost.absorbed != 0 {
        b.add(
            required(conn, PostingEvent::ProductionAbsorption)?,
            dims.clone(),
            -cost.absorbed,
        );
    }
    b.add(wip, dims.clone(), cost.absorbed - wip_left);
    if wip_left != 0 {
        b.add(
            required(conn, PostingEvent::ProductionVariance)?,
            dims,
            wip_left,
        );
    }
    b.post(
        conn,
        actor,
        JournalKind::Stock,
        date,
        format!("Close of production order {}", o.number),
        (PRODUCTION_ORDER, &o.id),
    )?;
    Ok(())
}
