//! Leave: types with their accrual and carry-over rules, requests counted in working days by
//! the employee's calendar and their branch's holidays, decided by the manager, balances at
//! any date, and the team's leave calendar.

pub mod accrual;
mod balance;
mod decision;
pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
mod types;
