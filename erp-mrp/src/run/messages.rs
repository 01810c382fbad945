//! The action messages of a run: the engine's (release, expedite, defer...) in words a
//! planner reads, and the data errors and time-fence warnings found while saving; listed
//! a page at a time.

use chrono::NaiveDate;
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, DbConnection};
use erp_core::error::AppError;
use erp_core::money::Qty;
use erp_core::pagination::PageParams;
use erp_inventory::item;

use super::dto::{ActionMessageList, ActionMessageResponse, MessageQuery};
use super::input::Loaded;
use super::repo;
use crate::engine::{ActionMessage, MessageKind, PlanOutput, PlannedOrder};
use crate::ids::{ActionMessageId, RunId};
use crate::model::{MessageRow, Run};
use crate::util::add_days;

/// The messages of the plan `out`; `order_ids` are its planned orders' ids.
pub(super) fn rows(
    run: &Run,
    l: &Loaded,
    out: &PlanOutput,
    order_ids: &[String],
) -> Vec<MessageRow> {
    let mut w = Writer {
        run,
        l,
        rows: Vec::new(),
    };
    // An item taken over unchanged keeps its messages as stored (its inputs, SKU, time
    // fence and lead time are in its fingerprint): only the re-planned items' are written.
    for m in out.messages.iter().filter(|m| out.replanned[m.item]) {
        if let Some(o) = m.order {
            w.about_order(m, &out.orders[o], &order_ids[o]);
        } else if let Some(k) = m.receipt {
            w.about_receipt(m, k);
        }
    }
    w.data_errors(out, order_ids);
    w.rows
}

/// A quantity in millionths as a planner reads it.
fn show(q: i64) -> String {
    Qty::from_scaled(q).to_string()
}

fn kind_name(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Release => "release",
        MessageKind::PastDue => "past_due",
        MessageKind::Expedite => "expedite",
        MessageKind::Defer => "defer",
        MessageKind::Cancel => "cancel",
        MessageKind::Increase => "increase",
        MessageKind::Decrease => "decrease",
    }
}

/// A run's messages as they are written.
struct Writer<'a> {
    run: &'a Run,
    l: &'a Loaded,
    rows: Vec<MessageRow>,
}

/// Dates and quantities a message names: (scheduled, suggested).
type Dates = (Option<NaiveDate>, Option<NaiveDate>);
type Quantities = (Option<i64>, Option<i64>);

impl Writer<'_> {
    fn push(
        &mut self,
        item: Option<usize>,
        kind: &str,
        reference: Option<(&str, &str)>,
        (scheduled_date, suggested_date): Dates,
        (quantity, suggested_quantity): Quantities,
        message: String,
    ) {
        self.rows.push(MessageRow {
            id: new_id(),
            company_id: self.run.company_id,
            run_id: self.run.id.clone(),
            item_id: item.map(|i| self.l.items[i].id),
            kind: kind.to_string(),
            reference_type: reference.map(|r| r.0.to_string()),
            reference_id: reference.map(|r| r.1.to_string()),
            scheduled_date,
            suggested_date,
            quantity,
            suggested_quantity,
            message,
        });
    }

    /// A message about planned order `o` (id `id`): release it, or it is past due.
    fn about_order(&mut self, m: &ActionMessage, o: &PlannedOrder, id: &str) {
        let (l, h) = (self.l, &self.l.horizon);
        let sku = &l.items[m.item].sku;
        let due = h.bucket_start(o.due_bucket as usize);
        let release = add_days(due, -i64::from(l.lead_days[m.item].unwrap_or(0).max(0)));
        let text = match m.kind {
            MessageKind::PastDue => format!("{sku}: release {} now; it should have been released on {release} to arrive by {due} (lead time compressed)", show(m.quantity)),
            _ => format!("{sku}: release {} now, due {due}", show(m.quantity)),
        };
        self.push(
            Some(m.item),
            kind_name(m.kind),
            Some(("planned_order", id)),
            (Some(release), None),
            (Some(m.quantity), None),
            text,
        );
    }

    /// A message about existing supply, the `k`th scheduled receipt: expedite, defer,
    /// cancel, increase or decrease it.
    fn about_receipt(&mut self, m: &ActionMessage, k: usize) {
        let (l, h) = (self.l, &self.l.horizon);
        let sku = &l.items[m.item].sku;
        let r = &l.receipt_refs[k];
        let scheduled = h.bucket_start(m.bucket);
        let suggested = m.suggested_bucket.map(|b| h.bucket_start(b));
        let what = format!(
            "{} {} of {} {sku}",
            r.kind.replace('_', " "),
            r.label,
            show(m.quantity)
        );
        let to = || suggested.map(|d| d.to_string()).unwrap_or_default();
        let text = match m.kind {
            MessageKind::Expedite => format!("expedite {what} from {scheduled} to {}", to()),
            MessageKind::Defer => format!("defer {what} from {scheduled} to {}", to()),
            MessageKind::Cancel => {
                format!("cancel {what}: it is not needed within the horizon")
            }
            MessageKind::Increase => format!(
                "increase {what} to {}: the plan needs more in the same period",
                show(m.suggested_quantity.unwrap_or_default())
            ),
            MessageKind::Decrease => format!(
                "decrease {what} to {}: the rest is not needed within the horizon",
                show(m.suggested_quantity.unwrap_or_default())
            ),
            _ => what,
        };
        self.push(
            Some(m.item),
            kind_name(m.kind),
            Some((r.kind, &r.id)),
            (Some(scheduled), suggested),
            (Some(m.quantity), m.suggested_quantity),
            text,
        );
    }

    /// The re-planned items' data errors: orders inside the planning time fence, orders of
    /// an item without a lead time.
    fn data_errors(&mut self, out: &PlanOutput, order_ids: &[String]) {
        let (l, h) = (self.l, &self.l.horizon);
        let mut has_orders = vec![false; l.items.len()];
        for (k, o) in out.orders.iter().enumerate() {
            if o.phantom {
                continue;
            }
            let i = o.item as usize;
            has_orders[i] = true;
            if !out.replanned[i] {
                continue;
            }
            let fence = l.time_fence_days[i];
            let due = h.bucket_start(o.due_bucket as usize);
            if fence > 0 && due < add_days(h.start, i64::from(fence)) {
                let sku = &l.items[i].sku;
                self.push(Some(i), "time_fence", Some(("planned_order", &order_ids[k])), (Some(due), None), (Some(o.quantity), None), format!("{sku}: a planned order of {} due {due} falls inside the planning time fence of {fence} days: firm it or cover the shortage by hand", show(o.quantity)));
            }
        }
        for (i, it) in l.items.iter().enumerate() {
            if out.replanned[i] && has_orders[i] && l.lead_days[i].is_none() {
                self.push(
                    Some(i),
                    "missing_lead_time",
                    None,
                    (None, None),
                    (None, None),
                    format!("{}: no lead time is set; planned with 0 days", it.sku),
                );
            }
        }
    }
}

pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    q: MessageQuery,
    page: PageParams,
) -> Result<ActionMessageList, AppError> {
    actor.require("mrp.plan.read")?;
    let page = page.validate_by::<Option<NaiveDate>>()?;
    let company = actor.company_id;
    item::service::check_filter(conn, actor, q.item_id)?;
    let kind = q.kind.as_ref().map(enum_to_db);
    let rows = repo::messages_page(conn, company, kind.as_deref(), q.item_id, &page)?;
    let (rows, next_cursor) = page.finish(rows, |m| (m.scheduled_date, m.id.as_str()));
    let ids = erp_core::ids::distinct(rows.iter().filter_map(|m| m.item_id));
    let skus = item::repo::skus(conn, company, &ids)?;
    let items = rows
        .into_iter()
        .map(|m| {
            Ok(ActionMessageResponse {
                id: ActionMessageId::from_db(&m.id)?,
                kind: enum_from_db(&m.kind)?,
                item_id: m.item_id,
                sku: m
                    .item_id
                    .as_ref()
                    .map(|i| skus.get(i).cloned().unwrap_or_default()),
                reference_type: m.reference_type.as_deref().map(enum_from_db).transpose()?,
                reference_id: m.reference_id,
                scheduled_date: m.scheduled_date,
                suggested_date: m.suggested_date,
                quantity: m.quantity.map(Qty::from_scaled),
                suggested_quantity: m.suggested_quantity.map(Qty::from_scaled),
                message: m.message,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let run_id = repo::last_succeeded(conn, company)?
        .map(|r| RunId::from_db(&r.id))
        .transpose()?;
    Ok(ActionMessageList {
        run_id,
        items,
        next_cursor,
    })
}
