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
erp_core::entity_id!(
    /// One line of a journal entry.
    EntryLineId
);
erp_core::entity_id!(
    /// A tax rate (VAT, sales tax, withholding).
    TaxId
);
erp_core::entity_id!(
    /// A tax group: several taxes charged together on a line.
    TaxGroupId
);
erp_core::entity_id!(
    /// Payment terms (net 30, 2/10 net 30).
    PaymentTermsId
);
erp_core::entity_id!(
    /// A customer invoice or credit note, or a supplier bill or debit note.
    InvoiceId
);
erp_core::entity_id!(
    /// A payment received from a customer or made to a supplier.
    PaymentId
);
erp_core::entity_id!(
    /// One settlement of an invoice by a payment or a credit note.
    AllocationId
);
erp_core::entity_id!(
    /// An imported bank statement.
    BankStatementId
);
erp_core::entity_id!(
    /// One line of a bank statement.
    BankLineId
);
erp_core::entity_id!(
    /// One match of a bank line with a payment or a direct posting.
    ReconciliationId
);
erp_core::entity_id!(
    /// A run revaluing open items in other currencies at a date.
    RevaluationId
);
erp_core::entity_id!(
    /// A budget.
    BudgetId
);
