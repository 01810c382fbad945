//! Typed ids of finance records: `Uuid` on the wire, text in the database.

erp_core::entity_id!(
    /// An account of the chart of accounts.
    AccountId
);
erp_core::entity_id!(
    /// A fiscal period (a month of a fiscal year).
    PeriodId
);
erp_core::entity_id!(
    /// A journal (general, sales, bank, ...).
    JournalId
);
erp_core::entity_id!(
    /// A journal entry.
    EntryId
);
