use chrono::{DateTime, Utc};
use erp_core::money::Percent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{TaxGroupId, TaxId};
use crate::tax::dto::TaxKind;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxGroupMemberInput {
    /// An active tax of the company, not price-included.
    pub tax_id: TaxId,
    /// A tax on tax: computed on the line's net plus the group's simple taxes that are not
    /// withheld (default false). Not for withholding.
    #[serde(default)]
    pub compound: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTaxGroupRequest {
    pub id: Option<TaxGroupId>,
    /// Unique among the company's tax groups: 1 to 32 letters, digits, `-`, `_`, `.`.
    pub code: String,
    pub name: String,
    /// Two to ten different taxes, at least one of them not compound. The members never
    /// change once documents may use the group: make a new group.
    pub members: Vec<TaxGroupMemberInput>,
}

/// Changes a tax group's name or activity.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTaxGroupRequest {
    pub version: Option<i64>,
    pub name: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaxGroupMemberResponse {
    pub tax_id: TaxId,
    pub code: String,
    pub name: String,
    pub kind: TaxKind,
    pub rate: Percent,
    pub compound: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaxGroupResponse {
    pub id: TaxGroupId,
    pub code: String,
    pub name: String,
    /// In the order their taxes are shown and posted.
    pub members: Vec<TaxGroupMemberResponse>,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(TaxGroupPage, TaxGroupResponse);
