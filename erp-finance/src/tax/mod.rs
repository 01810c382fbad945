//! Taxes: rates with their accounts (output tax on sales, input tax on purchases), price
//! included or not, and the arithmetic in `calc`, which has no database.

pub mod calc;
pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
