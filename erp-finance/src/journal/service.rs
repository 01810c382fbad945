//! Journals: create and list.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::pagination::ListParams;

use super::dto::*;
use super::model::JournalRow;
use super::repo;
use crate::account::service::{READ, WRITE};
use crate::error::FinanceError;
use crate::ids::JournalId;

const ENTITY: &str = "fin_journal";

pub fn to_response(row: &JournalRow) -> Result<JournalResponse, AppError> {
    Ok(JournalResponse {
        id: row.id,
        code: row.code.clone(),
        name: row.name.clone(),
        kind: enum_from_db(&row.kind)?,
        active: row.active,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Inserts a journal in the caller's transaction (the setup and the API share it).
pub fn insert_journal(
    conn: &mut DbConnection,
    company_id: CompanyId,
    req: &CreateJournalRequest,
) -> Result<JournalRow, AppError> {
    let code = req.code.trim().to_string();
    let mut v = Validator::new();
    v.check(
        (1..=8).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()),
        "code",
        "must be 1 to 8 letters or digits",
    );
    v.text("name", &req.name, 200);
    v.finish()?;
    if repo::find_by_code(conn, company_id, &code)?.is_some() {
        return Err(FinanceError::DuplicateJournal(code).into());
    }
    let at = now();
    let row = JournalRow {
        id: req.id.unwrap_or_default(),
        company_id,
        code,
        name: req.name.trim().to_string(),
        kind: enum_to_db(&req.kind),
        active: true,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    repo::insert(conn, &row)?;
    Ok(row)
}

/// A journal of the actor's company, or 404.
pub fn load(conn: &mut DbConnection, actor: &Actor, id: JournalId) -> Result<JournalRow, AppError> {
    repo::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound("journal"))
}

pub fn create_journal(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateJournalRequest,
) -> Result<JournalResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let row = insert_journal(conn, company, &req)?;
        let out = to_response(&row)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

pub fn list_journals(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
) -> Result<JournalPage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    let rows = repo::list(conn, actor.company_id, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    Ok(JournalPage {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}
