use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{fin_entries, fin_entry_lines};
use erp_core::ids::UserId;
use erp_core::ids::{BranchId, CompanyId, PartnerId};

use crate::entry::dto::EntryStatus;
use crate::ids::{AccountId, EntryId, EntryLineId, JournalId, PeriodId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_entries, treat_none_as_default_value = false)]
pub struct EntryRow {
    pub id: EntryId,
    pub company_id: CompanyId,
    pub journal_id: JournalId,
    pub number: Option<String>,
    pub entry_date: NaiveDate,
    pub period_id: Option<PeriodId>,
    pub status: EntryStatus,
    pub description: Option<String>,
    pub reference_type: Option<String>,
    pub reference_id: Option<String>,
    pub reverses_id: Option<EntryId>,
    pub reversed_by_id: Option<EntryId>,
    pub total: i64,
    pub version: i64,
    pub created_by: UserId,
    pub posted_by: Option<UserId>,
    pub posted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_entry_lines, treat_none_as_default_value = false)]
pub struct EntryLineRow {
    pub id: EntryLineId,
    pub entry_id: EntryId,
    pub line_no: i32,
    pub account_id: AccountId,
    pub debit: i64,
    pub credit: i64,
    pub branch_id: Option<BranchId>,
    pub cost_center: Option<String>,
    pub project: Option<String>,
    pub partner_id: Option<PartnerId>,
    pub description: Option<String>,
    /// The transaction currency of a line booked in another currency than the company's,
    /// and the signed amount in it (debit positive, ×10⁴).
    pub currency: Option<String>,
    pub amount_currency: Option<i64>,
}
