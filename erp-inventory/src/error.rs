//! The inventory module's errors, each with its stable problem code, converted into the
//! problem+json `AppError` in one place.

use erp_core::error::AppError;
use erp_core::money::Qty;

#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("an item with SKU '{0}' exists")]
    DuplicateSku(String),
    #[error("an item with this id exists")]
    DuplicateItemId,
    #[error("a purchase order with this id exists")]
    DuplicatePurchaseOrderId,
    #[error("a warehouse with code '{0}' exists")]
    DuplicateWarehouse(String),
    #[error("a location with code '{0}' exists in the warehouse")]
    DuplicateLocation(String),
    #[error("a unit '{0}' exists")]
    DuplicateUnit(String),
    #[error("a category '{0}' exists")]
    DuplicateCategory(String),
    /// What may not change once the item's stock has moved: "valuation method", "base unit".
    #[error("the {0} cannot change once stock has moved")]
    StockExists(&'static str),
    #[error("line {line} would receive more than ordered ({ordered} ordered, {received} received, tolerance {tolerance}%)")]
    OverReceipt {
        line: i32,
        ordered: Qty,
        received: Qty,
        tolerance: Qty,
    },
    #[error("line {line} would receive more than was shipped and not yet received ({open})")]
    OverTransferReceipt { line: i32, open: Qty },
    #[error("everything received is billed; name the lines to bill goods not yet received")]
    NothingToBill,
    #[error("the period {0} is closed: no stock move may be dated into it")]
    PeriodClosed(String),
    #[error("serial number {0} is already in stock")]
    DuplicateSerial(String),
    /// FIFO layers short of an issue; `on` is the business time of the move when known.
    #[error("the layers hold {available}{}, less than the {requested} {}", on.as_ref().map(|d| format!(" on {d}")).unwrap_or_default(), if on.is_some() { "the move of that date takes" } else { "taken" })]
    LayersExhausted {
        available: Qty,
        requested: Qty,
        on: Option<String>,
    },
    #[error("{0}")]
    AmountOutOfRange(String),
    #[error("the move of {0} was posted before layers were recorded per move; nothing can be dated before it")]
    RecostUnavailable(String),
    #[error("stock from this move was already issued; correct it with an adjustment")]
    LayerConsumed,
    #[error("{sku} would be below zero in {warehouse} on {on}")]
    InsufficientStockAtDate {
        sku: String,
        warehouse: String,
        on: String,
    },
    #[error("re-costing through transfers does not settle; post the move undated")]
    RecostTooDeep,
    #[error("the warehouse has no {0} location")]
    MissingLocation(String),
    #[error("the transfer changed meanwhile; try again")]
    ConcurrentChange,
    #[error("stock moves post to a journal of kind `stock`; create one")]
    PostingNotConfigured,
}

impl From<InventoryError> for AppError {
    fn from(e: InventoryError) -> AppError {
        let detail = e.to_string();
        let code = match &e {
            InventoryError::DuplicateSku(_) => "duplicate_sku",
            InventoryError::DuplicateItemId | InventoryError::DuplicatePurchaseOrderId => {
                "duplicate_id"
            }
            InventoryError::DuplicateWarehouse(_)
            | InventoryError::DuplicateLocation(_)
            | InventoryError::DuplicateUnit(_)
            | InventoryError::DuplicateCategory(_) => "duplicate_code",
            InventoryError::StockExists(_) => "stock_exists",
            InventoryError::OverReceipt { .. } | InventoryError::OverTransferReceipt { .. } => {
                "over_receipt"
            }
            InventoryError::NothingToBill => "nothing_to_bill",
            InventoryError::PeriodClosed(_) => "period_closed",
            InventoryError::DuplicateSerial(_) => "duplicate_serial",
            InventoryError::LayersExhausted { .. } => "fifo_layers_exhausted",
            InventoryError::RecostUnavailable(_) => "recost_unavailable",
            InventoryError::LayerConsumed => "layer_consumed",
            InventoryError::InsufficientStockAtDate { .. } => "insufficient_stock_at_date",
            InventoryError::RecostTooDeep => "recost_too_deep",
            InventoryError::MissingLocation(_) => "missing_location",
            InventoryError::ConcurrentChange => "concurrent_change",
            InventoryError::AmountOutOfRange(_) => {
                return AppError::Unprocessable {
                    code: "amount_out_of_range",
                    detail,
                }
            }
            InventoryError::PostingNotConfigured => {
                return AppError::Unprocessable {
                    code: "posting_not_configured",
                    detail,
                }
            }
        };
        AppError::conflict(code, detail)
    }
}
