use chrono::NaiveDate;
use erp_core::ids::BranchId;
use erp_core::money::Money;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::account::dto::AccountType;
use crate::entry::dto::EntryStatus;
use crate::ids::{AccountId, EntryId};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrialBalanceQuery {
    /// The first day of a period.
    pub from: NaiveDate,
    /// The last day of a period (on or after `from`).
    pub to: NaiveDate,
    /// One branch only (default: every branch the caller sees).
    pub branch_id: Option<BranchId>,
}

/// One account of the trial balance. Signed balances are positive on the debit side.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TrialBalanceLine {
    pub account_id: AccountId,
    pub code: String,
    pub name: String,
    pub account_type: AccountType,
    /// The balance before `from`, debit positive.
    pub opening: Money,
    /// Debits and credits posted from `from` to `to`.
    pub debit: Money,
    pub credit: Money,
    /// `opening + debit - credit`.
    pub closing: Money,
    /// The closing balance on its side: one of the two is zero.
    pub closing_debit: Money,
    pub closing_credit: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TrialBalanceResponse {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub currency: String,
    /// Accounts with a balance or a movement, by code.
    pub lines: Vec<TrialBalanceLine>,
    /// Totals; debit equals credit and closing debit equals closing credit, always.
    pub total_debit: Money,
    pub total_credit: Money,
    pub total_closing_debit: Money,
    pub total_closing_credit: Money,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub branch_id: Option<BranchId>,
}

/// One posted line of the account, with the running balance after it (debit positive).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LedgerLine {
    pub entry_id: EntryId,
    pub number: Option<String>,
    pub entry_date: NaiveDate,
    pub status: EntryStatus,
    pub description: Option<String>,
    pub debit: Money,
    pub credit: Money,
    pub balance: Money,
    /// The line's transaction currency, when it was booked in another than the company's.
    pub currency: Option<String>,
    /// Its amount in `currency`, debit positive.
    pub amount_in_currency: Option<Money>,
    /// For an account restricted to a currency: the running balance in it.
    pub balance_in_currency: Option<Money>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LedgerResponse {
    pub account_id: AccountId,
    pub code: String,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening: Money,
    pub lines: Vec<LedgerLine>,
    pub closing: Money,
    /// The currency the account is restricted to, if any; then the balances below are in it
    /// (a dollar bank account's dollars), beside `opening` and `closing` in company currency.
    pub currency: Option<String>,
    pub opening_in_currency: Option<Money>,
    pub closing_in_currency: Option<Money>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// The first day of a period.
    pub from: NaiveDate,
    /// The last day of a period.
    pub to: NaiveDate,
    /// A period range to compare with (both or neither).
    pub compare_from: Option<NaiveDate>,
    pub compare_to: Option<NaiveDate>,
    pub branch_id: Option<BranchId>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BalanceSheetQuery {
    /// The last day of a period.
    pub as_of: NaiveDate,
    pub branch_id: Option<BranchId>,
}

/// An account on a statement, its amount on its normal side.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StatementLine {
    pub account_id: AccountId,
    pub code: String,
    pub name: String,
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StatementSection {
    pub lines: Vec<StatementLine>,
    pub total: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IncomePart {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub revenue: StatementSection,
    pub expenses: StatementSection,
    /// Revenue less expenses.
    pub net_income: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IncomeStatement {
    pub current: IncomePart,
    pub comparison: Option<IncomePart>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BalanceSheet {
    pub as_of: NaiveDate,
    pub assets: StatementSection,
    pub liabilities: StatementSection,
    /// Equity accounts, and in `total` also the unclosed earnings.
    pub equity: StatementSection,
    /// Revenue less expenses not yet closed to retained earnings.
    pub unclosed_earnings: Money,
    /// Equals `assets.total`.
    pub total_liabilities_and_equity: Money,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerExportQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CashFlowQuery {
    /// The first day of a period.
    pub from: NaiveDate,
    /// The last day of a period.
    pub to: NaiveDate,
    /// A period range to compare with (both or neither).
    pub compare_from: Option<NaiveDate>,
    pub compare_to: Option<NaiveDate>,
    pub branch_id: Option<BranchId>,
    /// Account codes that hold cash, comma-separated (default `1000,1100`).
    pub cash_accounts: Option<String>,
    /// Asset and liability account codes whose changes are investing, comma-separated
    /// (default `1500`: fixed assets; accumulated depreciation stays operating, which adds
    /// depreciation back).
    pub investing_accounts: Option<String>,
    /// Liability account codes whose changes are financing, comma-separated (default `2500`:
    /// loans). Every equity account is financing.
    pub financing_accounts: Option<String>,
}

/// One part of the cash flow of a range (the indirect method).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CashFlowPart {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub net_income: Money,
    /// For one branch: what moved between it and other branches without cash (a stock
    /// transfer), counted in operating; zero for the whole company.
    pub between_branches: Money,
    /// Net income and the changes of the other non-cash asset and liability accounts (an
    /// increase of an asset uses cash: negative); the lines are the changes.
    pub operating: StatementSection,
    pub investing: StatementSection,
    pub financing: StatementSection,
    /// Operating + investing + financing: equal to closing less opening cash.
    pub net_change: Money,
    pub opening_cash: Money,
    pub closing_cash: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CashFlowStatement {
    pub current: CashFlowPart,
    pub comparison: Option<CashFlowPart>,
}
