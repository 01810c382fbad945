//! Quotes from a deal: item lines with prices and discounts, sent, accepted or rejected, and
//! turned into a sales order carrying the same lines.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
