use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::{item_categories as ic, uom_conversions as uc, uoms};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;

use crate::ids::{ItemCategoryId, UomId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = uoms)]
pub struct Uom {
    pub id: UomId,
    pub company_id: CompanyId,
    pub code: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ic)]
pub struct Category {
    pub id: ItemCategoryId,
    pub company_id: CompanyId,
    pub parent_id: Option<ItemCategoryId>,
    pub code: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConnection, id: UomId, company_id: CompanyId) -> QueryResult<Option<Uom>> {
    uoms::table
        .find(id)
        .filter(uoms::company_id.eq(company_id))
        .select(Uom::as_select())
        .first(conn)
        .optional()
}

pub fn code_taken(conn: &mut DbConnection, company_id: CompanyId, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        uoms::table
            .filter(uoms::company_id.eq(company_id))
            .filter(uoms::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, u: &Uom) -> QueryResult<()> {
    diesel::insert_into(uoms::table)
        .values(u)
        .execute(conn)
        .map(|_| ())
}

pub fn list(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<Uom>> {
    uoms::table
        .filter(uoms::company_id.eq(company_id))
        .order(uoms::code)
        .select(Uom::as_select())
        .load(conn)
}

/// The factor of a global conversion `from` -> `to`, scaled by 10^9.
pub fn conversion(conn: &mut DbConnection, from: UomId, to: UomId) -> QueryResult<Option<i64>> {
    uc::table
        .find((from, to))
        .select(uc::factor_e9)
        .first(conn)
        .optional()
}

pub fn set_conversion(
    conn: &mut DbConnection,
    from: UomId,
    to: UomId,
    factor_e9: i64,
) -> QueryResult<()> {
    diesel::delete(uc::table.find((from, to))).execute(conn)?;
    diesel::insert_into(uc::table)
        .values((
            uc::from_uom_id.eq(from),
            uc::to_uom_id.eq(to),
            uc::factor_e9.eq(factor_e9),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn conversions(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(UomId, UomId, i64)>> {
    uc::table
        .inner_join(uoms::table.on(uoms::id.eq(uc::from_uom_id)))
        .filter(uoms::company_id.eq(company_id))
        .select((uc::from_uom_id, uc::to_uom_id, uc::factor_e9))
        .load(conn)
}

pub fn find_category(
    conn: &mut DbConnection,
    id: ItemCategoryId,
    company_id: CompanyId,
) -> QueryResult<Option<Category>> {
    ic::table
        .find(id)
        .filter(ic::company_id.eq(company_id))
        .select(Category::as_select())
        .first(conn)
        .optional()
}

pub fn category_code_taken(
    conn: &mut DbConnection,
    company_id: CompanyId,
    code: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        ic::table
            .filter(ic::company_id.eq(company_id))
            .filter(ic::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert_category(conn: &mut DbConnection, c: &Category) -> QueryResult<()> {
    diesel::insert_into(ic::table)
        .values(c)
        .execute(conn)
        .map(|_| ())
}

pub fn categories(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<Category>> {
    ic::table
        .filter(ic::company_id.eq(company_id))
        .order(ic::code)
        .select(Category::as_select())
        .load(conn)
}
