//! Purchasing: supplier prices, purchase orders and their receipts, which post receipt moves
//! at the order price.

pub mod bill;
pub mod budget;
pub mod dto;
pub mod forecast;
pub mod http;
pub mod price;
pub mod print;
pub mod receive;
pub mod repo;
pub mod service;
