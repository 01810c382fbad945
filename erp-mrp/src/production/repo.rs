use diesel::prelude::*;
use erp_core::db::schema::{
    production_order_components as pc, production_order_operations as poo, production_orders as pro,
};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;
use erp_inventory::ids::ItemId;

use super::dto::ProductionStatus;
use crate::model::{ComponentRow, OperationRow, ProductionOrder};

pub fn find(
    conn: &mut DbConnection,
    id: &str,
    company_id: CompanyId,
) -> QueryResult<Option<ProductionOrder>> {
    pro::table
        .find(id)
        .filter(pro::company_id.eq(company_id))
        .select(ProductionOrder::as_select())
        .first(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConnection,
    o: &ProductionOrder,
    ops: &[OperationRow],
) -> QueryResult<()> {
    diesel::insert_into(pro::table).values(o).execute(conn)?;
    for op in ops {
        diesel::insert_into(poo::table).values(op).execute(conn)?;
    }
    Ok(())
}

pub fn insert_component(conn: &mut DbConnection, c: &ComponentRow) -> QueryResult<()> {
    diesel::insert_into(pc::table)
        .values(c)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(
    conn: &mut DbConnection,
    o: &ProductionOrder,
    expected: i64,
) -> QueryResult<bool> {
    let n = diesel::update(
        pro::table
            .filter(pro::id.eq(&o.id))
            .filter(pro::version.eq(expected)),
    )
    .set((
        pro::status.eq(&o.status),
        pro::quantity_completed.eq(o.quantity_completed),
        pro::version.eq(o.version),
        pro::updated_at.eq(o.updated_at),
        pro::closed_at.eq(o.closed_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn components(conn: &mut DbConnection, order_id: &str) -> QueryResult<Vec<ComponentRow>> {
    pc::table
        .filter(pc::order_id.eq(order_id))
        .order(pc::line_no)
        .select(ComponentRow::as_select())
        .load(conn)
}

pub fn save_component(conn: &mut DbConnection, c: &ComponentRow) -> QueryResult<()> {
    diesel::update(pc::table.find(&c.id))
        .set((
            pc::quantity_issued.eq(c.quantity_issued),
            pc::issued_cost.eq(c.issued_cost),
            pc::reservation_id.eq(&c.reservation_id),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn operations(conn: &mut DbConnection, order_id: &str) -> QueryResult<Vec<OperationRow>> {
    poo::table
        .filter(poo::order_id.eq(order_id))
        .order(poo::seq)
        .select(OperationRow::as_select())
        .load(conn)
}

/// Operations of released and in-progress orders, with the order's start date: the load
/// still to come.
pub fn open_operations(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(OperationRow, chrono::NaiveDate, String)>> {
    poo::table
        .inner_join(pro::table.on(pro::id.eq(poo::order_id)))
        .filter(pro::company_id.eq(company_id))
        .filter(pro::status.eq_any([ProductionStatus::Released, ProductionStatus::InProgress]))
        .filter(poo::status.ne("done"))
        .select((OperationRow::as_select(), pro::start_date, pro::number))
        .load(conn)
}

pub fn save_operation(conn: &mut DbConnection, o: &OperationRow) -> QueryResult<()> {
    diesel::update(poo::table.find(&o.id))
        .set((
            poo::actual_setup_hours.eq(o.actual_setup_hours),
            poo::actual_run_hours.eq(o.actual_run_hours),
            poo::quantity_done.eq(o.quantity_done),
            poo::quantity_scrapped.eq(o.quantity_scrapped),
            poo::status.eq(&o.status),
        ))
        .execute(conn)
        .map(|_| ())
}

pub struct ProductionFilter {
    pub item_id: Option<ItemId>,
    pub status: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &ProductionFilter,
    page: &PageRequest,
) -> QueryResult<Vec<ProductionOrder>> {
    let mut q = pro::table
        .filter(pro::company_id.eq(company_id))
        .into_boxed();
    if let Some(i) = &f.item_id {
        q = q.filter(pro::item_id.eq(*i));
    }
    if let Some(s) = &f.status {
        q = q.filter(pro::status.eq(s.clone()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(pro::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(pro::id.gt(after.clone()));
    }
    q.order(pro::id.asc())
        .limit(page.fetch_limit())
        .select(ProductionOrder::as_select())
        .load(conn)
}

/// A production order as the output report reads it.
#[derive(Debug, Queryable)]
pub struct DueOrder {
    pub item_id: ItemId,
    pub sku: String,
    pub status: ProductionStatus,
    pub quantity: i64,
    pub completed: i64,
    pub due_date: chrono::NaiveDate,
}

/// The company's production orders due in [from, to], cancelled ones left out, by SKU.
pub fn due_between(
    conn: &mut DbConnection,
    company_id: CompanyId,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> QueryResult<Vec<DueOrder>> {
    use erp_core::db::schema::items;
    pro::table
        .inner_join(items::table.on(items::id.eq(pro::item_id)))
        .filter(pro::company_id.eq(company_id))
        .filter(pro::due_date.ge(from))
        .filter(pro::due_date.le(to))
        .filter(pro::status.ne(ProductionStatus::Cancelled))
        .order(items::sku)
        .select((
            pro::item_id,
            items::sku,
            pro::status,
            pro::quantity,
            pro::quantity_completed,
            pro::due_date,
        ))
        .load(conn)
}
