use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::{fin_invoice_line_taxes, fin_invoice_lines, fin_invoices};
use erp_core::ids::UserId;
use erp_core::ids::{BranchId, CompanyId, PartnerId};

use crate::ids::{AccountId, EntryId, InvoiceId, PaymentTermsId, TaxGroupId, TaxId};
use crate::invoice::dto::InvoiceStatus;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_invoices)]
pub struct InvoiceRow {
    pub id: InvoiceId,
    pub company_id: CompanyId,
    pub kind: String,
    pub number: Option<String>,
    pub partner_id: PartnerId,
    pub branch_id: Option<BranchId>,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    pub payment_terms_id: Option<PaymentTermsId>,
    pub discount_until: Option<NaiveDate>,
    /// Percent ×10⁴.
    pub discount_rate: i64,
    pub status: InvoiceStatus,
    pub reference: Option<String>,
    pub notes: Option<String>,
    pub corrects_id: Option<InvoiceId>,
    pub tax_rounding: String,
    /// Money ×10⁴, like every amount below.
    pub net: i64,
    pub tax: i64,
    pub total: i64,
    pub open_amount: i64,
    pub entry_id: Option<EntryId>,
    pub cancel_entry_id: Option<EntryId>,
    pub cancelled_on: Option<NaiveDate>,
    pub version: i64,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Why the document may not be posted until someone releases it.
    pub hold_reason: Option<String>,
    pub released_by: Option<UserId>,
    pub released_at: Option<NaiveDateTime>,
    /// The document's currency, which the amounts above are in.
    pub currency: String,
    /// Company currency per unit of `currency` on the document's date, ×10⁹.
    pub exchange_rate: i64,
    /// What the ledger holds: the total and the open amount in company currency (×10⁴).
    pub total_company: i64,
    pub open_company: i64,
    /// The schedule of a document under instalment terms as JSON (see `instalment::Due`);
    /// None: all of it is due on `due_date`.
    pub instalments: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_invoice_lines)]
pub struct InvoiceLineRow {
    pub invoice_id: InvoiceId,
    pub line_no: i32,
    pub description: String,
    pub account_id: AccountId,
    /// Qty ×10⁶.
    pub quantity: i64,
    /// Price ×10⁶.
    pub unit_price: i64,
    pub tax_id: Option<TaxId>,
    pub net: i64,
    pub tax: i64,
    pub cost_center: Option<String>,
    pub project: Option<String>,
    /// Percent ×10⁴ off quantity × price.
    pub discount_percent: i64,
    /// Money ×10⁴ of goods received not invoiced the line clears; the rest of its net is a
    /// price difference.
    pub clears: Option<i64>,
    /// The tax group the line is charged (then `tax_id` is None).
    pub tax_group_id: Option<TaxGroupId>,
}

/// One tax of one line: its base and amount in the document's currency (×10⁴).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_invoice_line_taxes)]
pub struct InvoiceLineTaxRow {
    pub invoice_id: InvoiceId,
    pub line_no: i32,
    /// The tax's place among the line's taxes, from 0.
    pub seq: i32,
    pub tax_id: TaxId,
    pub base: i64,
    pub tax: i64,
}
