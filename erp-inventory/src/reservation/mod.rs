//! Reservations: stock promised to a document. Available (on hand - reserved) never goes
//! below zero, whatever the number of clients or server processes.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
