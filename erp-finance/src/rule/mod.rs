//! Account determination as data: the account each business event posts to, by default or
//! for one warehouse or item category. Missing configuration refuses the business event
//! with the name of what to configure; nothing is ever posted to a suspense account.

pub mod dto;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;
