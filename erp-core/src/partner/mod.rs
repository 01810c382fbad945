//! Business partners shared by every module: organisations and persons with addresses,
//! phones and e-mails, tax id, and roles (customer, supplier, employee contact).

pub mod dto;
pub mod http;
pub mod model;
mod phones;
pub mod repo;
pub mod service;
