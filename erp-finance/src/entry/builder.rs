//! Builds the entry of a business event from signed amounts (debit positive, credit
//! negative): lines with the same account and dimensions are merged, zero lines dropped, and
//! the entry is recorded, posted, in the caller's transaction through the one way in,
//! [`super::service::record`].

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use chrono::NaiveDate;
use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::{BranchId, PartnerId};
use erp_core::money::Money;

use super::dto::{CreateEntryRequest, EntryLineInput, EntryResponse};
use super::service::{record, record_batch, Origin};
use crate::ids::{AccountId, EntryId};
use crate::journal::dto::JournalKind;
use crate::journal::model::JournalRow;

/// Where a line is booked besides its account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Dimensions {
    pub branch_id: Option<BranchId>,
    pub partner_id: Option<PartnerId>,
    pub cost_center: Option<String>,
    pub project: Option<String>,
}

/// One line as the builder sums it: account, dimensions, the signed amount in company
/// currency and, for a line in another currency, that currency and the signed amount in it.
#[derive(Debug, Clone)]
pub struct BuiltLine {
    pub account: AccountId,
    pub dims: Dimensions,
    pub amount: i64,
    pub currency: Option<String>,
    pub amount_currency: i64,
}

#[derive(Debug, Default)]
pub struct EntryBuilder {
    /// In the order first added, so the entry reads as the event did.
    lines: Vec<BuiltLine>,
    /// Where each account, dimensions and currency sit in `lines`: a pay run adds 150,000
    /// amounts into 10,000 lines, which a linear search made quadratic.
    index: HashMap<(AccountId, Dimensions, Option<String>), usize>,
}

impl EntryBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `amount` (Money ×10⁴; positive debits, negative credits) to `account`.
    pub fn add(&mut self, account: AccountId, dims: Dimensions, amount: i64) -> &mut Self {
        self.add_in(account, dims, amount, None)
    }

    /// Adds `amount` in company currency to `account`, and with `in_currency` (a currency
    /// other than the company's and the signed amount in it) the amount in that currency.
    pub fn add_in(
        &mut self,
        account: AccountId,
        dims: Dimensions,
        amount: i64,
        in_currency: Option<(&str, i64)>,
    ) -> &mut Self {
        let (currency, amount_currency) = match in_currency {
            Some((c, a)) => (Some(c.to_string()), a),
            None => (None, 0),
        };
        match self.index.entry((account, dims, currency)) {
            Entry::Occupied(at) => {
                let line = &mut self.lines[*at.get()];
                line.amount += amount;
                line.amount_currency += amount_currency;
            }
            Entry::Vacant(slot) => {
                let (account, dims, currency) = slot.key().clone();
                slot.insert(self.lines.len());
                self.lines.push(BuiltLine {
                    account,
                    dims,
                    amount,
                    currency,
                    amount_currency,
                });
            }
        }
        self
    }

    /// True when every amount added so far nets to zero.
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.amount == 0)
    }

    /// Records the entry, posted, in the first active journal of `journal`; 422
    /// `posting_not_configured` when the company has none.
    pub fn post(
        self,
        conn: &mut DbConnection,
        actor: &Actor,
        journal: JournalKind,
        date: NaiveDate,
        description: String,
        reference: (&str, impl std::fmt::Display),
    ) -> Result<EntryResponse, AppError> {
        let journal_row = journal_of(conn, actor, journal)?;
        let lines = self
            .lines
            .into_iter()
            .filter(|l| l.amount != 0)
            .map(|l| {
                // On the line's side, as the API takes it.
                let side = if l.amount > 0 { 1 } else { -1 };
                EntryLineInput {
                    account_id: l.account,
                    debit: (l.amount > 0).then(|| Money::from_scaled(l.amount)),
                    credit: (l.amount < 0).then(|| Money::from_scaled(-l.amount)),
                    branch_id: l.dims.branch_id,
                    cost_center: l.dims.cost_center,
                    project: l.dims.project,
                    partner_id: l.dims.partner_id,
                    description: None,
                    amount_in_currency: l
                        .currency
                        .is_some()
                        .then(|| Money::from_scaled(side * l.amount_currency)),
                    currency: l.currency,
                }
            })
            .collect();
        let req = CreateEntryRequest {
            id: None,
            journal_id: journal_row.id,
            entry_date: date,
            description: Some(description),
            reference_type: Some(reference.0.to_string()),
            reference_id: Some(reference.1.to_string()),
            lines,
            post: true,
        };
        record(conn, actor, &req, Origin::System)
    }
}

/// The first active journal of the kind; 422 `posting_not_configured` when there is none.
fn journal_of(
    conn: &mut DbConnection,
    actor: &Actor,
    journal: JournalKind,
) -> Result<JournalRow, AppError> {
    crate::journal::repo::first_of_kind(conn, actor.company_id, &enum_to_db(&journal))?
        .ok_or_else(|| AppError::Unprocessable {
            code: "posting_not_configured",
            detail: format!(
                "the company has no active {} journal; run POST /api/v1/finance/setup or create one",
                enum_to_db(&journal)
            ),
        })
}

/// One entry of a batch: its id, text, the record it belongs to and its amounts.
pub struct BatchEntry {
    pub id: EntryId,
    pub description: String,
    pub reference: (&'static str, String),
    pub lines: EntryBuilder,
}

/// Records many entries of one journal kind and date, posted, in a few statements (a pay
/// run's payments): what `post` does for one, with the series bumped once, balances updated
/// once per account and branch, and rows inserted in bulk. The caller has checked the
/// accounts, partners and branches of the lines. Returns each entry's number, in order.
pub fn post_batch(
    conn: &mut DbConnection,
    actor: &Actor,
    journal: JournalKind,
    date: NaiveDate,
    entries: Vec<BatchEntry>,
) -> Result<Vec<String>, AppError> {
    let journal_row = journal_of(conn, actor, journal)?;
    let entries = entries
        .into_iter()
        .map(|e| {
            let lines = e
                .lines
                .lines
                .into_iter()
                .filter(|l| l.amount != 0)
                .collect();
            (e.id, e.description, e.reference, lines)
        })
        .collect();
    record_batch(conn, actor, &journal_row, date, entries)
}
