//! Analytics as API reports: the pipeline by stage with conversion, and managers' results
//! with the quality of the data they keep.

pub mod chart;
pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
