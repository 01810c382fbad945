//! Items: what is bought, made, stocked and sold.

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
