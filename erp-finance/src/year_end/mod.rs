//! The year-end close: a fiscal year's result moved to retained earnings and its periods
//! closed (`POST /finance/fiscal-years/{year}/close`).

pub mod dto;
pub mod http;
pub mod service;
