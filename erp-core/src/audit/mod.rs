//! The audit trail: every create, update and delete records who, when, what, and the
//! before and after values, in the same transaction as the change.

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;

pub use service::{record, record_created, updated, Change};
