//! A national chart of accounts from CSV, all or nothing.

use std::collections::HashMap;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::csv_import::{
    check_columns, enum_cell, import_all, parsed, required, write_table, ImportReport,
};
use erp_core::db::DbConnection;
use erp_core::error::AppError;

use super::dto::CreateAccountRequest;
use super::model::AccountRow;
use super::repo;
use super::service::{insert_account_with, to_response, READ, WRITE};
use crate::ids::AccountId;

/// The columns of the file.
pub const COLUMNS: &[&str] = &[
    "code",
    "name",
    "account_type",
    "parent",
    "reconcilable",
    "currency",
    "active",
];

/// Columns: code, name, account_type (asset, liability, equity, revenue, expense), parent (the
/// code of an account that exists or comes earlier in the file), reconcilable (true or false),
/// currency, active (true or false, true when empty). Any rejected row writes nothing and is
/// named with its reason. `export_accounts` writes the same columns.
pub fn import_accounts(
    conn: &mut DbConnection,
    actor: &Actor,
    body: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require(WRITE)?;
    check_columns(body, COLUMNS)?;
    let company = actor.company_id;
    let mut made: HashMap<String, AccountId> = HashMap::new();
    import_all(conn, body, |conn, row| {
        let parent_id = match row.get("parent") {
            None => None,
            Some(code) => {
                let id = match made.get(code) {
                    Some(id) => *id,
                    None => {
                        repo::find_by_code(conn, company, code)?
                            .ok_or_else(|| {
                                AppError::field(
                                    "parent",
                                    format!("no account '{code}' exists or comes earlier"),
                                )
                            })?
                            .id
                    }
                };
                Some(id)
            }
        };
        let req = CreateAccountRequest {
            id: None,
            code: required(row, "code")?.to_string(),
            name: required(row, "name")?.to_string(),
            account_type: enum_cell(row, "account_type")?
                .ok_or_else(|| AppError::field("account_type", "is required"))?,
            parent_id,
            reconcilable: parsed::<bool>(row, "reconcilable")?.unwrap_or(false),
            currency: row.get("currency").cloned(),
        };
        let active = parsed::<bool>(row, "active")?.unwrap_or(true);
        let account = insert_account_with(conn, company, &req, active)?;
        audit::record(
            conn,
            actor,
            "fin_account",
            account.id,
            Change::Created(&to_response(&account)?),
        )?;
        made.insert(account.code.clone(), account.id);
        Ok(())
    })
}

/// The company's chart as CSV in the columns [`import_accounts`] reads: every account, active
/// or not, each parent before its children and siblings by code, so the file imports as it is.
pub fn export_accounts(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<u8>, AppError> {
    actor.require(READ)?;
    let all = repo::all_of(conn, actor.company_id)?;
    let code_of: HashMap<AccountId, &str> = all.iter().map(|a| (a.id, a.code.as_str())).collect();
    let mut children: HashMap<Option<AccountId>, Vec<&AccountRow>> = HashMap::new();
    for a in &all {
        children.entry(a.parent_id).or_default().push(a);
    }
    // Depth first from the roots; `all` is by code, so each list of siblings is too.
    let mut rows = Vec::with_capacity(all.len());
    let mut stack: Vec<&AccountRow> = children
        .get(&None)
        .into_iter()
        .flatten()
        .rev()
        .copied()
        .collect();
    while let Some(a) = stack.pop() {
        rows.push(vec![
            a.code.clone(),
            a.name.clone(),
            a.account_type.to_string(),
            a.parent_id
                .and_then(|p| code_of.get(&p))
                .map(|c| c.to_string())
                .unwrap_or_default(),
            a.reconcilable.to_string(),
            a.currency.clone().unwrap_or_default(),
            a.active.to_string(),
        ]);
        stack.extend(children.get(&Some(a.id)).into_iter().flatten().rev());
    }
    write_table(COLUMNS, rows)
}
