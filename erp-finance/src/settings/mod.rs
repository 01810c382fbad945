//! A company's finance settings: where document taxes round, and the difference a payment
//! may leave on an invoice that is written off rather than left open.

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
