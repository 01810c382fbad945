pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
mod stage_move;
