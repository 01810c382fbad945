use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::address::Address;
use crate::ids::CompanyId;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCompanyRequest {
    pub id: Option<CompanyId>,
    /// Short unique code, e.g. ACME.
    pub code: String,
    pub name: String,
    /// Base currency (ISO 4217).
    pub currency: String,
    /// IANA time zone, e.g. Europe/Berlin.
    pub time_zone: String,
    #[serde(default)]
    pub address: Address,
    pub tax_id: Option<String>,
    /// How many days back a stock move may be dated, 0 to 3660 (default 31); a closed
    /// fiscal period refuses moves dated in it whatever this says.
    #[schema(minimum = 0, maximum = 3660)]
    pub stock_backdate_days: Option<i32>,
}

/// Changes to a company; absent fields stay as they are. `address` replaces the address.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCompanyRequest {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub time_zone: Option<String>,
    pub address: Option<Address>,
    pub tax_id: Option<String>,
    pub active: Option<bool>,
    #[schema(minimum = 0, maximum = 3660)]
    pub stock_backdate_days: Option<i32>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompanyResponse {
    pub id: CompanyId,
    pub code: String,
    pub name: String,
    pub currency: String,
    pub time_zone: String,
    pub address: Address,
    pub tax_id: Option<String>,
    pub active: bool,
    /// How many days back a stock move may be dated.
    pub stock_backdate_days: i32,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

crate::page_type!(CompanyPage, CompanyResponse);
