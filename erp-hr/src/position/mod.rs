//! Positions: a job title in a department with a grade and a planned head count; how many
//! are filled is counted from the current employees holding it.

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
