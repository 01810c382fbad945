pub mod admin;
pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
