//! Opening balances: a company's trial balance from its former system, loaded in one call as
//! one posted entry (`POST /finance/opening-balances`), accounts named by id or by code, the
//! difference (if any) taken by an offset account the caller names.

pub mod dto;
pub mod http;
pub mod service;
