//! The planned orders of the current plan, read as one list from where they live.
//!
//! A run keeps the engine's orders inside their item's plan (one row per item, not one per
//! order: a run of 10,000 items makes a third of a million orders). Order `k` of a plan has
//! the id whose last 24 bits are `k` and whose other bits are the plan's `orders_from`, so an
//! order's id names its plan. Firm orders are rows of `planned_orders`, as are the orders of
//! plans stored before 2026-12-06. Every read here joins both into [`PlannedOrderRow`]s.

use chrono::{NaiveDate, NaiveDateTime};
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;
use erp_inventory::ids::ItemId;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::form::{StoredPeg, StoredRecord};
use super::repo;
use crate::model::{ItemPlan, PlannedOrderRow};
use crate::states::{PlannedOrderKind, PlannedOrderStatus};
use crate::util::add_days;

const ORDINAL_BITS: u32 = 24;
const ORDINAL_MASK: u128 = (1 << ORDINAL_BITS) - 1;

/// The most orders one item plan can hold.
pub const MAX_ORDERS_PER_ITEM: usize = 1 << ORDINAL_BITS;

/// What a peg names, by its code in [`Placed::pegs`].
const PEG_TYPES: [&str; 5] = [
    "demand",
    "planned_order",
    "production_order",
    "firm_planned_order",
    "purchase_order",
];

/// The code of a peg's source type.
pub fn peg_type_code(source_type: &str) -> Result<u8, AppError> {
    PEG_TYPES
        .iter()
        .position(|t| *t == source_type)
        .map(|p| p as u8)
        .ok_or_else(|| AppError::Internal(format!("unknown peg source {source_type}")))
}

/// The bits of a run's first `orders_from` that its plans number: 32 bits of item above the
/// 24 of ordinal, under the id's timestamp, version and variant.
const PLAN_MASK: u128 = (1 << 56) - 1;

/// The `orders_from` of a run's first plan: a time-ordered id whose low bits are free.
pub fn run_base() -> u128 {
    Uuid::now_v7().as_u128() & !PLAN_MASK
}

/// The `orders_from` of the run's plan number `n`: unique in the run, and after every plan of
/// earlier runs (their ids have an earlier time).
pub fn plan_base(run: u128, n: usize) -> u128 {
    run | (((n as u128) << ORDINAL_BITS) & PLAN_MASK)
}

/// The id of order `k` of the plan whose orders start at `base`.
pub fn order_id(base: u128, k: usize) -> String {
    Uuid::from_u128(base | (k as u128 & ORDINAL_MASK)).to_string()
}

/// An `orders_from` as a number.
pub fn parse_base(from: &str) -> Result<u128, AppError> {
    Ok(Uuid::parse_str(from)
        .map_err(|e| AppError::Internal(e.to_string()))?
        .as_u128())
}

/// The `orders_from` of the plan that would hold the order `id`, and its ordinal there.
fn split(id: &str) -> Option<(String, usize)> {
    let n = Uuid::parse_str(id).ok()?.as_u128();
    Some((
        Uuid::from_u128(n & !ORDINAL_MASK).to_string(),
        (n & ORDINAL_MASK) as usize,
    ))
}

/// An item plan's orders as stored in its record, beside the engine's
/// `(release bucket, due bucket, quantity, past due, phantom)`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Placed {
    /// `make` or `buy`: the kind of every order that is not a phantom.
    pub kind: PlannedOrderKind,
    /// Day 0 of `days`.
    pub from: NaiveDate,
    /// Per order, its release and due dates as days after `from`.
    pub days: Vec<(i32, i32)>,
    /// What the pegs name (demand and document ids, parent items), each once.
    pub sources: Vec<String>,
    /// Per order, its pegs: (type code, index into `sources`, the parent's ordinal or -1,
    /// quantity in millionths).
    pub pegs: Vec<Vec<(u8, u32, i32, i64)>>,
    /// Orders firmed or released since the run, by ordinal: no longer in the plan's list.
    #[serde(default)]
    pub gone: Vec<u32>,
    /// When the run wrote them.
    pub at: NaiveDateTime,
}

/// An item plan whose orders live in it.
pub struct PlanOrders {
    pub plan: ItemPlan,
    pub stored: StoredRecord,
    base: u128,
}

impl PlanOrders {
    /// None for a plan whose orders are rows.
    pub fn of(plan: ItemPlan) -> Result<Option<PlanOrders>, AppError> {
        let Some(from) = plan.orders_from.as_deref() else {
            return Ok(None);
        };
        let base = parse_base(from)?;
        let stored = StoredRecord::parse(&plan.record)?;
        if stored.placed.is_none() {
            return Ok(None);
        }
        Ok(Some(PlanOrders { plan, stored, base }))
    }

    fn placed(&self) -> &Placed {
        self.stored
            .placed
            .as_ref()
            .expect("checked in PlanOrders::of")
    }

    /// Whether order `k` is in the plan's list (not firmed or released since).
    pub fn holds(&self, k: usize) -> bool {
        k < self.stored.orders.len() && !self.placed().gone.contains(&(k as u32))
    }

    /// Order `k` as a row (its pegs are read with [`PlanOrders::pegs`]).
    pub fn row(&self, k: usize) -> PlannedOrderRow {
        let p = self.placed();
        let (_, _, quantity, past_due, phantom) = self.stored.orders[k];
        let (release, due) = p.days[k];
        PlannedOrderRow {
            id: order_id(self.base, k),
            company_id: self.plan.company_id,
            item_id: self.plan.item_id,
            kind: if phantom {
                PlannedOrderKind::Phantom
            } else {
                p.kind
            },
            status: PlannedOrderStatus::Planned,
            quantity,
            release_date: add_days(p.from, i64::from(release)),
            due_date: add_days(p.from, i64::from(due)),
            past_due,
            ordinal: k as i32,
            run_id: Some(self.plan.run_id.clone()),
            pegs: String::new(),
            version: 1,
            created_at: p.at,
            updated_at: p.at,
        }
    }

    /// The orders in the plan's list, in id order.
    pub fn rows(&self) -> impl Iterator<Item = PlannedOrderRow> + '_ {
        (0..self.stored.orders.len())
            .filter(|k| self.holds(*k))
            .map(|k| self.row(k))
    }

    pub fn pegs(&self, k: usize) -> Vec<StoredPeg> {
        let p = self.placed();
        p.pegs[k]
            .iter()
            .map(|&(t, s, parent, quantity)| StoredPeg {
                source_type: PEG_TYPES[usize::from(t).min(PEG_TYPES.len() - 1)].to_string(),
                source_id: p.sources[s as usize].clone(),
                parent_ordinal: (parent >= 0).then_some(parent),
                quantity,
            })
            .collect()
    }

    /// Takes order `k` out of the plan's list (it was firmed or released) and stores that,
    /// if the plan is still as read: else [`AppError::Contended`], for the caller to retry
    /// (two orders of one item taken at once would each write the plan without the other).
    pub fn take(mut self, conn: &mut DbConnection, k: usize) -> Result<(), AppError> {
        if let Some(p) = self.stored.placed.as_mut() {
            p.gone.push(k as u32);
        }
        let record = self.stored.into_json()?;
        match repo::set_plan_record(conn, self.plan.item_id, &self.plan.record, &record)? {
            1 => Ok(()),
            _ => Err(AppError::Contended),
        }
    }
}

/// A planned order where it was found.
pub enum Found {
    Row(PlannedOrderRow),
    Placed(Box<PlanOrders>, usize),
}

impl Found {
    pub fn row(&self) -> PlannedOrderRow {
        match self {
            Found::Row(r) => r.clone(),
            Found::Placed(p, k) => p.row(*k),
        }
    }

    pub fn pegs(&self) -> Result<Vec<StoredPeg>, AppError> {
        match self {
            Found::Row(r) => {
                serde_json::from_str(&r.pegs).map_err(|e| AppError::Internal(e.to_string()))
            }
            Found::Placed(p, k) => Ok(p.pegs(*k)),
        }
    }

    /// Takes the order out of the current plan: the row deleted, or marked gone in its plan.
    pub fn take(self, conn: &mut DbConnection) -> Result<(), AppError> {
        match self {
            Found::Row(r) => Ok(repo::delete_planned_order(conn, &r.id)?),
            Found::Placed(p, k) => p.take(conn, k),
        }
    }
}

/// The company's planned order `id`, firm or planned.
pub fn find(
    conn: &mut DbConnection,
    company: CompanyId,
    id: &str,
) -> Result<Option<Found>, AppError> {
    if let Some(r) = repo::find_planned_order(conn, id, company)? {
        return Ok(Some(Found::Row(r)));
    }
    let Some((base, k)) = split(id) else {
        return Ok(None);
    };
    let Some(plan) = repo::plan_by_orders_from(conn, company, &base)? else {
        return Ok(None);
    };
    Ok(PlanOrders::of(plan)?
        .filter(|p| p.holds(k))
        .map(|p| Found::Placed(Box::new(p), k)))
}

/// The planned (not firm) order of an item with this engine ordinal: a peg's parent.
pub fn by_ordinal(
    conn: &mut DbConnection,
    company: CompanyId,
    item_id: ItemId,
    ordinal: i32,
) -> Result<Option<Found>, AppError> {
    if let Some(plan) = repo::item_plan(conn, item_id)?.filter(|p| p.company_id == company) {
        if let Some(p) = PlanOrders::of(plan)? {
            let k = usize::try_from(ordinal).unwrap_or(usize::MAX);
            return Ok(p.holds(k).then_some(Found::Placed(Box::new(p), k)));
        }
    }
    Ok(repo::planned_by_ordinal(conn, company, item_id, ordinal)?.map(Found::Row))
}

/// Whether a row passes a list's filter (its item is filtered in the query).
fn passes(o: &PlannedOrderRow, f: &repo::PlannedOrderFilter, page: &PageRequest) -> bool {
    page.after.as_ref().is_none_or(|a| o.id > *a)
        && page.updated_since.is_none_or(|s| o.updated_at >= s)
        && match f.kind {
            Some(k) => o.kind == k,
            None => o.kind != PlannedOrderKind::Phantom,
        }
        && f.release_until.is_none_or(|d| o.release_date <= d)
}

/// Item plans read per query while a page fills.
const PLANS_PER_READ: i64 = 32;

/// A page of the company's planned orders in id order (fetched one longer than the page, as
/// [`PageRequest::finish`] expects).
pub fn page(
    conn: &mut DbConnection,
    company: CompanyId,
    f: &repo::PlannedOrderFilter,
    page: &PageRequest,
) -> Result<Vec<PlannedOrderRow>, AppError> {
    let want = page.fetch_limit() as usize;
    let mut rows = repo::planned_orders_page(conn, company, f, page)?;
    if f.status.is_none_or(|s| s == PlannedOrderStatus::Planned) {
        // Plans in `orders_from` order hold their orders in id order: the first `want` found
        // that pass are the first `want` of all plans.
        let mut placed = Vec::new();
        let mut from = page
            .after
            .as_ref()
            .map(|after| (split(after).map_or(after.clone(), |s| s.0), true));
        loop {
            let plans = repo::plans_from(
                conn,
                company,
                f.item_id,
                f.release_until,
                from.as_ref().map(|(b, inclusive)| (b.as_str(), *inclusive)),
                PLANS_PER_READ,
            )?;
            let last = plans.last().and_then(|p| p.orders_from.clone());
            for plan in plans {
                if let Some(p) = PlanOrders::of(plan)? {
                    placed.extend(p.rows().filter(|o| passes(o, f, page)));
                }
            }
            match last {
                Some(l) if placed.len() < want => from = Some((l, false)),
                _ => break,
            }
        }
        placed.truncate(want);
        rows.extend(placed);
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        rows.truncate(want);
    }
    Ok(rows)
}

/// Every planned and firm order of the company (of one kind, if given), by due date and id.
pub fn all(
    conn: &mut DbConnection,
    company: CompanyId,
    kind: Option<PlannedOrderKind>,
) -> Result<Vec<PlannedOrderRow>, AppError> {
    let mut rows = repo::planned_orders_of(conn, company, kind)?;
    for plan in repo::item_plans(conn, company)? {
        if let Some(p) = PlanOrders::of(plan)? {
            rows.extend(p.rows().filter(|o| kind.is_none_or(|k| o.kind == k)));
        }
    }
    rows.sort_by(|a, b| (a.due_date, &a.id).cmp(&(b.due_date, &b.id)));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_id_names_its_plan_and_ordinal() {
        let run = run_base();
        let base = plan_base(run, 3);
        let from = order_id(base, 0);
        for k in [0, 1, 37, MAX_ORDERS_PER_ITEM - 1] {
            let id = order_id(base, k);
            assert_eq!(split(&id), Some((from.clone(), k)));
            assert_eq!(Uuid::parse_str(&id).unwrap().get_version_num(), 7);
        }
        // Ids sort as their ordinals within a plan, and a later plan's after all of them.
        assert!(order_id(base, 9) < order_id(base, 10));
        assert!(order_id(base, MAX_ORDERS_PER_ITEM - 1) < order_id(plan_base(run, 4), 0));
        assert_ne!(plan_base(run, 0), plan_base(run, 1));
        assert!(split("not an id").is_none());
    }
}
