//! CSV import of items, locations and opening balances (all or nothing, with a report of
//! every rejected row), and CSV export of stock on hand.

pub mod http;
pub mod service;
