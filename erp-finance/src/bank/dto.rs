use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::PartnerId;
use erp_core::money::Money;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{
    AccountId, BankLineId, BankStatementId, EntryId, InvoiceId, PaymentId, ReconciliationId,
};

/// Where a statement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatementSource {
    Api,
    Csv,
    Camt053,
}

/// One line as typed (`lines`), in the company's currency.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementLineInput {
    pub booking_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    /// Money in is positive, money out negative; never zero.
    pub amount: Money,
    pub counterparty_name: Option<String>,
    /// IBAN or account number.
    pub counterparty_account: Option<String>,
    /// The remittance text: invoice numbers, references.
    pub remittance: Option<String>,
    pub bank_reference: Option<String>,
}

/// Which CSV column holds what (by header name).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CsvColumns {
    pub booking_date: String,
    /// A signed amount; or name `debit` and `credit` columns instead.
    pub amount: Option<String>,
    pub debit: Option<String>,
    pub credit: Option<String>,
    pub value_date: Option<String>,
    pub counterparty_name: Option<String>,
    pub counterparty_account: Option<String>,
    pub remittance: Option<String>,
    pub bank_reference: Option<String>,
}

/// A bank's CSV export and how to read it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CsvStatement {
    /// The file, with a header row.
    pub content: String,
    /// One character (default `,`).
    pub delimiter: Option<String>,
    /// chrono format of the dates (default `%Y-%m-%d`; `%d.%m.%Y` for 31.12.2026).
    pub date_format: Option<String>,
    /// Amounts written `1.234,56` (default false: `1,234.56`).
    #[serde(default)]
    pub decimal_comma: bool,
    pub columns: CsvColumns,
}

/// A bank statement for a bank account: its lines typed (`lines`), a CSV export with its
/// column mapping (`csv`), or an ISO 20022 camt.053 document (`camt053`): exactly one.
/// The whole statement is taken or nothing: every fault is named.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportStatementRequest {
    /// The bank account (an active asset account) the statement is of.
    pub account_id: AccountId,
    /// The bank's statement id; one import per statement. camt.053 carries its own.
    pub reference: Option<String>,
    /// Default: the camt.053's closing date, else the last booking date.
    pub statement_date: Option<NaiveDate>,
    /// When given with `closing_balance`, the lines must add up from one to the other.
    pub opening_balance: Option<Money>,
    pub closing_balance: Option<Money>,
    pub lines: Option<Vec<StatementLineInput>>,
    pub csv: Option<CsvStatement>,
    /// The XML document.
    pub camt053: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BankLineResponse {
    pub id: BankLineId,
    pub statement_id: BankStatementId,
    pub account_id: AccountId,
    pub line_no: i32,
    pub booking_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    pub amount: Money,
    pub counterparty_name: Option<String>,
    pub counterparty_account: Option<String>,
    pub remittance: Option<String>,
    pub bank_reference: Option<String>,
    /// How much of the amount (as a positive sum) is reconciled.
    pub matched: Money,
    pub reconciled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BankStatementResponse {
    pub id: BankStatementId,
    pub account_id: AccountId,
    pub reference: String,
    pub statement_date: NaiveDate,
    pub source: StatementSource,
    pub opening_balance: Option<Money>,
    pub closing_balance: Option<Money>,
    pub lines: Vec<BankLineResponse>,
    pub created_at: DateTime<Utc>,
}

erp_core::page_type!(BankStatementPage, BankStatementResponse);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BankStatementListQuery {
    pub account_id: Option<AccountId>,
}

/// What a line could be: a payment already recorded, an open invoice (bill) to settle, with
/// how sure the proposal is and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Payment,
    Invoice,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MatchProposal {
    pub kind: MatchKind,
    pub payment_id: Option<PaymentId>,
    pub invoice_id: Option<InvoiceId>,
    pub partner_id: PartnerId,
    pub number: Option<String>,
    /// What this match would reconcile of the line.
    pub amount: Money,
    /// Higher is surer: 3 for a document number or reference in the remittance text, 2 for
    /// the exact amount, 1 for the counterparty's name.
    pub score: i32,
    /// The rules that matched: `reference`, `amount`, `partner`.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LineProposals {
    pub line: BankLineResponse,
    /// Surest first; at most five.
    pub proposals: Vec<MatchProposal>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StatementProposals {
    pub statement_id: BankStatementId,
    /// The lines not yet reconciled in full.
    pub lines: Vec<LineProposals>,
}

/// One part of a line: a recorded payment on this bank account, an open invoice (bill) paid
/// by this line (a payment is recorded and allocated), or an account the money goes to
/// directly (fees, interest): exactly one of the three.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReconcileMatch {
    pub payment_id: Option<PaymentId>,
    pub invoice_id: Option<InvoiceId>,
    pub account_id: Option<AccountId>,
    /// More than zero, at most what is left of the line (and of the payment).
    pub amount: Money,
    /// For a direct posting: its text (default: the line's remittance).
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReconcileRequest {
    pub matches: Vec<ReconcileMatch>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReconciliationResponse {
    pub id: ReconciliationId,
    pub bank_line_id: BankLineId,
    pub payment_id: Option<PaymentId>,
    pub entry_id: Option<EntryId>,
    pub amount: Money,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReconcileResponse {
    pub line: BankLineResponse,
    pub reconciliations: Vec<ReconciliationResponse>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnreconciledQuery {
    /// The bank account.
    pub account_id: AccountId,
}

/// A payment on the bank account that no bank line accounts for (yet).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnreconciledPayment {
    pub payment_id: PaymentId,
    pub number: Option<String>,
    pub payment_date: NaiveDate,
    pub partner_id: PartnerId,
    /// Signed as the bank sees it: receipts positive.
    pub amount: Money,
    pub unreconciled: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnreconciledReport {
    pub account_id: AccountId,
    pub currency: String,
    /// Statement lines not reconciled in full, by date.
    pub bank_lines: Vec<BankLineResponse>,
    /// Payments on the account no statement line accounts for in full, by date.
    pub payments: Vec<UnreconciledPayment>,
    /// The account's balance in the books, and as the last imported statement closes.
    pub book_balance: Money,
    pub statement_balance: Option<Money>,
}
