//! The gateway: configuration, application assembly, middleware, the OpenAPI document.

pub mod app;
pub mod config;
mod dashboard;
pub mod demo;
pub mod examples;
mod forecast;
mod health;
mod jobs;
mod metrics;
mod middleware;
pub mod openapi;
mod timesheet;

pub use app::{openapi_document, Application};
pub use config::{ConfigArgs, Settings};
