//! Invoices of customers and bills of suppliers, with their credit and debit notes: drafted,
//! posted into the ledger in one transaction (receivable or payable, revenue or expense, tax),
//! settled by allocations, cancelled by a reversal while nothing settles them.

mod draft;
mod draft_lines;
pub mod dto;
pub mod http;
pub mod model;
pub mod posting;
pub mod print;
mod read;
pub mod repo;
pub mod service;
