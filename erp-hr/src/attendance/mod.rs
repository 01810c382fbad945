//! Attendance: check-in and check-out by the employee, a time terminal (a user with an API
//! key and `hr.attendance.terminal`) or HR; daily totals against the calendar with overtime
//! by rule, missing check-outs and absence without leave flagged.

pub mod daily;
pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
mod roster;
pub mod service;
