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
use super::service::{record, Origin};
use crate::ids::{AccountId, JournalId};
use crate::journal::dto::JournalKind;

/// Where a line is booked besides its account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Dimensions {
    pub branch_id: Option<BranchId>,
    pub partner_id: Option<PartnerId>,
    pub cost_center: Option<String>,
    pub project: Option<String>,
}

#[derive(Debug, Default)]
pub struct EntryBuilder {
    /// In the order first added, so the entry reads as the event did.
    lines: Vec<(AccountId, Dimensions, i64)>,
    /// Where each account and dimensions sit in `lines`: a pay run adds 150,000 amounts into
    /// 10,000 lines, which a linear search made quadratic.
    index: HashMap<(AccountId, Dimensions), usize>,
}

impl EntryBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `amount` (Money ×10⁴; positive debits, negative credits) to `account`.
    pub fn add(&mut self, account: AccountId, dims: Dimensions, amount: i64) -> &mut Self {
        match self.index.entry((account, dims)) {
            Entry::Occupied(at) => self.lines[*at.get()].2 += amount,
            Entry::Vacant(slot) => {
                let (account, dims) = slot.key().clone();
                slot.insert(self.lines.len());
                self.lines.push((account, dims, amount));
            }
        }
        self
    }

    /// True when every amount added so far nets to zero.
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|(_, _, amount)| *amount == 0)
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
        reference: (&str, &str),
    ) -> Result<EntryResponse, AppError> {
        let company = actor.company_id.to_db();
        let journal_row = crate::journal::repo::first_of_kind(conn, &company, &enum_to_db(&journal))?
            .ok_or_else(|| AppError::Unprocessable {
                code: "posting_not_configured",
                detail: format!(
                    "the company has no active {} journal; run POST /api/v1/finance/setup or create one",
                    enum_to_db(&journal)
                ),
            })?;
        let lines = self
            .lines
            .into_iter()
            .filter(|(_, _, amount)| *amount != 0)
            .map(|(account_id, d, amount)| EntryLineInput {
                account_id,
                debit: (amount > 0).then(|| Money::from_scaled(amount)),
                credit: (amount < 0).then(|| Money::from_scaled(-amount)),
                branch_id: d.branch_id,
                cost_center: d.cost_center,
                project: d.project,
                partner_id: d.partner_id,
                description: None,
            })
            .collect();
        let req = CreateEntryRequest {
            id: None,
            journal_id: JournalId::from_db(&journal_row.id)?,
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
