//! Outbound webhooks. An event is written to the outbox in the transaction of the change
//! that causes it, with one delivery per subscribed webhook; the dispatcher (a loop the
//! server runs) posts due deliveries, signed with HMAC-SHA256, and retries failures with
//! exponential backoff. Nothing is lost when the server stops: what is not delivered is
//! still in the table when it starts again. Each delivery carries the event id, so a
//! receiver that keeps the ids it has seen sees every event exactly once.

pub mod dto;
pub mod http;
pub mod repo;
pub mod service;
