mod contact;
pub mod dto;
pub mod export;
pub mod http;
pub mod import;
pub mod merge;
pub mod repo;
pub mod service;
