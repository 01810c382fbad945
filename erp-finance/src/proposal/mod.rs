//! The payment run: which supplier bills to pay on a date (those due by then, and those whose
//! early-payment discount is still open), and paying them in one go: a supplier payment per
//! supplier, allocated to its bills with the discounts taken, all or nothing.

pub mod dto;
pub mod http;
pub mod service;
