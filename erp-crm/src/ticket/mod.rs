//! Service after the sale: complaints and service tickets with owner, SLA and resolution.

pub mod http;
pub mod service;
