//! Targets per manager, metric and period, with progress computed from what was recorded.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
