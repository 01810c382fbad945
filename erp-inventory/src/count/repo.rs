use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{count_lines as cl, count_sessions as cs, stock_valuations as sv};
use erp_core::db::DbConnection;
use erp_core::ids::UserId;

use super::dto::CountStatus;
use crate::ids::{ItemId, LocationId, WarehouseId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cs, treat_none_as_default_value = false)]
pub struct CountSession {
    pub id: String,
    pub company_id: String,
    pub number: String,
    pub warehouse_id: WarehouseId,
    pub kind: String,
    pub abc_class: Option<String>,
    pub status: CountStatus,
    pub notes: Option<String>,
    pub version: i64,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Counted as of this instant (business date); none: as of approval.
    pub as_of: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cl)]
pub struct CountLine {
    pub id: String,
    pub session_id: String,
    pub item_id: ItemId,
    pub location_id: LocationId,
    pub lot: String,
    pub expected_quantity: i64,
    pub counted_quantity: Option<i64>,
    pub adjustment_move_id: Option<String>,
}

pub fn find(
    conn: &mut DbConnection,
    id: &str,
    company_id: &str,
) -> QueryResult<Option<CountSession>> {
    cs::table
        .find(id)
        .filter(cs::company_id.eq(company_id))
        .select(CountSession::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, s: &CountSession, lines: &[CountLine]) -> QueryResult<()> {
    diesel::insert_into(cs::table).values(s).execute(conn)?;
    for l in lines {
        diesel::insert_into(cl::table).values(l).execute(conn)?;
    }
    Ok(())
}

pub fn lines_of(conn: &mut DbConnection, session_id: &str) -> QueryResult<Vec<CountLine>> {
    cl::table
        .filter(cl::session_id.eq(session_id))
        .order((cl::location_id, cl::item_id, cl::lot))
        .select(CountLine::as_select())
        .load(conn)
}

pub fn insert_line(conn: &mut DbConnection, l: &CountLine) -> QueryResult<()> {
    diesel::insert_into(cl::table)
        .values(l)
        .execute(conn)
        .map(|_| ())
}

pub fn set_counted(conn: &mut DbConnection, line_id: &str, counted: i64) -> QueryResult<()> {
    diesel::update(cl::table.find(line_id))
        .set(cl::counted_quantity.eq(Some(counted)))
        .execute(conn)
        .map(|_| ())
}

pub fn set_adjustment(conn: &mut DbConnection, line_id: &str, move_id: &str) -> QueryResult<()> {
    diesel::update(cl::table.find(line_id))
        .set(cl::adjustment_move_id.eq(Some(move_id)))
        .execute(conn)
        .map(|_| ())
}

/// Moves a session from `from` to `to`; false when it was no longer in `from`.
pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    from: &str,
    to: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(cs::table.find(id).filter(cs::status.eq(from)))
        .set((
            cs::status.eq(to),
            cs::version.eq(cs::version + 1),
            cs::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn list(
    conn: &mut DbConnection,
    company_id: &str,
    warehouses: Option<&[WarehouseId]>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<CountSession>> {
    let mut q = cs::table.filter(cs::company_id.eq(company_id)).into_boxed();
    if let Some(w) = warehouses {
        q = q.filter(cs::warehouse_id.eq_any(w.to_vec()));
    }
    if let Some(a) = after {
        q = q.filter(cs::id.gt(a.to_string()));
    }
    q.order(cs::id.asc())
        .limit(limit)
        .select(CountSession::as_select())
        .load(conn)
}

/// Value of each item in a warehouse (money ×10^4), for ABC classes.
pub fn values_in(
    conn: &mut DbConnection,
    warehouse_id: WarehouseId,
) -> QueryResult<Vec<(ItemId, i64)>> {
    sv::table
        .filter(sv::warehouse_id.eq(warehouse_id))
        .select((sv::item_id, sv::value))
        .load(conn)
}
