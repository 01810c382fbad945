//! Inbound integrations: the telephony system reports calls, the web site's form sends
//! leads, the mail gateway hands over received e-mails. All are meant for API keys with the
//! `crm.inbound` permission.

pub mod dto;
pub mod email;
pub mod http;
pub mod repo;
pub mod service;
