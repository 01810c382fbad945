use diesel::prelude::*;

use super::model::Branch;
use crate::db::schema::branches;
use crate::db::DbConnection;
use crate::ids::{BranchId, CompanyId};
use crate::pagination::PageRequest;

pub fn find(
    conn: &mut DbConnection,
    id: BranchId,
    company_id: CompanyId,
) -> QueryResult<Option<Branch>> {
    branches::table
        .find(id)
        .filter(branches::company_id.eq(company_id))
        .select(Branch::as_select())
        .first(conn)
        .optional()
}

pub fn exists_in_company(
    conn: &mut DbConnection,
    id: BranchId,
    company_id: CompanyId,
) -> QueryResult<bool> {
    find(conn, id, company_id).map(|b| b.is_some())
}

pub fn code_taken(conn: &mut DbConnection, company_id: CompanyId, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        branches::table
            .filter(branches::company_id.eq(company_id))
            .filter(branches::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, b: &Branch) -> QueryResult<()> {
    diesel::insert_into(branches::table)
        .values(b)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(conn: &mut DbConnection, b: &Branch, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(
        branches::table
            .filter(branches::id.eq(&b.id))
            .filter(branches::version.eq(expected)),
    )
    .set((
        branches::name.eq(&b.name),
        branches::currency.eq(&b.currency),
        branches::time_zone.eq(&b.time_zone),
        branches::address_line1.eq(&b.address_line1),
        branches::address_line2.eq(&b.address_line2),
        branches::city.eq(&b.city),
        branches::region.eq(&b.region),
        branches::postal_code.eq(&b.postal_code),
        branches::country.eq(&b.country),
        branches::active.eq(b.active),
        branches::version.eq(b.version),
        branches::updated_at.eq(b.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Branches of a company; `only` narrows to a set of ids (the actor's allowed branches).
pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    only: Option<&[BranchId]>,
    page: &PageRequest,
) -> QueryResult<Vec<Branch>> {
    let mut q = branches::table
        .filter(branches::company_id.eq(company_id))
        .into_boxed();
    if let Some(ids) = only {
        q = q.filter(branches::id.eq_any(ids.to_vec()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(branches::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(branches::id.gt(after.clone()));
    }
    q.order(branches::id.asc())
        .limit(page.fetch_limit())
        .select(Branch::as_select())
        .load(conn)
}

/// Each branch of the company with its time zone's name.
pub fn time_zones(
    conn: &mut DbConnection,
    company_id: crate::ids::CompanyId,
) -> QueryResult<Vec<(crate::ids::BranchId, String)>> {
    branches::table
        .filter(branches::company_id.eq(company_id))
        .select((branches::id, branches::time_zone))
        .load(conn)
}
