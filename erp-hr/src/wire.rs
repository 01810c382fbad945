//! Small wire helpers shared by the HR folders.

pub use erp_core::http::present;

/// Today, by the server's clock in UTC: the date "current" assignments are read at.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
