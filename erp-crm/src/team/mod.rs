//! Sales teams: a lead and members. The lead reaches the members' customers, deals, tasks
//! and reports as their own; lead assignment may draw from one team.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
