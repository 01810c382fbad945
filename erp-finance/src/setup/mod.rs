//! Setting a company up for bookkeeping: the default chart, the journals, a fiscal year.

pub mod dto;
pub mod http;
pub mod service;
