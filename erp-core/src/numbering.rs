//! Human document numbers (`PO-2026-000042`) from per-company series. Two clients never get
//! the same number: the counter is advanced by an atomic update in the document's transaction.

use diesel::prelude::*;

use crate::db::schema::document_sequences as ds;
use crate::db::{update_or_insert, DbConnection, Upserted};

/// The next number of `prefix` in `year` for a company: `PO-2026-000001`, `PO-2026-000002`, ...
pub fn next_number(
    conn: &mut DbConnection,
    company_id: &str,
    prefix: &str,
    year: i32,
) -> QueryResult<String> {
    let series = format!("{prefix}-{year}");
    let bump = |conn: &mut DbConnection| {
        diesel::update(ds::table.find((company_id, &series)))
            .set(ds::next_value.eq(ds::next_value + 1))
            .execute(conn)
    };
    let create = |conn: &mut DbConnection| {
        diesel::insert_into(ds::table)
            .values((
                ds::company_id.eq(company_id),
                ds::series.eq(&series),
                ds::next_value.eq(2i64),
            ))
            .execute(conn)
    };
    if update_or_insert(conn, bump, create)? == Upserted::Inserted {
        return Ok(format!("{series}-{:06}", 1));
    }
    let next: i64 = ds::table
        .find((company_id, &series))
        .select(ds::next_value)
        .first(conn)?;
    Ok(format!("{series}-{:06}", next - 1))
}
