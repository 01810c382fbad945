//! API keys for integrations: `erpk_<prefix>_<secret>`, stored as a SHA-256 hash, acting as
//! their owner with at most the owner's permissions, optionally narrowed to scopes.

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
