//! What can be promised: on hand, reserved, available and incoming per item and warehouse,
//! and min/max replenishment suggestions from it.

pub mod dto;
pub mod http;
pub mod service;
