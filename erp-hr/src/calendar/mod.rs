//! Working time: work calendars (hours per weekday) and public holidays per branch, and the
//! pure count of working days between two dates that leave is measured in.

pub mod days;
pub mod dto;
mod holiday;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
