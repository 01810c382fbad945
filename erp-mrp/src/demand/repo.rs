use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::demands as dm;
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;
use erp_inventory::ids::ItemId;

use crate::model::Demand;
use crate::states::DemandKind;

pub fn find(
    conn: &mut DbConnection,
    id: &str,
    company_id: CompanyId,
) -> QueryResult<Option<Demand>> {
    dm::table
        .find(id)
        .filter(dm::company_id.eq(company_id))
        .select(Demand::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_source(
    conn: &mut DbConnection,
    company_id: CompanyId,
    source_type: &str,
    source_id: &str,
) -> QueryResult<Option<Demand>> {
    dm::table
        .filter(dm::company_id.eq(company_id))
        .filter(dm::source_type.eq(source_type))
        .filter(dm::source_id.eq(source_id))
        .select(Demand::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, d: &Demand) -> QueryResult<()> {
    diesel::insert_into(dm::table)
        .values(d)
        .execute(conn)
        .map(|_| ())
}

pub fn replace(conn: &mut DbConnection, d: &Demand) -> QueryResult<()> {
    diesel::update(dm::table.find(&d.id))
        .set((
            dm::item_id.eq(&d.item_id),
            dm::kind.eq(&d.kind),
            dm::due_date.eq(d.due_date),
            dm::quantity.eq(d.quantity),
            dm::note.eq(&d.note),
            dm::version.eq(d.version),
            dm::updated_at.eq(d.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
    diesel::delete(dm::table.find(id)).execute(conn)
}

/// Demand of the company due before `until`.
pub fn until(
    conn: &mut DbConnection,
    company_id: CompanyId,
    until: NaiveDate,
) -> QueryResult<Vec<Demand>> {
    dm::table
        .filter(dm::company_id.eq(company_id))
        .filter(dm::due_date.lt(until))
        .order((dm::due_date, dm::id))
        .select(Demand::as_select())
        .load(conn)
}

pub struct DemandFilter {
    pub item_id: Option<ItemId>,
    pub kind: Option<DemandKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The company's demands that `f` lets through, as a query to page or to read whole.
fn filtered<'a>(
    company_id: CompanyId,
    f: &'a DemandFilter,
) -> dm::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend> {
    let mut q = dm::table.filter(dm::company_id.eq(company_id)).into_boxed();
    if let Some(i) = &f.item_id {
        q = q.filter(dm::item_id.eq(i));
    }
    if let Some(k) = f.kind {
        q = q.filter(dm::kind.eq(k));
    }
    if let Some(d) = f.from {
        q = q.filter(dm::due_date.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(dm::due_date.le(d));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &DemandFilter,
    page: &PageRequest,
) -> QueryResult<Vec<Demand>> {
    let mut q = filtered(company_id, f);
    if let Some(since) = page.updated_since {
        q = q.filter(dm::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(dm::id.gt(after.clone()));
    }
    q.order(dm::id.asc())
        .limit(page.fetch_limit())
        .select(Demand::as_select())
        .load(conn)
}

/// Every demand `f` lets through, by due date (an export).
pub fn all(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &DemandFilter,
) -> QueryResult<Vec<Demand>> {
    filtered(company_id, f)
        .order((dm::due_date.asc(), dm::id.asc()))
        .select(Demand::as_select())
        .load(conn)
}
