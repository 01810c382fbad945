use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::address::Address;
use crate::ids::{BranchId, CompanyId};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBranchRequest {
    pub id: Option<BranchId>,
    /// Unique in the company, e.g. BER.
    pub code: String,
    pub name: String,
    /// Defaults to the company's currency.
    pub currency: Option<String>,
    /// Defaults to the company's time zone.
    pub time_zone: Option<String>,
    #[serde(default)]
    pub address: Address,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBranchRequest {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub time_zone: Option<String>,
    pub address: Option<Address>,
    pub active: Option<bool>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BranchResponse {
    pub id: BranchId,
    pub company_id: CompanyId,
    pub code: String,
    pub name: String,
    pub currency: String,
    pub time_zone: String,
    pub address: Address,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

crate::page_type!(BranchPage, BranchResponse);
