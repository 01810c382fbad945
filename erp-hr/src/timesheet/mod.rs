//! Timesheets: hours worked on a day against a project, a customer, a CRM deal or a production
//! order's operation. HR owns the entry and who may book it; the module a target belongs to
//! checks the target and takes the hours (the gateway joins them: `erp-api/src/timesheet.rs`).

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
