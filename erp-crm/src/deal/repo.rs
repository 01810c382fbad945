use std::collections::HashMap;

use diesel::prelude::*;
use erp_core::db::schema::{crm_deal_changes as dc, crm_deal_stages as ds, crm_deals as dl};
use erp_core::db::DbConnection;
use erp_core::pagination::PageRequest;

use crate::model::{DealChangeRow, DealRow, DealStageRow};
use crate::states::DealStatus;

pub fn find(conn: &mut DbConnection, id: &str, company_id: &str) -> QueryResult<Option<DealRow>> {
    dl::table
        .find(id)
        .filter(dl::company_id.eq(company_id))
        .select(DealRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, d: &DealRow) -> QueryResult<()> {
    diesel::insert_into(dl::table)
        .values(d)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(conn: &mut DbConnection, d: &DealRow, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(
        dl::table
            .filter(dl::id.eq(&d.id))
            .filter(dl::version.eq(expected)),
    )
    .set((
        dl::title.eq(&d.title),
        dl::value.eq(d.value),
        dl::currency.eq(&d.currency),
        dl::expected_close.eq(d.expected_close),
        dl::owner_id.eq(&d.owner_id),
        dl::stage_id.eq(&d.stage_id),
        dl::status.eq(&d.status),
        dl::lost_reason.eq(&d.lost_reason),
        dl::closed_at.eq(d.closed_at),
        dl::version.eq(d.version),
        dl::updated_at.eq(d.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn insert_change(conn: &mut DbConnection, c: &DealStageRow) -> QueryResult<()> {
    diesel::insert_into(ds::table)
        .values(c)
        .execute(conn)
        .map(|_| ())
}

pub fn insert_field_change(conn: &mut DbConnection, c: &DealChangeRow) -> QueryResult<()> {
    diesel::insert_into(dc::table)
        .values(c)
        .execute(conn)
        .map(|_| ())
}

/// The field changes of several deals by deal, each deal's in the order they were made.
pub fn field_changes(
    conn: &mut DbConnection,
    deal_ids: &[String],
) -> QueryResult<HashMap<String, Vec<DealChangeRow>>> {
    let rows: Vec<DealChangeRow> = dc::table
        .filter(dc::deal_id.eq_any(deal_ids))
        .order((dc::deal_id, dc::changed_at, dc::id))
        .select(DealChangeRow::as_select())
        .load(conn)?;
    let mut by_deal: HashMap<String, Vec<DealChangeRow>> = HashMap::new();
    for r in rows {
        by_deal.entry(r.deal_id.clone()).or_default().push(r);
    }
    Ok(by_deal)
}

/// The stage history of several deals by deal, each deal's in the order it moved.
pub fn history(
    conn: &mut DbConnection,
    deal_ids: &[String],
) -> QueryResult<HashMap<String, Vec<DealStageRow>>> {
    let rows: Vec<DealStageRow> = ds::table
        .filter(ds::deal_id.eq_any(deal_ids))
        .order((ds::deal_id, ds::changed_at, ds::id))
        .select(DealStageRow::as_select())
        .load(conn)?;
    let mut by_deal: HashMap<String, Vec<DealStageRow>> = HashMap::new();
    for r in rows {
        by_deal.entry(r.deal_id.clone()).or_default().push(r);
    }
    Ok(by_deal)
}

pub fn of_customer(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<DealRow>> {
    dl::table
        .filter(dl::customer_id.eq(customer_id))
        .order(dl::created_at)
        .select(DealRow::as_select())
        .load(conn)
}

pub struct DealFilter {
    pub customer_id: Option<String>,
    /// Owned by one of these managers.
    pub owners: Option<Vec<String>>,
    pub status: Option<String>,
    pub stage_id: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: &str,
    f: &DealFilter,
    page: &PageRequest,
) -> QueryResult<Vec<DealRow>> {
    let mut q = dl::table.filter(dl::company_id.eq(company_id)).into_boxed();
    if let Some(c) = &f.customer_id {
        q = q.filter(dl::customer_id.eq(c.clone()));
    }
    if let Some(o) = &f.owners {
        q = q.filter(dl::owner_id.eq_any(o.clone()));
    }
    if let Some(s) = &f.status {
        q = q.filter(dl::status.eq(s.clone()));
    }
    if let Some(s) = &f.stage_id {
        q = q.filter(dl::stage_id.eq(s.clone()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(dl::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(dl::id.gt(after.clone()));
    }
    q.order(dl::id.asc())
        .limit(page.fetch_limit())
        .select(DealRow::as_select())
        .load(conn)
}

/// Open deals with their stage's probability (Qty ×10⁶ percent).
pub fn open_weighted(
    conn: &mut DbConnection,
    company_id: &str,
) -> QueryResult<Vec<(DealRow, i64)>> {
    use erp_core::db::schema::{crm_deals as d, crm_stages as st};
    d::table
        .inner_join(st::table.on(st::id.eq(d::stage_id)))
        .filter(d::company_id.eq(company_id))
        .filter(d::status.eq(DealStatus::Open))
        .order(d::id)
        .select((DealRow::as_select(), st::probability))
        .load(conn)
}
