//! The sales pipeline's stages, each with its probability and kind (open, won, lost). Deals
//! move through them; automation rules and the reports read them.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
