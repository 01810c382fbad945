//! Service after the sale: complaints and service tickets with owner, SLA and resolution.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
