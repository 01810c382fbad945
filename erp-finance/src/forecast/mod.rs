//! The cash-flow forecast by week: cash today, then what open receivables and payables bring
//! and take by their due dates, with what other modules expect (open sales and purchase
//! orders, planned purchases, the weighted sales pipeline) as lines that say where they come
//! from. Finance knows none of those modules: the gateway collects their [`CashItem`]s and
//! [`service::forecast`] puts everything into weeks.

pub mod chart;
pub mod dto;
pub mod service;
