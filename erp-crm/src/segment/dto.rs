//! The segments', campaigns' and suggestions' wire types.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::{PartnerId, UserId};
use erp_core::money::Money;
use erp_inventory::ids::ItemId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{CampaignId, SegmentId};
use crate::states::CustomerStatus;

/// How a campaign reaches its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CampaignChannel {
    Email,
    Sms,
    Call,
    Mail,
}

/// What a customer must match to be in a segment; all given filters apply.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentFilters {
    /// Any of these statuses.
    pub statuses: Option<Vec<String>>,
    /// Any of these tags.
    pub tags: Option<Vec<String>>,
    pub region: Option<String>,
    pub segment: Option<String>,
    pub owner_id: Option<UserId>,
    /// No interaction since this date (or none at all).
    pub no_contact_since: Option<NaiveDate>,
    /// Orders (confirmed or delivered) placed in [`orders_from`, `orders_to`) total at least
    /// this much.
    pub min_order_total: Option<Money>,
    pub orders_from: Option<NaiveDate>,
    pub orders_to: Option<NaiveDate>,
    /// Bought (ordered, not cancelled) this item at some time.
    pub bought_item_id: Option<ItemId>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentRequest {
    pub name: String,
    pub filters: SegmentFilters,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SegmentResponse {
    pub id: SegmentId,
    pub name: String,
    pub filters: SegmentFilters,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SegmentList {
    pub items: Vec<SegmentResponse>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Member {
    pub customer_id: PartnerId,
    pub name: String,
    pub status: CustomerStatus,
    pub owner_id: Option<UserId>,
    /// Contact data only with `crm.personal_data.read`.
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MemberList {
    pub segment_id: SegmentId,
    /// In the order they became customers.
    pub items: Vec<Member>,
    /// The cursor of the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignRequest {
    pub segment_id: SegmentId,
    pub name: String,
    pub channel: CampaignChannel,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseRequest {
    pub customer_id: PartnerId,
    /// What came back: `opened`, `replied`, `ordered`, `unsubscribed`... (1 to 50 characters).
    pub response: String,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CampaignResponse {
    pub id: CampaignId,
    pub segment_id: SegmentId,
    pub name: String,
    pub channel: CampaignChannel,
    pub members: i64,
    /// Responses by kind.
    pub responses: BTreeMap<String, i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Suggestion {
    pub item_id: ItemId,
    pub sku: String,
    pub name: String,
    /// Orders in which it was bought together with what the customer (or the quote) has.
    pub together: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SuggestionList {
    /// Most often bought together first, at most 10.
    pub items: Vec<Suggestion>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestRequest {
    /// The items of a quote or basket.
    pub item_ids: Vec<ItemId>,
}
