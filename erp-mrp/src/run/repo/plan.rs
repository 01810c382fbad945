//! Queries of the stored plan as planners read and change it: planned orders and their
//! pegging, action messages, the reports' reads.

use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{
    demands, mrp_item_plans as mp, mrp_messages as mm, partners, planned_orders as po,
    production_orders as pro, purchase_orders as pur,
};
use erp_core::db::DbConnection;
use erp_core::ids::{CompanyId, PartnerId};
use erp_core::pagination::{KeyedPage, PageRequest};
use erp_inventory::ids::ItemId;

use crate::model::{ItemPlan, MessageRow, PlannedOrderRow};
use crate::states::{PlannedOrderKind, PlannedOrderStatus};

/// The company's planned order rows (firm orders, and orders of plans stored before
/// 2026-12-06), of one kind if given.
pub fn planned_orders_of(
    conn: &mut DbConnection,
    company_id: CompanyId,
    kind: Option<PlannedOrderKind>,
) -> QueryResult<Vec<PlannedOrderRow>> {
    let mut query = po::table.filter(po::company_id.eq(company_id)).into_boxed();
    if let Some(k) = kind {
        query = query.filter(po::kind.eq(k));
    }
    query.select(PlannedOrderRow::as_select()).load(conn)
}

/// The item plan whose orders start at `orders_from`.
pub fn plan_by_orders_from(
    conn: &mut DbConnection,
    company_id: CompanyId,
    orders_from: &str,
) -> QueryResult<Option<ItemPlan>> {
    mp::table
        .filter(mp::company_id.eq(company_id))
        .filter(mp::orders_from.eq(orders_from))
        .select(ItemPlan::as_select())
        .first(conn)
        .optional()
}

/// Item plans holding orders, in `orders_from` order, from `from` (inclusive or not), with
/// an order released by `release_until` if given.
pub fn plans_from(
    conn: &mut DbConnection,
    company_id: CompanyId,
    item_id: Option<ItemId>,
    release_until: Option<NaiveDate>,
    from: Option<(&str, bool)>,
    limit: i64,
) -> QueryResult<Vec<ItemPlan>> {
    let mut query = mp::table
        .filter(mp::company_id.eq(company_id))
        .filter(mp::orders_from.is_not_null())
        .filter(mp::first_release.is_not_null())
        .into_boxed();
    if let Some(i) = item_id {
        query = query.filter(mp::item_id.eq(i.to_string()));
    }
    if let Some(d) = release_until {
        query = query.filter(mp::first_release.le(d));
    }
    query = match from {
        Some((f, true)) => query.filter(mp::orders_from.ge(f.to_string())),
        Some((f, false)) => query.filter(mp::orders_from.gt(f.to_string())),
        None => query,
    };
    query
        .order(mp::orders_from)
        .limit(limit)
        .select(ItemPlan::as_select())
        .load(conn)
}

/// Rewrites an item plan's record (an order taken out of it) if it is still `was`; the rows
/// changed (0 or 1).
pub fn set_plan_record(
    conn: &mut DbConnection,
    item_id: ItemId,
    was: &str,
    record: &str,
) -> QueryResult<usize> {
    diesel::update(mp::table.find(item_id).filter(mp::record.eq(was)))
        .set(mp::record.eq(record))
        .execute(conn)
}

/// How many action messages the company's plan has.
pub fn count_messages(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<i64> {
    mm::table
        .filter(mm::company_id.eq(company_id))
        .count()
        .get_result(conn)
}

/// A page of the company's action messages, undated ones first, then by scheduled date and
/// id (the same order on both backends: SQLite sorts nulls first, PostgreSQL last).
pub fn messages_page(
    conn: &mut DbConnection,
    company_id: CompanyId,
    kind: Option<&str>,
    item_id: Option<ItemId>,
    page: &KeyedPage<Option<NaiveDate>>,
) -> QueryResult<Vec<MessageRow>> {
    let mut query = mm::table.filter(mm::company_id.eq(company_id)).into_boxed();
    if let Some(k) = kind {
        query = query.filter(mm::kind.eq(k.to_string()));
    }
    if let Some(i) = item_id {
        query = query.filter(mm::item_id.eq(i.to_string()));
    }
    query = match &page.after {
        None => query,
        Some((None, id)) => {
            query.filter(mm::scheduled_date.is_not_null().or(mm::id.gt(id.clone())))
        }
        Some((Some(d), id)) => query.filter(
            mm::scheduled_date
                .gt(*d)
                .or(mm::scheduled_date.eq(*d).and(mm::id.gt(id.clone()))),
        ),
    };
    query
        .order((mm::scheduled_date.is_not_null(), mm::scheduled_date, mm::id))
        .limit(page.fetch_limit())
        .select(MessageRow::as_select())
        .load(conn)
}

/// What a list of planned orders is narrowed to.
pub struct PlannedOrderFilter {
    pub item_id: Option<ItemId>,
    /// One kind; without it, all but phantoms.
    pub kind: Option<PlannedOrderKind>,
    pub status: Option<PlannedOrderStatus>,
    pub release_until: Option<NaiveDate>,
}

/// A page of the company's planned orders in id order.
pub fn planned_orders_page(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &PlannedOrderFilter,
    page: &PageRequest,
) -> QueryResult<Vec<PlannedOrderRow>> {
    let mut query = po::table.filter(po::company_id.eq(company_id)).into_boxed();
    if let Some(i) = &f.item_id {
        query = query.filter(po::item_id.eq(*i));
    }
    match f.kind {
        Some(k) => query = query.filter(po::kind.eq(k)),
        None => query = query.filter(po::kind.ne(PlannedOrderKind::Phantom)),
    }
    if let Some(s) = f.status {
        query = query.filter(po::status.eq(s));
    }
    if let Some(d) = f.release_until {
        query = query.filter(po::release_date.le(d));
    }
    if let Some(after) = &page.after {
        query = query.filter(po::id.gt(after.clone()));
    }
    if let Some(since) = page.updated_since {
        query = query.filter(po::updated_at.ge(since));
    }
    query
        .order(po::id)
        .limit(page.fetch_limit())
        .select(PlannedOrderRow::as_select())
        .load(conn)
}

/// A planned order of the company.
pub fn find_planned_order(
    conn: &mut DbConnection,
    id: &str,
    company_id: CompanyId,
) -> QueryResult<Option<PlannedOrderRow>> {
    po::table
        .find(id)
        .filter(po::company_id.eq(company_id))
        .select(PlannedOrderRow::as_select())
        .first(conn)
        .optional()
}

/// The (not firm) planned order of an item with this engine ordinal: a peg's parent.
pub fn planned_by_ordinal(
    conn: &mut DbConnection,
    company_id: CompanyId,
    item_id: ItemId,
    ordinal: i32,
) -> QueryResult<Option<PlannedOrderRow>> {
    po::table
        .filter(po::company_id.eq(company_id))
        .filter(po::item_id.eq(item_id))
        .filter(po::status.eq(PlannedOrderStatus::Planned))
        .filter(po::ordinal.eq(ordinal))
        .select(PlannedOrderRow::as_select())
        .first(conn)
        .optional()
}

/// A demand entry's kind and due date.
pub fn demand_kind_and_due(
    conn: &mut DbConnection,
    id: &str,
) -> QueryResult<Option<(String, NaiveDate)>> {
    demands::table
        .find(id)
        .select((demands::kind, demands::due_date))
        .first(conn)
        .optional()
}

/// A production order's start date.
pub fn production_start(conn: &mut DbConnection, id: &str) -> QueryResult<Option<NaiveDate>> {
    pro::table
        .find(id)
        .select(pro::start_date)
        .first(conn)
        .optional()
}

/// Writes a firmed planned order if it is still at `expected`; the rows changed (0 or 1).
pub fn save_firm(
    conn: &mut DbConnection,
    o: &PlannedOrderRow,
    expected: i64,
) -> QueryResult<usize> {
    diesel::update(
        po::table
            .filter(po::id.eq(&o.id))
            .filter(po::version.eq(expected)),
    )
    .set((
        po::quantity.eq(o.quantity),
        po::due_date.eq(o.due_date),
        po::release_date.eq(o.release_date),
        po::status.eq(&o.status),
        po::past_due.eq(o.past_due),
        po::ordinal.eq(o.ordinal),
        po::version.eq(o.version),
        po::updated_at.eq(o.updated_at),
    ))
    .execute(conn)
}

pub fn delete_planned_order(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(po::table.find(id)).execute(conn).map(|_| ())
}

/// The supplier of a purchase order.
pub fn purchase_supplier(conn: &mut DbConnection, order_id: &str) -> QueryResult<PartnerId> {
    pur::table
        .find(order_id)
        .select(pur::supplier_id)
        .first(conn)
}

pub fn partner_name(conn: &mut DbConnection, id: PartnerId) -> QueryResult<String> {
    partners::table.find(id).select(partners::name).first(conn)
}
