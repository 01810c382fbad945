//! Transfers between warehouses, also of different branches: shipped into the sender's
//! transit location, received (possibly in part) at the destination, the difference
//! reported, and written off on close if asked.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
