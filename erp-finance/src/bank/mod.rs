//! Bank and cash: statements imported from the bank (typed, CSV with a column mapping, ISO
//! 20022 camt.053), match proposals (reference, amount, partner), reconciliation of each line
//! with payments, invoices paid on the spot and direct postings, in part and many to one, and
//! the unreconciled items of an account.

pub mod dto;
pub mod http;
pub mod model;
pub mod parse;
mod reconcile;
pub mod repo;
pub mod service;
