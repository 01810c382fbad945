//! Unrealised exchange differences: revaluing what is open in other currencies at a date.

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
