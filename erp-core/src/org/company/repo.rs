use diesel::prelude::*;

use super::model::Company;
use crate::db::schema::companies;
use crate::db::DbConnection;
use crate::ids::CompanyId;
use crate::pagination::PageRequest;

pub fn find(conn: &mut DbConnection, id: CompanyId) -> QueryResult<Option<Company>> {
    companies::table
        .find(id)
        .select(Company::as_select())
        .first(conn)
        .optional()
}

pub fn code_taken(conn: &mut DbConnection, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        companies::table.filter(companies::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, c: &Company) -> QueryResult<()> {
    diesel::insert_into(companies::table)
        .values(c)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(conn: &mut DbConnection, c: &Company, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(
        companies::table
            .filter(companies::id.eq(&c.id))
            .filter(companies::version.eq(expected)),
    )
    .set((
        companies::name.eq(&c.name),
        companies::currency.eq(&c.currency),
        companies::time_zone.eq(&c.time_zone),
        companies::address_line1.eq(&c.address_line1),
        companies::address_line2.eq(&c.address_line2),
        companies::city.eq(&c.city),
        companies::region.eq(&c.region),
        companies::postal_code.eq(&c.postal_code),
        companies::country.eq(&c.country),
        companies::tax_id.eq(&c.tax_id),
        companies::active.eq(c.active),
        companies::stock_backdate_days.eq(c.stock_backdate_days),
        companies::version.eq(c.version),
        companies::updated_at.eq(c.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// All companies, or only `only` when given.
pub fn list(
    conn: &mut DbConnection,
    only: Option<&str>,
    page: &PageRequest,
) -> QueryResult<Vec<Company>> {
    let mut q = companies::table.into_boxed();
    if let Some(id) = only {
        q = q.filter(companies::id.eq(id.to_string()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(companies::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(companies::id.gt(after.clone()));
    }
    q.order(companies::id.asc())
        .limit(page.fetch_limit())
        .select(Company::as_select())
        .load(conn)
}
