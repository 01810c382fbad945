//! What partners owe and are owed at any date: the aging of open invoices and bills by days
//! past due, and a partner's statement with its running balance. Both are computed from the
//! documents and the allocations dated up to that date, so any past date can be asked.

pub mod chart;
pub mod dto;
pub mod http;
pub mod service;
mod statement;
