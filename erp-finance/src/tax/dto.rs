use chrono::{DateTime, Utc};
use erp_core::money::Percent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{AccountId, TaxId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxKind {
    /// Value added tax: output tax on sales, input tax on purchases.
    Vat,
    /// Sales tax collected on sales.
    SalesTax,
    /// Withheld by the payer: it lowers what the partner is paid, and the payer owes it to
    /// the tax office.
    Withholding,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTaxRequest {
    pub id: Option<TaxId>,
    /// Unique in the company: 1 to 32 letters, digits, `-`, `_`, `.`.
    pub code: String,
    pub name: String,
    pub kind: TaxKind,
    /// Percent, 0 to 100: `"19"` is 19 %.
    pub rate: Percent,
    /// Prices on documents include this tax (gross prices). Not for withholding.
    #[serde(default)]
    pub price_included: bool,
    /// Where the tax of sales goes (output tax, a liability).
    pub sales_account_id: AccountId,
    /// Where the tax of purchases goes (input tax, an asset; for withholding, the liability
    /// to the tax office).
    pub purchase_account_id: AccountId,
}

/// Changes a tax; the rate and kind never change once documents may use them: make a new tax.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTaxRequest {
    pub version: Option<i64>,
    pub name: Option<String>,
    pub sales_account_id: Option<AccountId>,
    pub purchase_account_id: Option<AccountId>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaxResponse {
    pub id: TaxId,
    pub code: String,
    pub name: String,
    pub kind: TaxKind,
    pub rate: Percent,
    pub price_included: bool,
    pub sales_account_id: AccountId,
    pub purchase_account_id: AccountId,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(TaxPage, TaxResponse);
