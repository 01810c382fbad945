use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::fin_allocations as al;
use erp_core::db::DbConnection;

use super::model::AllocationRow;

pub fn insert(conn: &mut DbConnection, row: &AllocationRow) -> QueryResult<()> {
    diesel::insert_into(al::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Allocations that settle any of `ids` or that any of them (as notes) make.
pub fn of_invoices(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<AllocationRow>> {
    al::table
        .filter(
            al::invoice_id
                .eq_any(ids)
                .or(al::credit_note_id.eq_any(ids)),
        )
        .order(al::id.asc())
        .select(AllocationRow::as_select())
        .load(conn)
}

pub fn of_payments(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<AllocationRow>> {
    al::table
        .filter(al::payment_id.eq_any(ids))
        .order(al::id.asc())
        .select(AllocationRow::as_select())
        .load(conn)
}

/// Discounts already granted on an invoice.
pub fn discounts_of(conn: &mut DbConnection, invoice_id: &str) -> QueryResult<i64> {
    al::table
        .filter(al::invoice_id.eq(invoice_id))
        .select(al::discount)
        .load::<i64>(conn)
        .map(|v| v.iter().sum())
}

/// Every allocation of the company dated on or before `at`, for the aging.
pub fn until(
    conn: &mut DbConnection,
    company_id: &str,
    at: NaiveDate,
) -> QueryResult<Vec<AllocationRow>> {
    al::table
        .filter(al::company_id.eq(company_id))
        .filter(al::allocated_on.le(at))
        .select(AllocationRow::as_select())
        .load(conn)
}
