//! The customer self-service portal: accounts tied to one customer log in for a
//! customer-scoped token and see that customer's orders, their status and tickets, and
//! open tickets. Staff manage the accounts from the customer card.

pub mod auth;
pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
