use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::{BranchId, PartnerId};
use erp_core::money::Money;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{AccountId, EntryId, JournalId, PeriodId};

erp_core::text_enum! {
    pub enum EntryStatus {
        Draft = "draft",
        Posted = "posted",
    }
}

/// One line: an amount on the debit or the credit side of an account, with its dimensions.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryLineInput {
    pub account_id: AccountId,
    /// Exactly one of `debit` and `credit`, more than zero, in whole minor units of the
    /// company's currency.
    pub debit: Option<Money>,
    pub credit: Option<Money>,
    /// A branch the poster may post to.
    pub branch_id: Option<BranchId>,
    /// Cost center and project codes (1 to 32 letters, digits, `-`, `_`, `.`).
    pub cost_center: Option<String>,
    pub project: Option<String>,
    /// The business partner the line concerns (customer, supplier, employee).
    pub partner_id: Option<PartnerId>,
    pub description: Option<String>,
    /// The line's transaction currency when it is not the company's (ISO 4217), with
    /// `amount_in_currency`. An account restricted to a currency takes only lines in it.
    pub currency: Option<String>,
    /// The line's amount in `currency`, on the same side as its debit or credit: more than
    /// zero, in whole minor units of that currency.
    pub amount_in_currency: Option<Money>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEntryRequest {
    pub id: Option<EntryId>,
    pub journal_id: JournalId,
    /// The business date; it picks the period (which must be open to post).
    pub entry_date: NaiveDate,
    pub description: Option<String>,
    /// What the entry records, e.g. `invoice` and its id.
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    /// At least two lines; debits must equal credits exactly.
    pub lines: Vec<EntryLineInput>,
    /// Post at once (default: keep as a draft).
    #[serde(default)]
    pub post: bool,
}

/// Reverses a posted entry with one that swaps debits and credits.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReverseEntryRequest {
    /// The reversal's date (default: the original's); its period must be open.
    pub entry_date: Option<NaiveDate>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntryLineResponse {
    pub line_no: i32,
    pub account_id: AccountId,
    pub account_code: String,
    pub debit: Money,
    pub credit: Money,
    pub branch_id: Option<BranchId>,
    pub cost_center: Option<String>,
    pub project: Option<String>,
    pub partner_id: Option<PartnerId>,
    pub description: Option<String>,
    /// The transaction currency of a line booked in another currency than the company's.
    pub currency: Option<String>,
    /// The amount in `currency`, on the line's side (as `debit` or `credit` is).
    pub amount_in_currency: Option<Money>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntryResponse {
    pub id: EntryId,
    pub journal_id: JournalId,
    /// `GJ-2026-000001`: gapless per journal and year, given at posting.
    pub number: Option<String>,
    pub entry_date: NaiveDate,
    pub period_id: Option<PeriodId>,
    pub status: EntryStatus,
    pub description: Option<String>,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    /// The entry this one reverses.
    pub reverses_id: Option<EntryId>,
    /// The entry that reversed this one.
    pub reversed_by_id: Option<EntryId>,
    /// The sum of the debits, which equals the sum of the credits.
    pub total: Money,
    pub lines: Vec<EntryLineResponse>,
    pub version: i64,
    pub posted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(EntryPage, EntryResponse);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntryListQuery {
    pub journal_id: Option<JournalId>,
    pub status: Option<EntryStatus>,
    /// Entries dated on or after.
    pub from: Option<NaiveDate>,
    /// Entries dated on or before.
    pub to: Option<NaiveDate>,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
}
