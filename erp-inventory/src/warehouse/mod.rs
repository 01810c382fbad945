//! Warehouses (each belongs to a branch) and their location trees.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
