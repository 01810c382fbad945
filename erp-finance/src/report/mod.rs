//! Statements read from the balance caches, so their cost does not grow with the number of
//! posted lines: the trial balance, and the general ledger of an account.

pub mod csv;
pub mod dto;
pub mod http;
mod ledger;
pub mod repo;
pub mod service;
