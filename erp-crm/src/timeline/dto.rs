//! The timeline's wire types.

use chrono::{DateTime, Utc};
use erp_core::ids::{PartnerId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// One entry of the customer's history.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// What happened; invoices, credit notes and payments only for readers with
    /// `finance.invoice.read` and `finance.payment.read`.
    pub kind: TimelineKind,
    /// The interaction kind, the deal stage, the task title...
    pub summary: String,
    /// What `reference_id` names.
    pub reference_type: TimelineReference,
    pub reference_id: Uuid,
    pub user_id: Option<UserId>,
}

/// What a timeline entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    Interaction,
    DealCreated,
    DealChanged,
    DealStage,
    DealWon,
    DealLost,
    TaskCreated,
    TaskDone,
    QuoteCreated,
    QuoteSent,
    QuoteAccepted,
    QuoteRejected,
    QuoteOrdered,
    /// A sales order was created.
    Order,
    OrderConfirmed,
    OrderPartiallyDelivered,
    OrderDelivered,
    OrderInvoiced,
    OrderCancelled,
    Timesheet,
    ComplaintOpened,
    ServiceOpened,
    TicketResolved,
    Invoice,
    CreditNote,
    InvoiceCancelled,
    CreditNoteCancelled,
    Payment,
}

/// The kind of record a timeline entry points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimelineReference {
    Interaction,
    Deal,
    Task,
    Quote,
    SalesOrder,
    Timesheet,
    Ticket,
    Invoice,
    Payment,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Timeline {
    pub customer_id: PartnerId,
    /// Oldest first: the whole history from the first contact on.
    pub entries: Vec<TimelineEntry>,
}
