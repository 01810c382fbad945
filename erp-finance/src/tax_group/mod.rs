//! Tax groups: several taxes charged together on one line (VAT with a withholding, a federal
//! and a state sales tax, a compound tax on tax). A line names a tax or a group; each member
//! is computed, posted to its own account and reported under its own rate.

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
