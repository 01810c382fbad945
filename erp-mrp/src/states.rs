//! The states MRP rows hold, stored as text and sent under the same names. They sit below
//! every module (the rows in `model.rs` hold them; each module's `dto` re-exports its own).

erp_core::text_enum! {
    pub enum BomStatus {
        /// Being written: not used by planning, lines may change.
        Draft = "draft",
        /// The one BOM planning and production use for the item.
        Active = "active",
        /// Replaced; kept for history.
        Obsolete = "obsolete",
    }
}

erp_core::text_enum! {
    /// Where independent demand comes from. Per item and bucket, the master production schedule
    /// is the demand when it has entries; otherwise the larger of forecast and confirmed sales
    /// (sales orders consume the forecast).
    pub enum DemandKind {
        Mps = "mps",
        Forecast = "forecast",
        SalesOrder = "sales_order",
    }
}

erp_core::text_enum! {
    pub enum RunStatus {
        Running = "running",
        Succeeded = "succeeded",
        Failed = "failed",
    }
}

erp_core::text_enum! {
    pub enum PlannedOrderKind {
        Make = "make",
        Buy = "buy",
        /// A phantom's pass-through, listed only on request; never firmed or released.
        Phantom = "phantom",
    }
}

/// The kind of the orders an item's procurement plans (a phantom's are set apart).
impl From<erp_inventory::item::dto::Procurement> for PlannedOrderKind {
    fn from(p: erp_inventory::item::dto::Procurement) -> Self {
        match p {
            erp_inventory::item::dto::Procurement::Make => PlannedOrderKind::Make,
            erp_inventory::item::dto::Procurement::Buy => PlannedOrderKind::Buy,
        }
    }
}

erp_core::text_enum! {
    pub enum PlannedOrderStatus {
        /// Made by the run; the next run replaces it.
        Planned = "planned",
        /// Fixed by a planner: the run keeps it and plans around it.
        Firm = "firm",
    }
}

erp_core::text_enum! {
    pub enum ProductionStatus {
        /// Components reserved, nothing done yet.
        Released = "released",
        /// Components issued, operations reported or output received.
        InProgress = "in_progress",
        /// All the quantity received.
        Completed = "completed",
        /// Finished with: what is left reserved is released, costs are final.
        Closed = "closed",
        Cancelled = "cancelled",
    }
}

erp_core::text_enum! {
    /// Where an operation of a production order is.
    pub enum OperationStatus {
        /// Nothing reported yet.
        Pending = "pending",
        /// Quantities or hours reported, not finished.
        InProgress = "in_progress",
        /// Finished: no more reports.
        Done = "done",
    }
}
