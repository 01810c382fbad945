//! Files attached to customers, deals, sales orders and tickets, with size and type limits.
//! Access follows the customer the record belongs to.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
