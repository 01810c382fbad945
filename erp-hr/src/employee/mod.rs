//! Employees: hiring (a person among the business partners, optionally a user), transfers
//! between branches, departments and positions with their dates, termination with a reason,
//! and the employee's own view of their record and their team.

mod checks;
pub mod dto;
pub mod export;
pub mod http;
pub mod iban;
pub mod import;
pub mod model;
mod own;
pub mod repo;
pub mod service;
mod transfer;
