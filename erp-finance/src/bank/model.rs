use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{fin_bank_lines, fin_bank_statements, fin_reconciliations};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_bank_statements)]
pub struct StatementRow {
    pub id: String,
    pub company_id: String,
    pub account_id: String,
    pub reference: String,
    pub statement_date: NaiveDate,
    /// Money ×10⁴, like every amount here.
    pub opening_balance: Option<i64>,
    pub closing_balance: Option<i64>,
    pub source: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_bank_lines)]
pub struct BankLineRow {
    pub id: String,
    pub company_id: String,
    pub statement_id: String,
    pub account_id: String,
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
    pub id: String,
    pub company_id: String,
    pub bank_line_id: String,
    pub payment_id: Option<String>,
    pub entry_id: Option<String>,
    pub amount: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}
