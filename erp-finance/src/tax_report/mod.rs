//! The tax report: base and tax by rate over a range, from the posted documents' tax lines
//! (`GET /finance/reports/tax`). It reads taxes and invoices, so it sits above both.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
