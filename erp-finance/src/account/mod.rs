//! The chart of accounts: a tree of accounts per company.

pub mod chart;
pub mod dto;
pub mod http;
pub mod import;
pub mod model;
pub mod repo;
pub mod service;
