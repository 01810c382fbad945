use chrono::NaiveDate;
use diesel::prelude::*;
use erp_core::db::schema::{
    fin_invoice_line_taxes as lt, fin_invoice_lines as l, fin_invoices as i,
};
use erp_core::db::DbConnection;
use erp_core::ids::BranchId;
use erp_core::ids::{CompanyId, PartnerId};
use erp_core::pagination::PageRequest;

use super::model::{InvoiceLineRow, InvoiceLineTaxRow, InvoiceRow};
use crate::ids::InvoiceId;
use crate::invoice::dto::InvoiceStatus;

pub fn find(
    conn: &mut DbConnection,
    company_id: CompanyId,
    id: InvoiceId,
) -> QueryResult<Option<InvoiceRow>> {
    i::table
        .find(id)
        .filter(i::company_id.eq(company_id))
        .select(InvoiceRow::as_select())
        .first(conn)
        .optional()
}

/// Of these documents, the ids and numbers of those that still stand: drafts and posted ones
/// (cancelled and deleted ones do not).
pub fn standing(
    conn: &mut DbConnection,
    ids: &[InvoiceId],
) -> QueryResult<Vec<(InvoiceId, Option<String>, String)>> {
    i::table
        .filter(i::id.eq_any(ids))
        .filter(i::status.ne(InvoiceStatus::Cancelled))
        // Ids are UUIDv7: in id order is in the order they were made.
        .order(i::id)
        .select((i::id, i::number, i::status))
        .load(conn)
}

/// Posted documents of a kind with something left to settle, by partner and due date.
pub fn open_of_kind(
    conn: &mut DbConnection,
    company_id: CompanyId,
    kind: &str,
) -> QueryResult<Vec<InvoiceRow>> {
    i::table
        .filter(i::company_id.eq(company_id))
        .filter(i::kind.eq(kind))
        .filter(i::status.eq(InvoiceStatus::Posted))
        .filter(i::open_amount.gt(0))
        .order((i::partner_id, i::due_date, i::id))
        .select(InvoiceRow::as_select())
        .load(conn)
}

pub fn exists(conn: &mut DbConnection, id: InvoiceId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(i::table.find(id))).get_result(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    row: &InvoiceRow,
    lines: &[InvoiceLineRow],
    line_taxes: &[InvoiceLineTaxRow],
) -> QueryResult<()> {
    diesel::insert_into(i::table).values(row).execute(conn)?;
    // One row at a time: batch inserts do not compile through the MultiConnection backend.
    for line in lines {
        diesel::insert_into(l::table).values(line).execute(conn)?;
    }
    for t in line_taxes {
        diesel::insert_into(lt::table).values(t).execute(conn)?;
    }
    Ok(())
}

/// The taxes of these documents' lines, by document, line and place.
pub fn line_taxes_of(
    conn: &mut DbConnection,
    invoice_ids: &[InvoiceId],
) -> QueryResult<Vec<InvoiceLineTaxRow>> {
    lt::table
        .filter(lt::invoice_id.eq_any(invoice_ids))
        .order((lt::invoice_id.asc(), lt::line_no.asc(), lt::seq.asc()))
        .select(InvoiceLineTaxRow::as_select())
        .load(conn)
}

pub fn lines_of(
    conn: &mut DbConnection,
    invoice_ids: &[InvoiceId],
) -> QueryResult<Vec<InvoiceLineRow>> {
    l::table
        .filter(l::invoice_id.eq_any(invoice_ids))
        .order((l::invoice_id.asc(), l::line_no.asc()))
        .select(InvoiceLineRow::as_select())
        .load(conn)
}

/// Writes the posting of a draft still at `version`: number, entry, status. False when
/// another transaction posted or changed it first.
pub fn mark_posted(conn: &mut DbConnection, row: &InvoiceRow, version: i64) -> QueryResult<bool> {
    diesel::update(
        i::table
            .filter(i::id.eq(&row.id))
            .filter(i::status.eq(InvoiceStatus::Draft))
            .filter(i::version.eq(version)),
    )
    .set((
        i::status.eq(InvoiceStatus::Posted),
        i::number.eq(&row.number),
        i::entry_id.eq(&row.entry_id),
        i::total_company.eq(row.total_company),
        i::open_company.eq(row.open_company),
        i::version.eq(row.version),
        i::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Releases a held draft (once).
pub fn mark_released(conn: &mut DbConnection, row: &InvoiceRow) -> QueryResult<bool> {
    diesel::update(
        i::table
            .filter(i::id.eq(&row.id))
            .filter(i::status.eq(InvoiceStatus::Draft))
            .filter(i::hold_reason.is_not_null())
            .filter(i::released_at.is_null()),
    )
    .set((
        i::released_by.eq(&row.released_by),
        i::released_at.eq(row.released_at),
        i::version.eq(i::version + 1),
        i::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Cancels a posted document that nothing has settled (its open amount is still its total).
pub fn mark_cancelled(conn: &mut DbConnection, row: &InvoiceRow) -> QueryResult<bool> {
    diesel::update(
        i::table
            .filter(i::id.eq(&row.id))
            .filter(i::status.eq(InvoiceStatus::Posted))
            .filter(i::open_amount.eq(i::total)),
    )
    .set((
        i::status.eq(InvoiceStatus::Cancelled),
        i::open_amount.eq(0i64),
        i::cancel_entry_id.eq(&row.cancel_entry_id),
        i::cancelled_on.eq(row.cancelled_on),
        i::version.eq(i::version + 1),
        i::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn delete_draft(conn: &mut DbConnection, id: InvoiceId) -> QueryResult<bool> {
    diesel::delete(
        i::table
            .filter(i::id.eq(id))
            .filter(i::status.eq(InvoiceStatus::Draft)),
    )
    .execute(conn)
    .map(|n| n == 1)
}

#[derive(Default)]
pub struct InvoiceFilter {
    pub kinds: Vec<String>,
    pub status: Option<InvoiceStatus>,
    pub partner_id: Option<PartnerId>,
    pub open: Option<bool>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub due_before: Option<NaiveDate>,
    /// Only documents of these branches, or of none (a branch-limited reader).
    pub branches: Option<Vec<BranchId>>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &InvoiceFilter,
    page: &PageRequest,
) -> QueryResult<Vec<InvoiceRow>> {
    let mut q = i::table.filter(i::company_id.eq(company_id)).into_boxed();
    if !f.kinds.is_empty() {
        q = q.filter(i::kind.eq_any(f.kinds.clone()));
    }
    if let Some(s) = &f.status {
        q = q.filter(i::status.eq(*s));
    }
    if let Some(p) = f.partner_id {
        q = q.filter(i::partner_id.eq(p));
    }
    match f.open {
        Some(true) => {
            q = q
                .filter(i::status.eq(InvoiceStatus::Posted))
                .filter(i::open_amount.gt(0))
        }
        Some(false) => q = q.filter(i::open_amount.eq(0)),
        None => {}
    }
    if let Some(d) = f.from {
        q = q.filter(i::invoice_date.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(i::invoice_date.le(d));
    }
    if let Some(d) = f.due_before {
        q = q.filter(i::due_date.le(d));
    }
    if let Some(b) = &f.branches {
        q = q.filter(i::branch_id.eq_any(b.clone()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(i::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(i::id.gt(after.clone()));
    }
    q.order(i::id.asc())
        .limit(page.fetch_limit())
        .select(InvoiceRow::as_select())
        .load(conn)
}

/// Documents of some kinds dated on or before `at` and not cancelled by then, with what was
/// settled of them by `at` added up elsewhere: the aging's and statement's raw material.
pub fn posted_until(
    conn: &mut DbConnection,
    company_id: CompanyId,
    kinds: &[String],
    at: NaiveDate,
    partner_id: Option<PartnerId>,
) -> QueryResult<Vec<InvoiceRow>> {
    let mut q = i::table
        .filter(i::company_id.eq(company_id))
        .filter(i::kind.eq_any(kinds))
        .filter(i::status.ne(InvoiceStatus::Draft))
        .filter(i::invoice_date.le(at))
        .filter(i::cancelled_on.is_null().or(i::cancelled_on.gt(at)))
        .into_boxed();
    if let Some(p) = partner_id {
        q = q.filter(i::partner_id.eq(p.to_string()));
    }
    q.order((i::invoice_date.asc(), i::id.asc()))
        .select(InvoiceRow::as_select())
        .load(conn)
}

/// A partner's documents of some kinds cancelled on or before `at`.
pub fn cancelled_until(
    conn: &mut DbConnection,
    company_id: CompanyId,
    kinds: &[String],
    at: NaiveDate,
    partner_id: PartnerId,
) -> QueryResult<Vec<InvoiceRow>> {
    i::table
        .filter(i::company_id.eq(company_id))
        .filter(i::kind.eq_any(kinds))
        .filter(i::partner_id.eq(partner_id))
        .filter(i::cancelled_on.le(at))
        .order((i::invoice_date.asc(), i::id.asc()))
        .select(InvoiceRow::as_select())
        .load(conn)
}
