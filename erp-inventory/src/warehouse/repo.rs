use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{locations, warehouses};
use erp_core::db::DbConnection;
use erp_core::ids::{BranchId, CompanyId};

use super::dto::LocationKind;
use crate::ids::{LocationId, WarehouseId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = warehouses)]
pub struct Warehouse {
    pub id: WarehouseId,
    pub company_id: CompanyId,
    pub branch_id: BranchId,
    pub code: String,
    pub name: String,
    pub allow_negative: bool,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = locations)]
pub struct Location {
    pub id: LocationId,
    pub warehouse_id: WarehouseId,
    pub parent_id: Option<LocationId>,
    pub code: String,
    pub name: String,
    pub kind: LocationKind,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

impl Location {
    /// Stock here counts as the warehouse's value (scrap does not).
    pub fn is_valued(&self) -> bool {
        self.kind != LocationKind::Scrap
    }

    /// Stock here can be reserved and issued (not scrap, not in transit).
    pub fn is_available(&self) -> bool {
        matches!(self.kind, LocationKind::Storage | LocationKind::Receiving)
    }
}

pub fn find(
    conn: &mut DbConnection,
    id: WarehouseId,
    company_id: CompanyId,
) -> QueryResult<Option<Warehouse>> {
    warehouses::table
        .find(id)
        .filter(warehouses::company_id.eq(company_id))
        .select(Warehouse::as_select())
        .first(conn)
        .optional()
}

pub fn code_taken(conn: &mut DbConnection, company_id: CompanyId, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        warehouses::table
            .filter(warehouses::company_id.eq(company_id))
            .filter(warehouses::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, w: &Warehouse) -> QueryResult<()> {
    diesel::insert_into(warehouses::table)
        .values(w)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(
    conn: &mut DbConnection,
    w: &Warehouse,
    expected: i64,
) -> QueryResult<bool> {
    let n = diesel::update(
        warehouses::table
            .filter(warehouses::id.eq(&w.id))
            .filter(warehouses::version.eq(expected)),
    )
    .set((
        warehouses::name.eq(&w.name),
        warehouses::allow_negative.eq(w.allow_negative),
        warehouses::active.eq(w.active),
        warehouses::version.eq(w.version),
        warehouses::updated_at.eq(w.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Warehouses of the company, optionally only those of some branches.
pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    branches: Option<&[BranchId]>,
) -> QueryResult<Vec<Warehouse>> {
    let mut q = warehouses::table
        .filter(warehouses::company_id.eq(company_id))
        .into_boxed();
    if let Some(b) = branches {
        q = q.filter(warehouses::branch_id.eq_any(b.to_vec()));
    }
    q.order(warehouses::code)
        .select(Warehouse::as_select())
        .load(conn)
}

pub fn find_location(conn: &mut DbConnection, id: LocationId) -> QueryResult<Option<Location>> {
    locations::table
        .find(id)
        .select(Location::as_select())
        .first(conn)
        .optional()
}

/// A location with its warehouse, when the warehouse is the company's: one query.
pub fn find_location_in(
    conn: &mut DbConnection,
    id: LocationId,
    company_id: CompanyId,
) -> QueryResult<Option<(Location, Warehouse)>> {
    locations::table
        .inner_join(warehouses::table.on(warehouses::id.eq(locations::warehouse_id)))
        .filter(locations::id.eq(id))
        .filter(warehouses::company_id.eq(company_id))
        .select((Location::as_select(), Warehouse::as_select()))
        .first(conn)
        .optional()
}

pub fn location_code_taken(
    conn: &mut DbConnection,
    warehouse_id: WarehouseId,
    code: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        locations::table
            .filter(locations::warehouse_id.eq(warehouse_id))
            .filter(locations::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert_location(conn: &mut DbConnection, l: &Location) -> QueryResult<()> {
    diesel::insert_into(locations::table)
        .values(l)
        .execute(conn)
        .map(|_| ())
}

pub fn locations_of(
    conn: &mut DbConnection,
    warehouse_id: WarehouseId,
) -> QueryResult<Vec<Location>> {
    locations::table
        .filter(locations::warehouse_id.eq(warehouse_id))
        .order(locations::code)
        .select(Location::as_select())
        .load(conn)
}

/// The warehouse's first location of a kind (its scrap, transit or receiving location).
pub fn special_location(
    conn: &mut DbConnection,
    warehouse_id: WarehouseId,
    kind: LocationKind,
) -> QueryResult<Option<Location>> {
    locations::table
        .filter(locations::warehouse_id.eq(warehouse_id))
        .filter(locations::kind.eq(kind))
        .order(locations::created_at)
        .select(Location::as_select())
        .first(conn)
        .optional()
}
