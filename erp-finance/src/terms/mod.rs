//! Payment terms: how many days an invoice runs (net 30) and the discount for paying early
//! (2/10: 2 % within 10 days). An invoice takes its due date and discount from them.

pub mod dto;
pub mod http;
pub mod instalment;
pub mod model;
pub mod repo;
pub mod service;
