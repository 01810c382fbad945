//! Employment contracts: kind, dates, probation, working hours, pay (a monthly salary or an
//! hourly rate in a currency). Contracts of one employee never overlap; an amendment ends the
//! contract the day before it and continues it with the changed terms, so the history of
//! every term stays readable.

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
