//! Exchange rates by date, typed or imported from CSV, and conversion into the company's
//! currency at the rate in force on a date (the latest on or before it). Documents in other
//! currencies build on this.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
