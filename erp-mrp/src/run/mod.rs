pub mod dto;
pub mod forecast;
pub mod horizon;
pub mod http;
pub mod input;
pub mod plan;
pub mod repo;
pub mod service;
