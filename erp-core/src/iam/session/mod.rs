//! Login sessions: access tokens (JWT) and rotating refresh tokens.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
pub mod throttle;
