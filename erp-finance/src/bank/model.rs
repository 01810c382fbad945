use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{fin_bank_lines, fin_bank_statements, fin_reconciliations};
use erp_core::ids::CompanyId;
use erp_core::ids::UserId;

use crate::ids::{AccountId, BankLineId, BankStatementId, EntryId, PaymentId, ReconciliationId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_bank_statements)]
pub struct StatementRow {
    pub id: BankStatementId,
    pub company_id: CompanyId,
    pub account_id: AccountId,
    pub reference: String,
    pub statement_date: NaiveDate,
    /// Money ×10⁴, like every amount here.
    pub opening_balance: Option<i64>,
    pub closing_balance: Option<i64>,
    pub source: String,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_bank_lines)]
pub struct BankLineRow {
    pub id: BankLineId,
    pub company_id: CompanyId,
    pub statement_id: BankStatementId,
    pub account_id: AccountId,
    pub line_no: i32,
    pub booking_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    /// Signed: money in is positive.
    pub amount: i64,
    pub counterparty_name: Option<String>,
    pub counterparty_account: Option<String>,
    pub remittance: Option<String>,
    pub bank_reference: Option<String>,
    /// How much of |amount| is reconciled.
    pub matched: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_reconciliations)]
pub struct ReconciliationRow {
    pub id: ReconciliationId,
    pub company_id: CompanyId,
    pub bank_line_id: BankLineId,
    pub payment_id: Option<PaymentId>,
    pub entry_id: Option<EntryId>,
    pub amount: i64,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
}
