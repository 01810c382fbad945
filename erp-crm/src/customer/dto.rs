use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::{PartnerId, UserId};
use erp_core::money::Money;
use erp_core::partner::dto::{CreatePartnerRequest, PartnerResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::ContactId;

pub use crate::states::CustomerStatus;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    pub name: String,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notes: Option<String>,
}

/// A customer card in one request: a new business partner (`partner`) or an existing one
/// (`partner_id`), with what sales knows of it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCustomerRequest {
    pub partner_id: Option<PartnerId>,
    pub partner: Option<CreatePartnerRequest>,
    /// Default `lead`.
    pub status: Option<CustomerStatus>,
    /// Where the customer came from: "web form", "fair 2027", "referral".
    pub source: Option<String>,
    /// The responsible manager (default: whoever creates the card).
    pub owner_id: Option<UserId>,
    pub segment: Option<String>,
    pub region: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Free "what we know": preferences, habits, brands they are loyal to.
    pub attributes: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    pub contacts: Vec<ContactInput>,
}

/// Changes to the card; absent fields stay; `tags` and `attributes` replace.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomerRequest {
    pub status: Option<CustomerStatus>,
    pub source: Option<String>,
    pub owner_id: Option<UserId>,
    pub segment: Option<String>,
    pub region: Option<String>,
    pub tags: Option<Vec<String>>,
    pub attributes: Option<serde_json::Map<String, serde_json::Value>>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ContactResponse {
    pub id: ContactId,
    pub name: String,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notes: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

/// Corrects a contact person: the fields given change; `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateContactRequest {
    pub version: Option<i64>,
    pub name: Option<String>,
    #[serde(default, deserialize_with = "erp_core::http::present")]
    #[schema(value_type = Option<String>, nullable)]
    pub job_title: Option<Option<String>>,
    #[serde(default, deserialize_with = "erp_core::http::present")]
    #[schema(value_type = Option<String>, nullable)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "erp_core::http::present")]
    #[schema(value_type = Option<String>, nullable)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "erp_core::http::present")]
    #[schema(value_type = Option<String>, nullable)]
    pub notes: Option<Option<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CustomerSummary {
    pub open_deals: i64,
    pub open_deals_value: Money,
    pub won_deals: i64,
    pub open_tasks: i64,
    pub overdue_tasks: i64,
    pub interactions: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CustomerResponse {
    /// The business partner's id.
    pub id: PartnerId,
    pub partner: PartnerResponse,
    pub status: CustomerStatus,
    pub source: Option<String>,
    pub owner_id: Option<UserId>,
    pub segment: Option<String>,
    pub region: Option<String>,
    pub tags: Vec<String>,
    pub attributes: serde_json::Map<String, serde_json::Value>,
    pub contacts: Vec<ContactResponse>,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub summary: CustomerSummary,
    /// The customer's account today: balance, aging and open invoices. On the card itself
    /// (`GET /crm/customers/{id}`) for those who may read invoices (`finance.invoice.read`);
    /// absent elsewhere.
    pub account: Option<erp_finance::aging::dto::PartnerPosition>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerListQuery {
    pub status: Option<CustomerStatus>,
    pub owner_id: Option<UserId>,
    pub tag: Option<String>,
    pub segment: Option<String>,
    pub region: Option<String>,
    /// No interaction since this date (or none at all).
    pub no_contact_since: Option<NaiveDate>,
    /// Data quality: only cards without a phone, without an e-mail or without contact people,
    /// the ones the managers report counts, to fix them.
    #[param(inline)]
    pub missing: Option<MissingData>,
}

/// What a card lacks, for the data-quality filter of the customer list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingData {
    Phone,
    Email,
    Contacts,
}

erp_core::page_type!(CustomerPage, CustomerResponse);

/// Customer cards to create together: all of them or, when any is refused, none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCustomersRequest {
    #[schema(min_items = 1, max_items = 1000)]
    pub customers: Vec<CreateCustomerRequest>,
}

/// The customer cards a bulk create made, in the order of the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CustomerBatch {
    pub customers: Vec<CustomerResponse>,
}
