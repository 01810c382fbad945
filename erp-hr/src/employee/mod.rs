//! Employees: hiring (a person among the business partners, optionally a user), transfers
//! between branches, departments and positions with their dates, termination with a reason,
//! and the employee's own view of their record and their team.
//!
//! An employee's contracts are part of the record (`contract`): hiring makes the first one,
//! the record shows the one in force, and every contract rule reads the employee.

mod checks;
pub mod contract;
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
