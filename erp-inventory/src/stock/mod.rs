//! The stock ledger: posted, immutable moves; balances and valuation kept in the same
//! transaction; reversals; on-hand, stock card and valuation queries.

mod apply;
pub mod chart;
pub mod convert;
mod costing;
pub mod dto;
pub mod http;
pub mod ledger;
pub mod model;
pub mod opening;
pub mod post;
pub mod query;
pub mod repo;
pub mod states;
