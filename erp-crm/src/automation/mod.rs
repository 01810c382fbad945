//! Automation ("when this happens, do that") and the assignment of new leads to managers.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
