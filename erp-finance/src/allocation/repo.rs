use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::fin_allocations as al;
use erp_core::db::schema::{fin_invoices as i, fin_payments as p};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;

use super::model::{AllocationRow, OpenDocument};
use crate::ids::{AllocationId, InvoiceId, PaymentId};
use crate::states::{InvoiceStatus, PaymentStatus};

pub fn insert(conn: &mut DbConnection, row: &AllocationRow) -> QueryResult<()> {
    diesel::insert_into(al::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Allocations that settle any of `ids` or that any of them (as notes) make.
pub fn of_invoices(conn: &mut DbConnection, ids: &[InvoiceId]) -> QueryResult<Vec<AllocationRow>> {
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

pub fn of_payments(conn: &mut DbConnection, ids: &[PaymentId]) -> QueryResult<Vec<AllocationRow>> {
    al::table
        .filter(al::payment_id.eq_any(ids))
        .order(al::id.asc())
        .select(AllocationRow::as_select())
        .load(conn)
}

/// Discounts already granted on an invoice (by allocations still standing).
pub fn discounts_of(conn: &mut DbConnection, invoice_id: InvoiceId) -> QueryResult<i64> {
    al::table
        .filter(al::invoice_id.eq(invoice_id))
        .filter(al::undone_on.is_null())
        .select(al::discount)
        .load::<i64>(conn)
        .map(|v| v.iter().sum())
}

/// Every allocation of the company dated on or before `at`, for the aging.
pub fn until(
    conn: &mut DbConnection,
    company_id: CompanyId,
    at: NaiveDate,
) -> QueryResult<Vec<AllocationRow>> {
    al::table
        .filter(al::company_id.eq(company_id))
        .filter(al::allocated_on.le(at))
        .filter(al::undone_on.is_null().or(al::undone_on.gt(at)))
        .select(AllocationRow::as_select())
        .load(conn)
}

/// The allocations up to `at` that settle these documents (one partner's: every allocation
/// settles a document of the partner its payment or note is from).
pub fn until_for(
    conn: &mut DbConnection,
    company_id: CompanyId,
    at: NaiveDate,
    invoice_ids: &[InvoiceId],
) -> QueryResult<Vec<AllocationRow>> {
    let mut out = Vec::new();
    for chunk in invoice_ids.chunks(1000) {
        out.extend(
            al::table
                .filter(al::company_id.eq(company_id))
                .filter(al::allocated_on.le(at))
                .filter(al::undone_on.is_null().or(al::undone_on.gt(at)))
                .filter(al::invoice_id.eq_any(chunk))
                .select(AllocationRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// Undoes an allocation on `date` (once).
pub fn undo(conn: &mut DbConnection, id: AllocationId, date: NaiveDate) -> QueryResult<bool> {
    diesel::update(
        al::table
            .filter(al::id.eq(id))
            .filter(al::undone_on.is_null()),
    )
    .set(al::undone_on.eq(date))
    .execute(conn)
    .map(|n| n == 1)
}

/// Allocations of these documents undone on or before `to`, for statements.
pub fn undone_until(
    conn: &mut DbConnection,
    invoice_ids: &[InvoiceId],
    to: NaiveDate,
) -> QueryResult<Vec<AllocationRow>> {
    let mut out = Vec::new();
    for chunk in invoice_ids.chunks(1000) {
        out.extend(
            al::table
                .filter(al::invoice_id.eq_any(chunk))
                .filter(al::undone_on.le(to))
                .select(AllocationRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// The invoice, bill or note `id` of the company, as an allocation settles it.
pub fn document(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: InvoiceId,
) -> QueryResult<Option<OpenDocument>> {
    i::table
        .find(id)
        .filter(i::company_id.eq(company_id))
        .select(OpenDocument::as_select())
        .first(conn)
        .optional()
}

/// Takes `amount` off a posted document's open amount and `company` off its open value in
/// company currency, only while that much is open: false when a concurrent allocation took
/// it (or the document is no longer posted).
pub fn settle(
    conn: &mut DbConnection,
    id: InvoiceId,
    amount: i64,
    company: i64,
) -> QueryResult<bool> {
    diesel::update(
        i::table
            .filter(i::id.eq(id))
            .filter(i::status.eq(InvoiceStatus::Posted))
            .filter(i::open_amount.ge(amount)),
    )
    .set((
        i::open_amount.eq(i::open_amount - amount),
        i::open_company.eq(i::open_company - company),
        i::version.eq(i::version + 1),
        i::updated_at.eq(erp_core::db::now()),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Gives `amount` back to a posted document's open amount (an allocation undone), guarded so
/// the open amount never exceeds the total.
pub fn reopen(
    conn: &mut DbConnection,
    id: InvoiceId,
    amount: i64,
    company: i64,
) -> QueryResult<bool> {
    diesel::update(
        i::table
            .filter(i::id.eq(id))
            .filter(i::status.eq(InvoiceStatus::Posted))
            .filter(i::open_amount.le(i::total - amount)),
    )
    .set((
        i::open_amount.eq(i::open_amount + amount),
        i::open_company.eq(i::open_company + company),
        i::version.eq(i::version + 1),
        i::updated_at.eq(erp_core::db::now()),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// What is left to allocate of a payment: in its currency and in company currency (×10⁴).
pub fn unallocated(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: PaymentId,
) -> QueryResult<Option<(i64, i64)>> {
    p::table
        .find(id)
        .filter(p::company_id.eq(company_id))
        .select((p::unallocated, p::unallocated_company))
        .first(conn)
        .optional()
}

/// Takes `amount` off a posted payment's unallocated amount and `company` off its value in
/// company currency, only while that much is unallocated.
pub fn take_unallocated(
    conn: &mut DbConnection,
    id: PaymentId,
    amount: i64,
    company: i64,
) -> QueryResult<bool> {
    diesel::update(
        p::table
            .filter(p::id.eq(id))
            .filter(p::status.eq(PaymentStatus::Posted))
            .filter(p::unallocated.ge(amount)),
    )
    .set((
        p::unallocated.eq(p::unallocated - amount),
        p::unallocated_company.eq(p::unallocated_company - company),
        p::version.eq(p::version + 1),
        p::updated_at.eq(erp_core::db::now()),
    ))
    .execute(conn)
    .map(|n| n == 1)
}
