//! Accounts: create, change, list; the tree keeps one type per branch of it.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::CompanyId;
use erp_core::org::check_currency;
use erp_core::pagination::ListParams;

use super::dto::*;
use super::model::AccountRow;
use super::repo::{self, AccountFilter};
use crate::error::FinanceError;
use crate::ids::AccountId;

const ENTITY: &str = "fin_account";
pub const READ: &str = "finance.account.read";
pub const WRITE: &str = "finance.account.write";

pub fn to_response(row: &AccountRow) -> Result<AccountResponse, AppError> {
    let account_type = row.account_type;
    Ok(AccountResponse {
        id: row.id,
        code: row.code.clone(),
        name: row.name.clone(),
        account_type,
        normal_side: account_type.normal_side(),
        parent_id: row.parent_id,
        reconcilable: row.reconcilable,
        currency: row.currency.clone(),
        active: row.active,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Checks that `parent` exists, has the same type, and is not `id` or below it.
fn check_parent(
    conn: &mut DbConnection,
    v: &mut Validator,
    company_id: CompanyId,
    id: AccountId,
    account_type: AccountType,
    parent: AccountId,
) -> Result<(), AppError> {
    let mut cursor = Some(parent);
    let mut first = true;
    while let Some(p) = cursor {
        if p == id {
            v.add("parent_id", "would make the account its own ancestor");
            return Ok(());
        }
        match repo::find(conn, company_id, p)? {
            None => {
                v.add("parent_id", "no such account in the company");
                return Ok(());
            }
            Some(row) => {
                if first && row.account_type != account_type {
                    v.add("parent_id", "must be an account of the same type");
                    return Ok(());
                }
                first = false;
                cursor = row.parent_id;
            }
        }
    }
    Ok(())
}

/// Inserts an account in the caller's transaction; the chart loader and the API share it.
pub fn insert_account(
    conn: &mut DbConnection,
    company_id: CompanyId,
    req: &CreateAccountRequest,
) -> Result<AccountRow, AppError> {
    insert_account_with(conn, company_id, req, true)
}

/// [`insert_account`], active or not: the CSV import brings retired accounts of a chart too.
pub fn insert_account_with(
    conn: &mut DbConnection,
    company_id: CompanyId,
    req: &CreateAccountRequest,
    active: bool,
) -> Result<AccountRow, AppError> {
    let mut v = Validator::new();
    v.code("code", req.code.trim(), 32);
    v.text("name", &req.name, 200);
    if let Some(c) = &req.currency {
        check_currency(&mut v, "currency", c);
    }
    let id = req.id.unwrap_or_default();
    let account_type = req.account_type;
    if let Some(parent) = req.parent_id {
        check_parent(conn, &mut v, company_id, id, account_type, parent)?;
    }
    v.finish()?;
    let code = req.code.trim().to_string();
    if repo::find_by_code(conn, company_id, &code)?.is_some() {
        return Err(FinanceError::DuplicateAccount(code).into());
    }
    let at = now();
    let row = AccountRow {
        id,
        company_id,
        code,
        name: req.name.trim().to_string(),
        account_type,
        parent_id: req.parent_id,
        reconcilable: req.reconcilable,
        currency: req.currency.clone(),
        active,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    repo::insert(conn, &row)?;
    Ok(row)
}

/// Creates many accounts in one transaction, each by [`create_account`]'s rules; refused
/// records are named by their index and nothing is kept.
pub fn create_accounts(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateAccountsRequest,
) -> Result<AccountBatch, AppError> {
    actor.require(WRITE)?;
    let accounts = erp_core::batch::all_or_nothing(conn, "accounts", req.accounts, |conn, x| {
        create_account(conn, actor, x)
    })?;
    Ok(AccountBatch { accounts })
}

pub fn create_account(
    conn: &mut DbConnection,
    actor: &Actor,
    req: CreateAccountRequest,
) -> Result<AccountResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let row = insert_account(conn, company, &req)?;
        let out = to_response(&row)?;
        audit::record(conn, actor, ENTITY, row.id, Change::Created(&out))?;
        Ok(out)
    })
}

/// An account of the actor's company, or 404.
pub fn load(conn: &mut DbConnection, actor: &Actor, id: AccountId) -> Result<AccountRow, AppError> {
    repo::find(conn, actor.company_id, id)?.ok_or(AppError::NotFound("account"))
}

pub fn get_account(
    conn: &mut DbConnection,
    actor: &Actor,
    id: AccountId,
) -> Result<AccountResponse, AppError> {
    actor.require(READ)?;
    to_response(&load(conn, actor, id)?)
}

pub fn list_accounts(
    conn: &mut DbConnection,
    actor: &Actor,
    params: &ListParams,
    q: AccountListQuery,
) -> Result<AccountPage, AppError> {
    actor.require(READ)?;
    let page = params.validate()?;
    let filter = AccountFilter {
        account_type: q.account_type,
        active: q.active,
        code_prefix: q.code_prefix.filter(|p| !p.is_empty()),
    };
    let rows = repo::list(conn, actor.company_id, &filter, &page)?;
    let (rows, next_cursor) = page.finish_typed(rows, |r| r.id);
    Ok(AccountPage {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
        next_cursor,
    })
}

pub fn update_account(
    conn: &mut DbConnection,
    actor: &Actor,
    id: AccountId,
    expected_version: i64,
    req: UpdateAccountRequest,
) -> Result<AccountResponse, AppError> {
    actor.require(WRITE)?;
    let company = actor.company_id;
    write_tx(conn, |conn| {
        let mut row = repo::find(conn, company, id)?.ok_or(AppError::NotFound("account"))?;
        if row.version != expected_version {
            return Err(AppError::VersionMismatch {
                current: row.version,
            });
        }
        let before = to_response(&row)?;
        let mut v = Validator::new();
        if let Some(name) = &req.name {
            v.text("name", name, 200);
        }
        if let Some(parent) = req.parent_id {
            check_parent(conn, &mut v, company, row.id, row.account_type, parent)?;
        }
        v.finish()?;
        if let Some(name) = &req.name {
            row.name = name.trim().to_string();
        }
        if let Some(parent) = req.parent_id {
            row.parent_id = Some(parent);
        }
        if let Some(r) = req.reconcilable {
            row.reconcilable = r;
        }
        if let Some(a) = req.active {
            row.active = a;
        }
        row.version += 1;
        row.updated_at = now();
        if !repo::update_versioned(conn, &row, expected_version)? {
            return Err(AppError::VersionMismatch {
                current: expected_version + 1,
            });
        }
        let after = to_response(&row)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            row.id,
            Change::Updated {
                before: &before,
                after: &after,
            },
        )?;
        Ok(after)
    })
}
