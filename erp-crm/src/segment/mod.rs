//! Segments (saved filters over the cards), their members with contact data (JSON or CSV),
//! campaigns to a segment with the responses they got, and cross-selling suggestions from
//! the order history.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
