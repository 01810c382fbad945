//! Sales orders: draft, confirmed (stock reserved), delivered in part or whole (stock
//! issued), cancelled (reservations released). Lines keep price, discount and total, so
//! finance can invoice them.

pub mod dto;
pub mod http;
pub mod invoicing;
mod lifecycle;
pub mod print;
pub mod repo;
pub mod service;
