//! Typed ids of inventory records: `Uuid` on the wire, text in the database.

erp_core::entity_id!(
    /// An item: a good or a service the company buys, makes, keeps or sells.
    ItemId
);
erp_core::entity_id!(
    /// A unit of measure.
    UomId
);
erp_core::entity_id!(
    /// A category of items, in a tree.
    ItemCategoryId
);
erp_core::entity_id!(
    /// A warehouse of a branch.
    WarehouseId
);
erp_core::entity_id!(
    /// A location (a bin, a shelf, a zone) inside a warehouse, in a tree.
    LocationId
);
erp_core::entity_id!(
    /// A posted stock move: one line of the append-only stock ledger.
    MoveId
);
erp_core::entity_id!(
    /// A reservation of stock at a location.
    ReservationId
);
erp_core::entity_id!(
    /// A supplier's price for an item.
    SupplierPriceId
);
erp_core::entity_id!(
    /// A purchase order.
    PurchaseOrderId
);
erp_core::entity_id!(
    /// A line of a purchase order.
    PurchaseOrderLineId
);
erp_core::entity_id!(
    /// A transfer order between two warehouses.
    TransferId
);
erp_core::entity_id!(
    /// A line of a transfer order.
    TransferLineId
);
erp_core::entity_id!(
    /// A stock count session of a warehouse.
    CountId
);
erp_core::entity_id!(
    /// A counted line (an item at a location) of a stock count.
    CountLineId
);
