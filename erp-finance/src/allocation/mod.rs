//! Allocations: what settles an invoice or bill. A payment or a credit (debit) note settles
//! part or all of a document; an early-payment discount or a small written-off difference
//! settles more than the money moved, and posts its own entry. Both sides are reduced by
//! guarded updates in one transaction, so concurrent allocations never settle more than a
//! document's total or spend more than a payment's amount.
//!
//! The invoice and payment modules use this one, never the reverse: an allocation reads the
//! document it settles as its own narrow row (`model::OpenDocument`) and changes only the
//! open amounts of invoices and payments (`repo.rs`). `checks.rs` holds what an allocation
//! must satisfy, `difference.rs` what it is worth in company currency and the entry of its
//! discount, write-off and exchange difference.

pub mod checks;
mod difference;
pub mod dto;
pub mod model;
pub mod repo;
pub mod service;
