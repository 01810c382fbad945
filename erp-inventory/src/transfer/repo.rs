use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{transfer_order_lines as tl, transfer_orders as t};
use erp_core::db::DbConnection;
use erp_core::ids::{CompanyId, UserId};

use super::dto::TransferStatus;
use crate::ids::{ItemId, LocationId, TransferId, TransferLineId, WarehouseId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = t)]
pub struct Transfer {
    pub id: TransferId,
    pub company_id: CompanyId,
    pub number: String,
    pub from_warehouse_id: WarehouseId,
    pub to_warehouse_id: WarehouseId,
    pub status: TransferStatus,
    pub notes: Option<String>,
    pub version: i64,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tl)]
pub struct TransferLine {
    pub id: TransferLineId,
    pub transfer_id: TransferId,
    pub line_no: i32,
    pub item_id: ItemId,
    pub from_location_id: LocationId,
    pub lot: String,
    pub quantity: i64,
    pub received_quantity: i64,
    pub written_off_quantity: i64,
}

pub fn find(
    conn: &mut DbConnection,
    id: TransferId,
    company_id: CompanyId,
) -> QueryResult<Option<Transfer>> {
    t::table
        .find(id)
        .filter(t::company_id.eq(company_id))
        .select(Transfer::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, x: &Transfer, lines: &[TransferLine]) -> QueryResult<()> {
    diesel::insert_into(t::table).values(x).execute(conn)?;
    for l in lines {
        diesel::insert_into(tl::table).values(l).execute(conn)?;
    }
    Ok(())
}

/// Moves the transfer from status `from` to `to`; false when it was not in `from` any more.
pub fn set_status(
    conn: &mut DbConnection,
    id: TransferId,
    from: TransferStatus,
    to: TransferStatus,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(t::table.find(id).filter(t::status.eq(from)))
        .set((
            t::status.eq(to),
            t::version.eq(t::version + 1),
            t::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn lines_of(conn: &mut DbConnection, id: TransferId) -> QueryResult<Vec<TransferLine>> {
    tl::table
        .filter(tl::transfer_id.eq(id))
        .order(tl::line_no)
        .select(TransferLine::as_select())
        .load(conn)
}

/// Adds to what a line received if the total stays within what was shipped.
pub fn add_received(
    conn: &mut DbConnection,
    line_id: TransferLineId,
    qty: i64,
) -> QueryResult<bool> {
    let n = diesel::update(
        tl::table
            .find(line_id)
            .filter((tl::quantity - tl::received_quantity - tl::written_off_quantity).ge(qty)),
    )
    .set(tl::received_quantity.eq(tl::received_quantity + qty))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn write_off(conn: &mut DbConnection, line_id: TransferLineId, qty: i64) -> QueryResult<()> {
    diesel::update(tl::table.find(line_id))
        .set(tl::written_off_quantity.eq(tl::written_off_quantity + qty))
        .execute(conn)
        .map(|_| ())
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    warehouses: Option<&[WarehouseId]>,
    status: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Transfer>> {
    let mut q = t::table.filter(t::company_id.eq(company_id)).into_boxed();
    if let Some(w) = warehouses {
        q = q.filter(
            t::from_warehouse_id
                .eq_any(w.to_vec())
                .or(t::to_warehouse_id.eq_any(w.to_vec())),
        );
    }
    if let Some(s) = status {
        q = q.filter(t::status.eq(s.to_string()));
    }
    if let Some(a) = after {
        q = q.filter(t::id.gt(a.to_string()));
    }
    q.order(t::id.asc())
        .limit(limit)
        .select(Transfer::as_select())
        .load(conn)
}
