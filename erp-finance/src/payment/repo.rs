use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::fin_payments as p;
use erp_core::db::DbConnection;
use erp_core::ids::BranchId;
use erp_core::ids::{CompanyId, PartnerId};
use erp_core::pagination::PageRequest;

use super::model::PaymentRow;
use crate::ids::PaymentId;
use crate::payment::dto::PaymentStatus;

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: PaymentId,
) -> QueryResult<Option<PaymentRow>> {
    p::table
        .find(id)
        .filter(p::company_id.eq(company_id))
        .select(PaymentRow::as_select())
        .first(conn)
        .optional()
}

erp_core::insert_rows!(insert_many, p::table, PaymentRow);

pub fn exists(conn: &mut DbConnection, id: PaymentId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(p::table.find(id))).get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &PaymentRow) -> QueryResult<()> {
    diesel::insert_into(p::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

#[derive(Default)]
pub struct PaymentFilter {
    pub kind: Option<String>,
    pub partner_id: Option<PartnerId>,
    /// Only payments with money not yet allocated.
    pub unallocated: Option<bool>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub branches: Option<Vec<BranchId>>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &PaymentFilter,
    page: &PageRequest,
) -> QueryResult<Vec<PaymentRow>> {
    let mut q = p::table.filter(p::company_id.eq(company_id)).into_boxed();
    if let Some(k) = &f.kind {
        q = q.filter(p::kind.eq(k.clone()));
    }
    if let Some(x) = f.partner_id {
        q = q.filter(p::partner_id.eq(x));
    }
    match f.unallocated {
        Some(true) => q = q.filter(p::unallocated.gt(0)),
        Some(false) => q = q.filter(p::unallocated.eq(0)),
        None => {}
    }
    if let Some(d) = f.from {
        q = q.filter(p::payment_date.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(p::payment_date.le(d));
    }
    if let Some(b) = &f.branches {
        q = q.filter(p::branch_id.eq_any(b.clone()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(p::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(p::id.gt(after.clone()));
    }
    q.order(p::id.asc())
        .limit(page.fetch_limit())
        .select(PaymentRow::as_select())
        .load(conn)
}

/// Posted payments of some kinds dated on or before `at`, for the aging and statements.
pub fn posted_until(
    conn: &mut DbConnection,
    company_id: CompanyId,
    kind: &str,
    at: NaiveDate,
    partner_id: Option<PartnerId>,
) -> QueryResult<Vec<PaymentRow>> {
    let mut q = p::table
        .filter(p::company_id.eq(company_id))
        .filter(p::kind.eq(kind))
        .filter(
            p::status
                .eq(PaymentStatus::Posted)
                .or(p::cancelled_on.gt(at)),
        )
        .filter(p::payment_date.le(at))
        .into_boxed();
    if let Some(x) = partner_id {
        q = q.filter(p::partner_id.eq(x.to_string()));
    }
    q.order((p::payment_date.asc(), p::id.asc()))
        .select(PaymentRow::as_select())
        .load(conn)
}

/// Cancels a posted payment that no bank line accounts for.
pub fn mark_cancelled(conn: &mut DbConnection, row: &PaymentRow) -> QueryResult<bool> {
    diesel::update(
        p::table
            .filter(p::id.eq(&row.id))
            .filter(p::status.eq(PaymentStatus::Posted))
            .filter(p::reconciled.eq(0i64)),
    )
    .set((
        p::status.eq(PaymentStatus::Cancelled),
        p::unallocated.eq(0i64),
        p::cancelled_on.eq(row.cancelled_on),
        p::cancel_entry_id.eq(&row.cancel_entry_id),
        p::version.eq(p::version + 1),
        p::updated_at.eq(erp_core::db::now()),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// A partner's payments of a kind cancelled on or before `to`, for statements.
pub fn cancelled_until(
    conn: &mut DbConnection,
    company_id: CompanyId,
    kind: &str,
    to: NaiveDate,
    partner_id: PartnerId,
) -> QueryResult<Vec<PaymentRow>> {
    p::table
        .filter(p::company_id.eq(company_id))
        .filter(p::kind.eq(kind))
        .filter(p::partner_id.eq(partner_id))
        .filter(p::cancelled_on.le(to))
        .select(PaymentRow::as_select())
        .load(conn)
}
