//! Typed ids of CRM records: `Uuid` on the wire, text in the database. A customer is a
//! business partner, so its id is `erp_core::ids::PartnerId`; managers are users (`UserId`).

erp_core::entity_id!(
    /// A contact person of a customer.
    ContactId
);
erp_core::entity_id!(
    /// An interaction with a customer: a call, a meeting, an email, a note.
    InteractionId
);
erp_core::entity_id!(
    /// A stage of the sales pipeline.
    StageId
);
erp_core::entity_id!(
    /// A deal in the sales pipeline.
    DealId
);
erp_core::entity_id!(
    /// A task (a reminder, a call to make) assigned to a user.
    TaskId
);
erp_core::entity_id!(
    /// An automation rule of the pipeline.
    RuleId
);
erp_core::entity_id!(
    /// A webhook subscription.
    WebhookId
);
erp_core::entity_id!(
    /// A sales order.
    SalesOrderId
);
erp_core::entity_id!(
    /// A sales target of a manager for a period.
    TargetId
);
erp_core::entity_id!(
    /// A support ticket or complaint.
    TicketId
);
erp_core::entity_id!(
    /// A saved segment of customers.
    SegmentId
);
erp_core::entity_id!(
    /// A campaign sent to a segment.
    CampaignId
);
erp_core::entity_id!(
    /// A quote (an offer) on a deal.
    QuoteId
);
erp_core::entity_id!(
    /// A sales team.
    TeamId
);
erp_core::entity_id!(
    /// A document attached to a customer record.
    DocumentId
);
erp_core::entity_id!(
    /// A customer's account on the self-service portal.
    PortalAccountId
);
erp_core::entity_id!(
    /// A message template of notifications.
    TemplateId
);
erp_core::entity_id!(
    /// A notification sent (or to send) to a customer.
    NotificationId
);
