//! Reservations: stock promised to a document. Available (on hand - reserved) never goes
//! below zero, whatever the number of clients or server processes.

pub mod dto;
pub mod http;
pub mod service;

/// The reservations' table, kept by the stock ledger because a posting consumes them.
pub use crate::stock::repo::reservations as repo;
