//! Telling customers what happens to their orders: message templates per event and channel,
//! rendered into notifications that go out through the outbox to the company's SMS or e-mail
//! gateway (a webhook subscribed to `notification.sms` or `notification.email`).

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
