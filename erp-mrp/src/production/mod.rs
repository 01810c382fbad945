pub mod dto;
pub mod http;
pub mod output;
pub mod posting;
pub mod repo;
pub mod service;
