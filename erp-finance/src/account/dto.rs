use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::AccountId;

erp_core::text_enum! {
    /// What an account records; it decides the normal side and the statement it appears in.
    pub enum AccountType {
        Asset = "asset",
        Liability = "liability",
        Equity = "equity",
        Revenue = "revenue",
        Expense = "expense",
    }
}

/// The side on which an account's balance normally stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NormalSide {
    Debit,
    Credit,
}

impl AccountType {
    pub fn normal_side(self) -> NormalSide {
        match self {
            AccountType::Asset | AccountType::Expense => NormalSide::Debit,
            AccountType::Liability | AccountType::Equity | AccountType::Revenue => {
                NormalSide::Credit
            }
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccountRequest {
    pub id: Option<AccountId>,
    /// Unique in the company: 1 to 32 letters, digits, `-`, `_` or `.` (e.g. `1200`).
    pub code: String,
    pub name: String,
    pub account_type: AccountType,
    /// The parent in the tree; it must have the same type.
    pub parent_id: Option<AccountId>,
    /// Open items are matched on it (receivables, payables, bank).
    #[serde(default)]
    pub reconcilable: bool,
    /// Only amounts in this currency may be posted to it (ISO 4217).
    pub currency: Option<String>,
}

/// Changes to an account; absent fields stay. The code and type do not change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAccountRequest {
    pub name: Option<String>,
    pub parent_id: Option<AccountId>,
    pub reconcilable: Option<bool>,
    /// An inactive account takes no new postings.
    pub active: Option<bool>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountResponse {
    pub id: AccountId,
    pub code: String,
    pub name: String,
    pub account_type: AccountType,
    pub normal_side: NormalSide,
    pub parent_id: Option<AccountId>,
    pub reconcilable: bool,
    pub currency: Option<String>,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(AccountPage, AccountResponse);

/// Accounts to create together: all of them or, when any is refused, none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccountsRequest {
    #[schema(min_items = 1, max_items = 1000)]
    pub accounts: Vec<CreateAccountRequest>,
}

/// The accounts a bulk create made, in the order of the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountBatch {
    pub accounts: Vec<AccountResponse>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountListQuery {
    pub account_type: Option<AccountType>,
    pub active: Option<bool>,
    /// The code starts with this (`4` lists the revenue accounts of a numbered chart).
    pub code_prefix: Option<String>,
}
