//! Journals: the books entries are posted in, each numbering its entries without gaps.

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
