//! The states CRM rows hold, stored as text and sent under the same names. They sit below
//! every module (the rows in `model.rs` hold them; each module's `dto` re-exports its own).

erp_core::text_enum! {
    pub enum CustomerStatus {
        Lead = "lead",
        Prospect = "prospect",
        Customer = "customer",
        Inactive = "inactive",
        Lost = "lost",
    }
}

erp_core::text_enum! {
    pub enum DealStatus {
        Open = "open",
        Won = "won",
        Lost = "lost",
    }
}

erp_core::text_enum! {
    pub enum TaskStatus {
        Open = "open",
        Done = "done",
        Cancelled = "cancelled",
    }
}

erp_core::text_enum! {
    /// Where a delivery stands: waiting (for its first or next attempt), delivered, or given up
    /// after the last attempt.
    pub enum DeliveryStatus {
        Pending = "pending",
        Delivered = "delivered",
        Failed = "failed",
    }
}

erp_core::text_enum! {
    pub enum OrderStatus {
        Draft = "draft",
        Confirmed = "confirmed",
        PartiallyDelivered = "partially_delivered",
        Delivered = "delivered",
        Cancelled = "cancelled",
    }
}

erp_core::text_enum! {
    pub enum TicketStatus {
        Open = "open",
        Resolved = "resolved",
    }
}

erp_core::text_enum! {
    pub enum QuoteStatus {
        Draft = "draft",
        Sent = "sent",
        Accepted = "accepted",
        Rejected = "rejected",
        /// A sales order was made from it.
        Ordered = "ordered",
    }
}

erp_core::text_enum! {
    pub enum StageKind {
        Open = "open",
        Won = "won",
        Lost = "lost",
    }
}
