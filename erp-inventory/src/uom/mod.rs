//! Units of measure, conversions between them (kg = 1000 g), and item categories.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
