//! Rows of the CRM tables.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use erp_core::db::schema::*;
use erp_core::ids::UserId;
use erp_finance::ids::InvoiceId;
use erp_inventory::ids::{ItemId, LocationId};

use crate::ids::TeamId;
use crate::states::{
    CustomerStatus, DealStatus, DeliveryStatus, OrderStatus, QuoteStatus, StageKind, TaskStatus,
    TicketStatus,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_customers)]
pub struct CustomerRow {
    pub partner_id: String,
    pub company_id: String,
    pub status: CustomerStatus,
    pub source: Option<String>,
    pub owner_id: Option<String>,
    pub segment: Option<String>,
    pub region: Option<String>,
    pub tags: String,
    pub attributes: String,
    pub last_contact_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_contacts)]
pub struct ContactRow {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    pub phone_normalized: Option<String>,
    pub email: Option<String>,
    pub email_normalized: Option<String>,
    pub notes: Option<String>,
    pub created_at: NaiveDateTime,
    pub version: i64,
    pub updated_at: Option<NaiveDateTime>,
    /// Removed from the card; the name stays for the history that names the person.
    pub removed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_call_outcomes)]
pub struct OutcomeRow {
    pub id: String,
    pub company_id: String,
    pub code: String,
    pub label: String,
    pub active: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_interactions)]
pub struct InteractionRow {
    pub id: String,
    pub company_id: String,
    pub customer_id: String,
    pub kind: String,
    pub occurred_at: NaiveDateTime,
    pub user_id: String,
    pub contact_id: Option<String>,
    pub direction: Option<String>,
    pub duration_seconds: Option<i32>,
    pub outcome: Option<String>,
    pub topic: Option<String>,
    pub result: Option<String>,
    pub body: Option<String>,
    pub deal_id: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_stages)]
pub struct StageRow {
    pub id: String,
    pub company_id: String,
    pub code: String,
    pub name: String,
    pub position: i32,
    pub probability: i64,
    pub kind: StageKind,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_deals)]
pub struct DealRow {
    pub id: String,
    pub company_id: String,
    pub customer_id: String,
    pub title: String,
    pub value: i64,
    pub currency: String,
    pub expected_close: Option<NaiveDate>,
    pub owner_id: String,
    pub stage_id: String,
    pub status: DealStatus,
    pub lost_reason: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_deal_stages)]
pub struct DealStageRow {
    pub id: String,
    pub deal_id: String,
    pub from_stage_id: Option<String>,
    pub to_stage_id: String,
    pub changed_at: NaiveDateTime,
    pub user_id: String,
}

/// One field of a deal changed, besides its stage.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_deal_changes)]
pub struct DealChangeRow {
    pub id: String,
    pub deal_id: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub changed_at: NaiveDateTime,
    pub user_id: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_tasks)]
pub struct TaskRow {
    pub id: String,
    pub company_id: String,
    pub customer_id: Option<String>,
    pub deal_id: Option<String>,
    pub assignee_id: String,
    pub title: String,
    pub notes: Option<String>,
    pub due_at: NaiveDateTime,
    pub rule_id: Option<String>,
    pub reminded_at: Option<NaiveDateTime>,
    pub priority: String,
    pub status: TaskStatus,
    pub done_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_rules)]
pub struct RuleRow {
    pub id: String,
    pub company_id: String,
    pub trigger_kind: String,
    pub stage_id: Option<String>,
    pub days: i32,
    pub task_title: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_assignment)]
pub struct AssignmentRow {
    pub company_id: String,
    pub strategy: String,
    pub members: String,
    pub next_index: i32,
    pub updated_at: NaiveDateTime,
    pub team_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_webhooks)]
pub struct WebhookRow {
    pub id: String,
    pub company_id: String,
    pub url: String,
    pub secret: String,
    pub event_types: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_outbox)]
pub struct OutboxRow {
    pub id: String,
    pub company_id: String,
    pub event_type: String,
    pub payload: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub event_id: String,
    pub webhook_id: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub delivered_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_sales_orders)]
pub struct SalesOrderRow {
    pub id: String,
    pub company_id: String,
    pub number: String,
    pub customer_id: String,
    pub deal_id: Option<String>,
    pub location_id: LocationId,
    pub status: OrderStatus,
    pub currency: String,
    pub total: i64,
    pub notes: Option<String>,
    pub version: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// `delivered` or `ordered`: what may be invoiced.
    pub invoice_policy: String,
}

/// An order line an invoice bills, and how much of it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_order_invoice_lines)]
pub struct OrderInvoiceLineRow {
    pub invoice_id: InvoiceId,
    pub order_id: String,
    pub line_no: i32,
    /// Qty ×10⁶.
    pub quantity: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_sales_order_lines)]
pub struct SalesOrderLineRow {
    pub id: String,
    pub order_id: String,
    pub line_no: i32,
    pub item_id: ItemId,
    pub quantity: i64,
    pub unit_price: i64,
    pub discount_percent: i64,
    pub line_total: i64,
    pub delivered_quantity: i64,
    pub reservation_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_targets)]
pub struct TargetRow {
    pub id: String,
    pub company_id: String,
    pub user_id: String,
    pub metric: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub target: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_tickets)]
pub struct TicketRow {
    pub id: String,
    pub company_id: String,
    pub customer_id: String,
    pub order_id: Option<String>,
    pub kind: String,
    pub subject: String,
    pub description: Option<String>,
    pub cause: Option<String>,
    pub priority: String,
    pub status: TicketStatus,
    pub owner_id: String,
    pub sla_due_at: NaiveDateTime,
    pub resolution: Option<String>,
    pub resolved_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_segments)]
pub struct SegmentRow {
    pub id: String,
    pub company_id: String,
    pub name: String,
    pub filters: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_campaigns)]
pub struct CampaignRow {
    pub id: String,
    pub company_id: String,
    pub segment_id: String,
    pub name: String,
    pub channel: String,
    pub members: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_campaign_responses)]
pub struct CampaignResponseRow {
    pub id: String,
    pub campaign_id: String,
    pub customer_id: String,
    pub response: String,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_quotes)]
pub struct QuoteRow {
    pub id: String,
    pub company_id: String,
    pub number: String,
    pub deal_id: String,
    pub customer_id: String,
    pub status: QuoteStatus,
    pub currency: String,
    pub valid_until: Option<NaiveDate>,
    pub total: i64,
    pub notes: Option<String>,
    pub order_id: Option<String>,
    pub version: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_quote_lines)]
pub struct QuoteLineRow {
    pub id: String,
    pub quote_id: String,
    pub line_no: i32,
    pub item_id: ItemId,
    pub quantity: i64,
    pub unit_price: i64,
    pub discount_percent: i64,
    pub line_total: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_teams)]
pub struct TeamRow {
    pub id: TeamId,
    pub company_id: String,
    pub name: String,
    pub lead_id: UserId,
    pub created_at: NaiveDateTime,
}

/// A document without its content (lists, access checks); the bytes are read on download.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_documents)]
pub struct DocumentInfo {
    pub id: String,
    pub company_id: String,
    pub entity_type: String,
    pub entity_id: String,
    pub customer_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_portal_accounts)]
pub struct PortalAccountRow {
    pub id: String,
    pub company_id: String,
    pub customer_id: String,
    pub login: String,
    pub name: String,
    pub password_hash: String,
    pub active: bool,
    pub last_login_at: Option<NaiveDateTime>,
    pub failed_logins: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_message_templates)]
pub struct MessageTemplateRow {
    pub id: String,
    pub company_id: String,
    pub event: String,
    pub channel: String,
    pub subject: Option<String>,
    pub body: String,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crm_notifications)]
pub struct NotificationRow {
    pub id: String,
    pub company_id: String,
    pub customer_id: String,
    pub order_id: Option<String>,
    pub event: String,
    pub channel: String,
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    pub outbox_id: Option<String>,
    pub skipped_reason: Option<String>,
    pub created_at: NaiveDateTime,
}
