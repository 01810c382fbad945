//! Targets per manager, metric and period, with progress computed from what was recorded.

pub mod http;
pub mod service;
