use chrono::NaiveDate;
use erp_core::ids::{BranchId, PartnerId};
use erp_core::money::Money;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::ids::{AccountId, JournalId};

/// One account's balance on the opening day: a debit for an asset or expense balance, a
/// credit for a liability, equity or revenue one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountOpeningLine {
    /// The account by its id, or by `account_code` as the former system's trial balance names
    /// it: exactly one of the two.
    pub account_id: Option<AccountId>,
    #[schema(min_length = 1, max_length = 32, example = "1100")]
    pub account_code: Option<String>,
    /// Exactly one of `debit` and `credit`, more than zero, in whole minor units of the
    /// company's currency.
    pub debit: Option<Money>,
    pub credit: Option<Money>,
    /// A branch the poster may post to, for balances kept per branch.
    pub branch_id: Option<BranchId>,
    /// The partner the balance concerns (a customer's receivable, a supplier's payable).
    pub partner_id: Option<PartnerId>,
    pub description: Option<String>,
}

/// A trial balance to open the books with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountOpeningRequest {
    /// The day the balances stand at, usually the first day of the first fiscal year kept
    /// here; its period must be open.
    pub entry_date: NaiveDate,
    /// The journal of the entry (default: the company's first general journal).
    pub journal_id: Option<JournalId>,
    /// The account that takes the difference when debits and credits differ (an opening
    /// balance equity account). Without it they must be equal, and a difference is refused
    /// with its amount.
    pub offset_account_id: Option<AccountId>,
    /// The entry's text (default: "Opening balances").
    pub description: Option<String>,
    /// 1 to 5,000 balances, at most one side each.
    pub lines: Vec<AccountOpeningLine>,
}
