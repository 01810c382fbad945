use chrono::NaiveDate;
use erp_core::money::Money;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Where a forecast line comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CashSource {
    /// An open customer invoice, by its due date.
    Receivable,
    /// An open supplier bill, by its due date.
    Payable,
    /// What a sales order has not invoiced yet.
    SalesOrder,
    /// What a purchase order has not billed yet.
    PurchaseOrder,
    /// A purchase MRP plans.
    PlannedPurchase,
    /// An open deal, weighted by its stage's probability.
    Pipeline,
    /// A pay run at its month's end (net pay, deductions, employer contributions); estimated
    /// from the branch's latest run for a month that has none yet.
    Payroll,
}

/// One expected movement of cash: positive in, negative out (Money ×10⁴).
#[derive(Debug, Clone)]
pub struct CashItem {
    pub source: CashSource,
    /// The document's number, or the deal's title.
    pub reference: String,
    pub date: NaiveDate,
    /// In company currency (Money ×10⁴).
    pub amount: i64,
    /// For a document in another currency: that currency and the amount in it.
    pub foreign: Option<(String, i64)>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CashForecastQuery {
    /// The first day of the first week (default: today). Anything due earlier falls into it.
    pub from: Option<NaiveDate>,
    /// How many weeks, 1 to 104 (default 13).
    pub weeks: Option<u32>,
    /// Days from a sales order (or a deal's expected close) to the customer's payment
    /// (default 30).
    pub sales_days: Option<u32>,
    /// Days from a purchase order's expected date (or a planned purchase's due date) to the
    /// payment of its bill (default 30).
    pub purchase_days: Option<u32>,
    /// Count the weighted sales pipeline (default true).
    pub include_pipeline: Option<bool>,
    /// The account codes that hold cash, comma-separated (default `1000,1100`: cash and bank
    /// of the default chart).
    pub cash_accounts: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CashWeek {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub inflow: Money,
    /// Negative.
    pub outflow: Money,
    pub net: Money,
    /// Cash at the end of the week.
    pub closing: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CashLine {
    pub source: CashSource,
    pub reference: String,
    /// When it is expected (before `from`: overdue, counted in the first week).
    pub date: NaiveDate,
    /// 0-based week it is counted in.
    pub week: u32,
    /// In company currency.
    pub amount: Money,
    /// The currency of a document in another than the company's, converted at the rate in
    /// force on `from`.
    pub currency: Option<String>,
    pub amount_in_currency: Option<Money>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CashForecast {
    pub from: NaiveDate,
    pub currency: String,
    /// The accounts counted as cash, and their balance today.
    pub cash_accounts: Vec<String>,
    pub opening_cash: Money,
    pub weeks: Vec<CashWeek>,
    /// Every line, by week and date.
    pub lines: Vec<CashLine>,
}

/// The forecast's settings, checked.
#[derive(Debug, Clone)]
pub struct Horizon {
    pub from: NaiveDate,
    pub weeks: u32,
    pub sales_days: u32,
    pub purchase_days: u32,
    pub include_pipeline: bool,
    pub cash_accounts: Vec<String>,
}
