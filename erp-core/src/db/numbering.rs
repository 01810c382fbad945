//! Human document numbers (`PO-2026-000042`) from per-company series. Two clients never get
//! the same number: the counter is advanced by an atomic update in the document's transaction.

use diesel::prelude::*;

use crate::db::schema::document_sequences as ds;
use crate::db::{update_or_insert, DbConnection, Upserted};
use crate::ids::CompanyId;

/// The next number of `prefix` in `year` for a company: `PO-2026-000001`, `PO-2026-000002`, ...
pub fn next_number(
    conn: &mut DbConnection,
    company_id: CompanyId,
    prefix: &str,
    year: i32,
) -> QueryResult<String> {
    let mut numbers = next_numbers(conn, company_id, prefix, year, 1)?;
    Ok(numbers.pop().unwrap_or_default())
}

/// The next `count` numbers of a series in one update of its counter, for a batch of
/// documents (a pay run's payments): the counter row is changed once, not once a document.
pub fn next_numbers(
    conn: &mut DbConnection,
    company_id: CompanyId,
    prefix: &str,
    year: i32,
    count: usize,
) -> QueryResult<Vec<String>> {
    let series = format!("{prefix}-{year}");
    let n = i64::try_from(count).unwrap_or(i64::MAX);
    let bump = |conn: &mut DbConnection| {
        diesel::update(ds::table.find((company_id, &series)))
            .set(ds::next_value.eq(ds::next_value + n))
            .execute(conn)
    };
    let create = |conn: &mut DbConnection| {
        diesel::insert_into(ds::table)
            .values((
                ds::company_id.eq(company_id),
                ds::series.eq(&series),
                ds::next_value.eq(n + 1),
            ))
            .execute(conn)
    };
    let first = if update_or_insert(conn, bump, create)? == Upserted::Inserted {
        1
    } else {
        let next: i64 = ds::table
            .find((company_id, &series))
            .select(ds::next_value)
            .first(conn)?;
        next - n
    };
    Ok((first..first + n)
        .map(|k| format!("{series}-{k:06}"))
        .collect())
}
