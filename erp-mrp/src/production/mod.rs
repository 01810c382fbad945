mod closing;
pub mod dto;
mod floor;
pub mod http;
pub mod output;
pub mod posting;
pub mod repo;
pub mod service;
