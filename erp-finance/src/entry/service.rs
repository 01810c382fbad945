//! Journal entries through their life: built and checked, posted (number, period, balance
//! caches, all in one transaction), reversed, or deleted while still drafts. `record` is the
//! one function the API and every module that posts call, inside their own transaction.
//! Building an entry from its lines and posting it is in `draft.rs`.

use chrono::NaiveDate;
use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, write_tx_retrying, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::filter;
use erp_core::ids::CompanyId;
use erp_core::money::Money;
use erp_core::org::company;
use erp_core::pagination::ListParams;

use super::builder::BuiltLine;
use super::dto::*;
use super::model::{EntryLineRow, EntryRow};
use super::repo::{self, EntryFilter};
use crate::account;
use crate::error::FinanceError;
use crate::ids::{AccountId, EntryId, EntryLineId};

pub use super::draft::*;

pub(super) const ENTITY: &str = "fin_entry";
pub const READ: &str = "finance.entry.read";
pub const WRITE: &str = "finance.entry.write";
pub const POST: &str = "finance.entry.post";

/// Refuses a document of another module in another currency than the company's (422 on
/// `currency`): documents in other currencies wait for currency support.
pub fn require_company_currency(
    conn: &mut DbConnection,
    company_id: CompanyId,
    currency: &str,
    what: &str,
) -> Result<(), AppError> {
    let company = company_currency(conn, company_id)?;
    if currency == company {
        return Ok(());
    }
    Err(AppError::field(
        "currency",
        format!("the {what} is in {currency}; finance documents are in the company's currency, {company}"),
    ))
}

/// Reverses the entry of a document being cancelled (`entry_id` its posted entry), dated
/// `date`, described as the cancellation of `number`.
pub fn reverse_document(
    conn: &mut DbConnection,
    actor: &Actor,
    entry_id: Option<EntryId>,
    date: NaiveDate,
    number: Option<&str>,
) -> Result<EntryResponse, AppError> {
    let entry =
        entry_id.ok_or_else(|| AppError::Internal("a posted document without an entry".into()))?;
    reverse(
        conn,
        actor,
        entry,
        Some(date),
        Some(format!("Cancellation of {}", number.unwrap_or_default())),
    )
}

pub fn company_currency(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> Result<String, AppError> {
    Ok(company::repo::find(conn, company_id)?
        .ok_or(AppError::NotFound("company"))?
        .currency)
}

/// An entry of a batch as `EntryBuilder` made it: id, text, reference and signed amounts.
pub(crate) type BuiltEntry = (EntryId, String, (&'static str, String), Vec<BuiltLine>);

pub(super) fn to_response(
    row: &EntryRow,
    lines: &[(EntryLineRow, String)],
) -> Result<EntryResponse, AppError> {
    Ok(EntryResponse {
        id: row.id,
        journal_id: row.journal_id,
        number: row.number.clone(),
        entry_date: row.entry_date,
        period_id: row.period_id,
        status: row.status,
        description: row.description.clone(),
        reference_type: row.reference_type.clone(),
        reference_id: row.reference_id.clone(),
        reverses_id: row.reverses_id,
        reversed_by_id: row.reversed_by_id,
        total: Money::from_scaled(row.total),
        lines: lines
            .iter()
            .map(|(l, code)| {
                Ok(EntryLineResponse {
                    line_no: l.line_no,
                    account_id: l.account_id,
                    account_code: code.clone(),
                    debit: Money::from_scaled(l.debit),
                    credit: Money::from_scaled(l.credit),
                    branch_id: l.branch_id,
                    cost_center: l.cost_center.clone(),
                    project: l.project.clone(),
                    partner_id: l.partner_id,
                    description: l.description.clone(),
                    currency: l.currency.clone(),
                    amount_in_currency: l
                        .amount_currency
                        .map(|a| Money::from_scaled(if l.debit > 0 { a } else { -a })),
                })
            })
            .collect::<Result<_, AppError>>()?,
        version: row.version,
        posted_at: row.posted_at.map(|t| t.and_utc()),
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Can the actor see an entry? Users limited to some branches see entries all of whose lines
/// are booked to those branches.
pub(super) fn visible(actor: &Actor, lines: &[(EntryLineRow, String)]) -> bool {
    lines.iter().all(|(l, _)| actor.sees_record_in(l.branch_id))
}

pub(super) fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EntryId,
) -> Result<(EntryRow, Vec<(EntryLineRow, String)>), AppError> {
    let row = repo::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound("entry"))?;
    let lines = repo::lines_of(conn, row.id)?;
    if !visible(actor, &lines) {
        return Err(AppError::NotFound("entry"));
    }
    Ok((row, lines))
}

/// Records an entry in the caller's transaction, posted at once when `req.post`: the one way
/// in for the API and for every module that posts (they pass their own business date,
/// reference and dimensions).
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    req: &CreateEntryRequest,
    origin: Origin,
) -> Result<EntryResponse, AppError> {
    let (mut row, lines) = build(conn, actor, req, origin)?;
    if req.post {
        post_rows(conn, actor, &mut row, &lines)?;
    }
    repo::insert(conn, &row, &lines)?;
    let lines = repo::lines_of(conn, row.id)?;
    let out = to_response(&row, &lines)?;
    audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
    Ok(out)
}

pub fn create_entry(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateEntryRequest,
) -> Result<EntryResponse, AppError> {
    actor.require(WRITE)?;
    if req.post {
        actor.require(POST)?;
    }
    write_tx(conn, |conn| record(conn, actor, &req, Origin::Api))
}

pub fn get_entry(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EntryId,
) -> Result<EntryResponse, AppError> {
    actor.require(READ)?;
    let (row, lines) = load(conn, actor, id)?;
    to_response(&row, &lines)
}

pub fn list_entries(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: EntryListQuery,
) -> Result<EntryPage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    filter::names(q.journal_id, |j| {
        crate::journal::service::load(conn, actor, j)
    })?;
    let filter = EntryFilter {
        journal_id: q.journal_id,
        status: q.status,
        from: q.from,
        to: q.to,
        reference_type: q.reference_type,
        reference_id: q.reference_id,
    };
    let rows = repo::list(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    let ids: Vec<EntryId> = rows.iter().map(|r| r.id).collect();
    let all_lines = repo::lines_of_many(conn, &ids)?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let lines: Vec<(EntryLineRow, String)> = all_lines
            .iter()
            .filter(|(l, _)| l.entry_id == row.id)
            .cloned()
            .collect();
        if visible(actor, &lines) {
            items.push(to_response(row, &lines)?);
        }
    }
    Ok(EntryPage { items, next_cursor })
}

/// Posts a draft. Of two concurrent posts of one draft one waits for the other and then
/// finds it posted (409 `entry_posted`).
pub fn post_entry(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EntryId,
) -> Result<EntryResponse, AppError> {
    actor.require(POST)?;
    write_tx_retrying(conn, |conn| {
        let (mut row, lines) = load(conn, actor, id)?;
        if row.status != EntryStatus::Draft {
            return Err(FinanceError::Posted.into());
        }
        if !repo::claim_draft(conn, row.id, row.version)? {
            return Err(AppError::Contended);
        }
        row.version += 1;
        // Accounts may have been deactivated since the draft was made.
        let ids: Vec<AccountId> = lines.iter().map(|(l, _)| l.account_id).collect();
        let accounts = account::repo::find_many(conn, row.company_id, &ids)?;
        if let Some(i) = lines
            .iter()
            .position(|(l, _)| !accounts.iter().any(|a| a.id == l.account_id && a.active))
        {
            return Err(AppError::field(
                format!("lines[{i}].account_id"),
                "the account is inactive",
            ));
        }
        let plain: Vec<EntryLineRow> = lines.iter().map(|(l, _)| l.clone()).collect();
        post_rows(conn, actor, &mut row, &plain)?;
        if !repo::mark_posted(conn, &row)? {
            return Err(AppError::Contended);
        }
        let out = to_response(&row, &lines)?;
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

/// Reverses a posted entry with a posted entry that swaps its debits and credits.
pub fn reverse_entry(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EntryId,
    req: ReverseEntryRequest,
) -> Result<EntryResponse, AppError> {
    actor.require(POST)?;
    let mut v = Validator::new();
    v.opt_text("description", req.description.as_deref(), 500);
    v.finish()?;
    write_tx_retrying(conn, |conn| {
        reverse(conn, actor, id, req.entry_date, req.description.clone())
    })
}

/// Reverses a posted entry in the caller's transaction (the API's reversal and the
/// cancellation of documents share it): a posted entry dated `date` (default: the
/// original's) that swaps debits and credits, linked both ways.
pub fn reverse(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EntryId,
    date: Option<chrono::NaiveDate>,
    description: Option<String>,
) -> Result<EntryResponse, AppError> {
    {
        let (original, lines) = load(conn, actor, id)?;
        if original.status != EntryStatus::Posted {
            return Err(AppError::InvalidState {
                entity: "entry",
                action: "reverse",
                current: original.status.to_string(),
            });
        }
        if let Some(by) = original.reversed_by_id {
            return Err(FinanceError::AlreadyReversed { by }.into());
        }
        let reversal_id = EntryId::new();
        let at = now();
        let mut row = EntryRow {
            id: reversal_id,
            number: None,
            entry_date: date.unwrap_or(original.entry_date),
            period_id: None,
            status: EntryStatus::Draft,
            description: Some(description.unwrap_or_else(|| {
                format!(
                    "Reversal of {}",
                    original.number.clone().unwrap_or_default()
                )
            })),
            reverses_id: Some(original.id),
            reversed_by_id: None,
            version: 1,
            created_by: actor.user_id,
            posted_by: None,
            posted_at: None,
            created_at: at,
            updated_at: at,
            ..original.clone()
        };
        let swapped: Vec<EntryLineRow> = lines
            .iter()
            .map(|(l, _)| EntryLineRow {
                id: EntryLineId::new(),
                entry_id: reversal_id,
                debit: l.credit,
                credit: l.debit,
                amount_currency: l.amount_currency.map(|a| -a),
                ..l.clone()
            })
            .collect();
        post_rows(conn, actor, &mut row, &swapped)?;
        repo::insert(conn, &row, &swapped)?;
        // Of two concurrent reversals one links first; the other rolls back and retries.
        if !repo::mark_reversed(conn, original.id, reversal_id)? {
            return Err(AppError::Contended);
        }
        let out = to_response(&row, &repo::lines_of(conn, row.id)?)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        audit::record::<()>(
            conn,
            actor,
            ENTITY,
            &original.id,
            Change::Action("reverse", None),
        )?;
        Ok(out)
    }
}

/// Deletes a draft; posted entries are never deleted.
pub fn delete_entry(conn: &mut DbConnection, actor: &Actor, id: EntryId) -> Result<(), AppError> {
    actor.require(WRITE)?;
    write_tx(conn, |conn| {
        let (row, lines) = load(conn, actor, id)?;
        let before = to_response(&row, &lines)?;
        if !repo::delete_draft(conn, row.id)? {
            return Err(FinanceError::Posted.into());
        }
        audit::record(conn, actor, ENTITY, row.id, Change::Deleted(&before))?;
        Ok(())
    })
}
