//! Fiscal years and their periods; a closed period takes no postings.

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
