use erp_core::money::Percent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::TaxId;
use crate::tax::dto::TaxKind;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaxReportQuery {
    /// First day of the range.
    pub from: chrono::NaiveDate,
    /// Last day of the range.
    pub to: chrono::NaiveDate,
}

/// Base and tax of one rate in a range: sales (output tax) and purchases (input tax), credit
/// and debit notes and cancellations subtracted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaxReportLine {
    pub tax_id: TaxId,
    pub code: String,
    pub name: String,
    pub kind: TaxKind,
    pub rate: Percent,
    pub sales_base: erp_core::money::Money,
    pub sales_tax: erp_core::money::Money,
    pub purchase_base: erp_core::money::Money,
    pub purchase_tax: erp_core::money::Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaxReport {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub lines: Vec<TaxReportLine>,
    /// Output tax less input tax: what is owed to the tax office (negative: to reclaim).
    pub net_tax: erp_core::money::Money,
}
