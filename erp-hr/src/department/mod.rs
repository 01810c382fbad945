//! Departments: a tree per branch, each with an optional manager (an employee) and the cost
//! center its salaries are posted to.

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
