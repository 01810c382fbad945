pub mod dto;
pub mod http;
pub mod service;
pub mod svg;
