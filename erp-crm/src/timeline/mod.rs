//! A customer's whole history in one list: interactions, deals and their stages, tasks,
//! quotes, orders, tickets, and (for readers with the finance rights) invoices and payments.
//! It reads every other CRM module, so none of them depends on it.

pub mod dto;
pub mod http;
pub mod service;
