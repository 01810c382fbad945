//! A national chart of accounts from CSV, all or nothing.

use std::collections::HashMap;

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::csv_import::{check_columns, enum_cell, import_all, parsed, required, ImportReport};
use erp_core::db::DbConnection;
use erp_core::error::AppError;

use super::dto::CreateAccountRequest;
use super::repo;
use super::service::{insert_account, to_response, WRITE};
use crate::ids::AccountId;

/// The columns of the file.
pub const COLUMNS: &[&str] = &[
    "code",
    "name",
    "account_type",
    "parent",
    "reconcilable",
    "currency",
];

/// Columns: code, name, account_type (asset, liability, equity, revenue, expense), parent (the
/// code of an account that exists or comes earlier in the file), reconcilable (true or false),
/// currency. Any rejected row writes nothing and is named with its reason.
pub fn import_accounts(
    conn: &mut DbConnection,
    actor: &Actor,
    body: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require(WRITE)?;
    check_columns(body, COLUMNS)?;
    let company = actor.company_id.to_db();
    let mut made: HashMap<String, String> = HashMap::new();
    import_all(conn, body, |conn, row| {
        let parent_id = match row.get("parent") {
            None => None,
            Some(code) => {
                let id = match made.get(code) {
                    Some(id) => id.clone(),
                    None => {
                        repo::find_by_code(conn, &company, code)?
                            .ok_or_else(|| {
                                AppError::field(
                                    "parent",
                                    format!("no account '{code}' exists or comes earlier"),
                                )
                            })?
                            .id
                    }
                };
                Some(AccountId::from_db(&id)?)
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
        let account = insert_account(conn, &company, &req)?;
        audit::record(
            conn,
            actor,
            "fin_account",
            &account.id,
            Change::Created(&to_response(&account)?),
        )?;
        made.insert(account.code.clone(), account.id);
        Ok(())
    })
}
