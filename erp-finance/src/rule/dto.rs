use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ids::AccountId;

/// A business event that posts automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum PostingEvent {
    /// The stock account of a warehouse or category (debited on receipt, credited on issue).
    #[serde(rename = "stock.inventory")]
    StockInventory,
    /// The counter-account of goods received (goods received not invoiced).
    #[serde(rename = "stock.receipt")]
    StockReceipt,
    /// The counter-account of goods issued (cost of goods sold).
    #[serde(rename = "stock.issue")]
    StockIssue,
    /// The counter-account of count corrections.
    #[serde(rename = "stock.adjustment")]
    StockAdjustment,
    /// The counter-account of scrapped goods.
    #[serde(rename = "stock.scrap")]
    StockScrap,
    /// What customers owe (debited by invoices, credited by payments and credit notes).
    #[serde(rename = "sales.receivable")]
    SalesReceivable,
    /// Revenue of invoice lines that name no account.
    #[serde(rename = "sales.revenue")]
    SalesRevenue,
    /// What the company owes suppliers (credited by bills, debited by payments).
    #[serde(rename = "purchase.payable")]
    PurchasePayable,
    /// Bill lines that name no account: goods received not invoiced, which the bill clears.
    #[serde(rename = "purchase.expense")]
    PurchaseExpense,
    /// What a supplier bill's line costs more (or less) than the goods received it clears.
    #[serde(rename = "purchase.price_difference")]
    PurchasePriceDifference,
    /// Discounts granted to customers for paying early.
    #[serde(rename = "payment.discount_granted")]
    PaymentDiscountGranted,
    /// Discounts taken from suppliers for paying early.
    #[serde(rename = "payment.discount_received")]
    PaymentDiscountReceived,
    /// Small differences written off when a payment settles an invoice.
    #[serde(rename = "payment.write_off")]
    PaymentWriteOff,
    /// Realised exchange gains: a document in another currency settled for more (receivable)
    /// or less (payable) company currency than it was booked at.
    #[serde(rename = "exchange.gain")]
    ExchangeGain,
    /// Realised exchange losses, the other way round.
    #[serde(rename = "exchange.loss")]
    ExchangeLoss,
    /// Unrealised exchange gains of a revaluation run at a period's end.
    #[serde(rename = "exchange.unrealised_gain")]
    UnrealisedExchangeGain,
    /// Unrealised exchange losses of a revaluation run.
    #[serde(rename = "exchange.unrealised_loss")]
    UnrealisedExchangeLoss,
    /// Work in progress: components issued to a production order are debited to it, its
    /// output received is credited.
    #[serde(rename = "production.wip")]
    ProductionWip,
    /// Labour and overhead a closed production order absorbed (its operations' hours at
    /// their work centers' rates), credited.
    #[serde(rename = "production.absorption")]
    ProductionAbsorption,
    /// What a closed production order's work in progress keeps after its output: the
    /// variance against the cost its output was received at.
    #[serde(rename = "production.variance")]
    ProductionVariance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleScope {
    Default,
    Warehouse,
    ItemCategory,
}

/// Sets the account of an event, by default or for one warehouse or item category.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetAccountRuleRequest {
    pub event: PostingEvent,
    pub scope: RuleScope,
    /// The warehouse or item category, for those scopes.
    pub scope_id: Option<Uuid>,
    pub account_id: AccountId,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountRuleResponse {
    pub event: PostingEvent,
    pub scope: RuleScope,
    pub scope_id: Option<Uuid>,
    pub account_id: AccountId,
    pub account_code: String,
    pub updated_at: DateTime<Utc>,
}

/// Every rule of the company (a company has few), by event and scope.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountRuleList {
    pub items: Vec<AccountRuleResponse>,
}
