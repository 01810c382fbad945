//! Stock counts: a full or cycle count of a warehouse (or some of its locations, or the
//! items of one ABC class), counted quantities entered, differences posted as adjustment
//! moves on approval.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
