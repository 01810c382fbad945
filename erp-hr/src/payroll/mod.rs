//! Payroll: pay components as data (earnings, deductions and employer contributions, each a
//! parameterised kind of rule: salary, hourly pay, overtime, unpaid leave, fixed, percent,
//! progressive brackets), pay runs per branch and month computed from contracts, attendance
//! and leave, approved, and posted to the ledger in one entry; payslips with every line and
//! its basis.

mod component;
pub mod dto;
pub mod engine;
mod facts;
pub mod forecast;
pub mod http;
mod lifecycle;
pub mod model;
mod month;
mod payslip;
pub mod print;
pub mod repo;
pub mod service;
mod slip;
pub mod structure;
