//! Journal entries: balanced by construction, posted with a gapless number into an open
//! period, never changed after posting (a correction is a reversal), and the balance caches
//! kept in the same transaction.

pub mod builder;
mod draft;
pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
