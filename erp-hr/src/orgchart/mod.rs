//! The org chart: the department tree of the branches the caller sees, each with its
//! manager, its people and its head count planned against filled, as JSON or an SVG image.

pub mod dto;
pub mod http;
pub mod service;
pub mod svg;
