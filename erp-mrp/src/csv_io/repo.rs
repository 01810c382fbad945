//! The reads behind the exports: each joins the SKUs and codes a file shows in one query.

use diesel::prelude::*;
use erp_core::db::schema::{
    bom_lines as bl, boms, items, routing_operations as ro, uoms, work_centers as wc,
};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;

use crate::model::{Bom, BomLineRow, Operation};

/// BOMs of the company (all, or of one status), each with its item's SKU, by SKU and revision.
pub fn boms(
    conn: &mut DbConnection,
    company_id: CompanyId,
    status: Option<&str>,
) -> QueryResult<Vec<(Bom, String)>> {
    let mut q = boms::table
        .inner_join(items::table.on(items::id.eq(boms::item_id)))
        .filter(boms::company_id.eq(company_id))
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(boms::status.eq(s.to_string()));
    }
    q.order((items::sku.asc(), boms::revision.asc()))
        .select((Bom::as_select(), items::sku))
        .load(conn)
}

/// Lines of the company's BOMs with the component's SKU and the entered unit's code.
pub fn bom_lines(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(BomLineRow, String, String)>> {
    bl::table
        .inner_join(boms::table.on(boms::id.eq(bl::bom_id)))
        .inner_join(items::table.on(items::id.eq(bl::component_id)))
        .inner_join(uoms::table.on(uoms::id.eq(bl::entered_uom_id)))
        .filter(boms::company_id.eq(company_id))
        .order((bl::bom_id.asc(), bl::line_no.asc()))
        .select((BomLineRow::as_select(), items::sku, uoms::code))
        .load(conn)
}

/// Routing operations of the company with the item's SKU and the work center's code, by SKU
/// and step.
pub fn operations(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(Operation, String, String)>> {
    ro::table
        .inner_join(items::table.on(items::id.eq(ro::item_id)))
        .inner_join(wc::table.on(wc::id.eq(ro::work_center_id)))
        .filter(ro::company_id.eq(company_id))
        .order((items::sku.asc(), ro::seq.asc()))
        .select((Operation::as_select(), items::sku, wc::code))
        .load(conn)
}
