//! Files attached to customers, deals, sales orders and tickets, with size and type limits.
//! Access follows the customer the record belongs to.

pub mod http;
pub mod service;
