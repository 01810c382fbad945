use chrono::{DateTime, Utc};
use erp_core::money::Percent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::PaymentTermsId;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePaymentTermsRequest {
    pub id: Option<PaymentTermsId>,
    /// Unique in the company: `NET30`, `2-10-NET30`.
    pub code: String,
    pub name: String,
    /// Days from the invoice date to the due date, 0 to 3650.
    pub net_days: i32,
    /// Days from the invoice date within which the discount applies (0: no discount); at
    /// most `net_days`.
    #[serde(default)]
    pub discount_days: i32,
    /// Percent of the total granted for paying within `discount_days`, under 100.
    pub discount_rate: Option<Percent>,
    /// Instalments (2 to 12): shares of the total adding up to 100 percent, due on ascending
    /// days after the invoice date, the last on `net_days`. Default: all due on `net_days`.
    pub instalments: Option<Vec<TermsInstalment>>,
}

/// One instalment of payment terms.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsInstalment {
    /// Percent of the total, more than 0.
    pub percent: Percent,
    /// Days from the invoice date, 0 to 3650.
    pub days: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentTermsResponse {
    pub id: PaymentTermsId,
    pub code: String,
    pub name: String,
    pub net_days: i32,
    pub discount_days: i32,
    pub discount_rate: Percent,
    /// Empty when all is due on `net_days`.
    pub instalments: Vec<TermsInstalment>,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(PaymentTermsPage, PaymentTermsResponse);
