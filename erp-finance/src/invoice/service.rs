//! Invoices, bills and their notes through their life: drafted and checked, posted (entry,
//! number, and a note's settlement of the document it corrects, in one transaction),
//! cancelled by a reversal while nothing settles them, deleted while drafts. Drafting and
//! checking a document is in `draft.rs`, reading them in `read.rs`.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, now, write_tx, write_tx_retrying, DbConnection};
use erp_core::error::AppError;
use erp_core::money::Money;

use super::dto::*;
use super::model::InvoiceRow;
use super::posting::{kind_label, post_document};
use super::repo::{self};
use crate::allocation::dto::AllocationInput;
use crate::allocation::service::{self as allocation, Source, SourceKind};
use crate::error::FinanceError;
use crate::ids::InvoiceId;

pub(super) const ENTITY: &str = "fin_invoice";
pub const READ: &str = "finance.invoice.read";
pub const WRITE: &str = "finance.invoice.write";
pub const POST: &str = "finance.invoice.post";
pub const APPROVE: &str = "finance.invoice.approve";

use super::draft::build;
pub use super::read::*;

/// Posts the document's entry and takes its number; a note then settles the document it
/// corrects by as much as both have open.
pub(super) fn post_rows(
    conn: &mut DbConnection,
    actor: &Actor,
    d: &mut Loaded,
) -> Result<(), AppError> {
    let row = &mut d.row;
    let kind: InvoiceKind = enum_from_db(&row.kind)?;
    let (entry, total_company) =
        post_document(conn, actor, kind, row, &d.lines, &d.line_taxes, &d.taxes)?;
    row.total_company = total_company;
    row.open_company = total_company;
    row.number = entry.number.clone();
    row.entry_id = Some(entry.id);
    row.status = InvoiceStatus::Posted;
    row.updated_at = now();
    Ok(())
}

/// After a note is stored as posted: it settles the document it corrects.
pub(super) fn settle_corrected(
    conn: &mut DbConnection,
    actor: &Actor,
    note: &InvoiceRow,
) -> Result<(), AppError> {
    let Some(corrects) = note.corrects_id else {
        return Ok(());
    };
    let kind: InvoiceKind = enum_from_db(&note.kind)?;
    let target =
        repo::find(conn, note.company_id, corrects)?.ok_or(AppError::NotFound("invoice"))?;
    if target.status != InvoiceStatus::Posted {
        return Err(AppError::field(
            "corrects_id",
            "the corrected document is not posted",
        ));
    }
    let amount = note.total.min(target.open_amount);
    if amount == 0 {
        return Ok(());
    }
    let source = Source {
        kind: SourceKind::Note,
        id: note.id.into(),
        partner_id: note.partner_id,
        customer: kind.is_customer(),
        label: format!(
            "{} {}",
            kind_label(kind),
            note.number.as_deref().unwrap_or_default()
        ),
        currency: &note.currency,
        exchange_rate: note.exchange_rate,
    };
    allocation::allocate(
        conn,
        actor,
        &source,
        &AllocationInput {
            invoice_id: target.id,
            amount: Money::from_scaled(amount),
            discount: None,
            write_off: None,
        },
        "corrects_id",
        note.invoice_date.max(target.invoice_date),
    )?;
    Ok(())
}

pub fn create_invoice(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateInvoiceRequest,
) -> Result<InvoiceResponse, AppError> {
    actor.require(WRITE)?;
    if req.post {
        actor.require(POST)?;
    }
    write_tx(conn, |conn| {
        let mut d = build(conn, actor, &req)?;
        // The row goes in first: the entry refers to it, and a note's settlement reads it.
        repo::insert(conn, &d.row, &d.lines, &d.line_taxes)?;
        if req.post && d.row.hold_reason.is_none() {
            let version = d.row.version;
            post_rows(conn, actor, &mut d)?;
            d.row.version += 1;
            if !repo::mark_posted(conn, &d.row, version)? {
                return Err(AppError::Contended);
            }
            settle_corrected(conn, actor, &d.row)?;
        }
        let out = respond(conn, actor, d.row.id)?;
        audit::record(conn, actor, ENTITY, d.row.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// Posts a draft. Of two concurrent posts one waits and then finds it posted (409).
pub fn post_invoice(
    conn: &mut DbConnection,
    actor: &Actor,
    id: InvoiceId,
) -> Result<InvoiceResponse, AppError> {
    actor.require(POST)?;
    write_tx_retrying(conn, |conn| {
        let mut d = load(conn, actor, id)?;
        if d.row.status != InvoiceStatus::Draft {
            return Err(AppError::InvalidState {
                entity: "invoice",
                action: "post",
                current: d.row.status.to_string(),
            });
        }
        if let (Some(reason), None) = (&d.row.hold_reason, d.row.released_at) {
            return Err(FinanceError::Held(reason.clone()).into());
        }
        let version = d.row.version;
        post_rows(conn, actor, &mut d)?;
        let row = &mut d.row;
        row.version += 1;
        if !repo::mark_posted(conn, row, version)? {
            return Err(AppError::Contended);
        }
        settle_corrected(conn, actor, row)?;
        let out = respond(conn, actor, row.id)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            row.id,
            Change::Action("post", Some(&out)),
        )?;
        Ok(out)
    })
}

/// Cancels a posted document that nothing settles: its entry is reversed (dated `date`, by
/// default the document's), and it leaves the open items.
pub fn cancel_invoice(
    conn: &mut DbConnection,
    actor: &Actor,
    id: InvoiceId,
    req: CancelInvoiceRequest,
) -> Result<InvoiceResponse, AppError> {
    actor.require(POST)?;
    write_tx_retrying(conn, |conn| {
        let Loaded {
            mut row,
            allocations,
            ..
        } = load(conn, actor, id)?;
        if row.status != InvoiceStatus::Posted {
            return Err(AppError::InvalidState {
                entity: "invoice",
                action: "cancel",
                current: row.status.to_string(),
            });
        }
        let date = req.date.unwrap_or(row.invoice_date);
        if date < row.invoice_date {
            return Err(AppError::field(
                "date",
                "must not be before the document's date",
            ));
        }
        if allocations.iter().any(|a| a.undone_on.is_none()) || row.open_amount != row.total {
            return Err(FinanceError::Settled(row.number.clone().unwrap_or_default()).into());
        }
        let reversal = crate::entry::service::reverse_document(
            conn,
            actor,
            row.entry_id,
            date,
            row.number.as_deref(),
        )?;
        row.cancel_entry_id = Some(reversal.id);
        row.cancelled_on = Some(date);
        row.updated_at = now();
        if !repo::mark_cancelled(conn, &row)? {
            return Err(AppError::Contended);
        }
        let out = respond(conn, actor, row.id)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            row.id,
            Change::Action("cancel", Some(&out)),
        )?;
        Ok(out)
    })
}

/// Releases a held draft: it may be posted from now on.
pub fn release_invoice(
    conn: &mut DbConnection,
    actor: &Actor,
    id: InvoiceId,
) -> Result<InvoiceResponse, AppError> {
    actor.require(APPROVE)?;
    write_tx(conn, |conn| {
        let Loaded { mut row, .. } = load(conn, actor, id)?;
        if row.status != InvoiceStatus::Draft
            || row.hold_reason.is_none()
            || row.released_at.is_some()
        {
            return Err(AppError::InvalidState {
                entity: "invoice",
                action: "release",
                current: if row.status == InvoiceStatus::Draft {
                    "not held".into()
                } else {
                    row.status.to_string()
                },
            });
        }
        let at = now();
        row.released_by = Some(actor.user_id);
        row.released_at = Some(at);
        row.updated_at = at;
        if !repo::mark_released(conn, &row)? {
            return Err(AppError::Contended);
        }
        let out = respond(conn, actor, row.id)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            row.id,
            Change::Action("release", Some(&out)),
        )?;
        Ok(out)
    })
}

/// Deletes a draft; posted documents are cancelled instead.
pub fn delete_invoice(
    conn: &mut DbConnection,
    actor: &Actor,
    id: InvoiceId,
) -> Result<(), AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let currency = crate::entry::service::company_currency(conn, actor.company_id)?;
        let d = load(conn, actor, id)?;
        let before = to_response(&d, &currency)?;
        if !repo::delete_draft(conn, d.row.id)? {
            return Err(AppError::InvalidState {
                entity: "invoice",
                action: "delete",
                current: d.row.status.to_string(),
            });
        }
        audit::record(conn, actor, ENTITY, d.row.id, Change::Deleted(&before))?;
        Ok(())
    })
}
