//! Typed ids of planning and production records: `Uuid` on the wire, text in the database.

erp_core::entity_id!(
    /// A work center: a machine or a crew with a capacity per day.
    WorkCenterId
);
erp_core::entity_id!(
    /// A bill of materials of an item, in one of its versions.
    BomId
);
erp_core::entity_id!(
    /// A component line of a bill of materials.
    BomLineId
);
erp_core::entity_id!(
    /// An operation of an item's routing, at a work center.
    RoutingOperationId
);
erp_core::entity_id!(
    /// An independent demand (a master schedule entry or a forecast) for an item.
    DemandId
);
erp_core::entity_id!(
    /// An MRP run.
    RunId
);
erp_core::entity_id!(
    /// A planned order: proposed by a run, or firmed by a planner.
    PlannedOrderId
);
erp_core::entity_id!(
    /// An action message of a run (expedite, defer, cancel, ...).
    ActionMessageId
);
erp_core::entity_id!(
    /// A production order.
    ProductionOrderId
);
