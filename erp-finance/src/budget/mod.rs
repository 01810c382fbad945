//! Budgets, the financial plan: amounts per account, period and branch, drafted, approved,
//! and compared with what was posted.

pub mod chart;
pub mod control;
pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
