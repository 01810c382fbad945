//! Payments received from customers and made to suppliers: posted into the ledger at once
//! (bank against receivable or payable), allocated to invoices and bills then or later;
//! what is not allocated stays as the partner's credit (an overpayment or an advance).

mod batch;
pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
