//! The finance module's errors, each with its stable problem code, converted into the
//! problem+json `AppError` in one place.

use erp_core::error::{AppError, FieldError};

use crate::ids::EntryId;

#[derive(Debug, thiserror::Error)]
pub enum FinanceError {
    #[error("debits {debit} and credits {credit} differ by {difference}")]
    Unbalanced {
        debit: String,
        credit: String,
        difference: String,
    },
    #[error("the period {period} is closed: nothing may be posted dated into it")]
    PeriodClosed { period: String },
    #[error("no fiscal period covers {date}; open the fiscal year first")]
    NoPeriod { date: chrono::NaiveDate },
    #[error("the entry is posted; posted entries are never changed, reverse it instead")]
    Posted,
    #[error("the entry was reversed already, by {by}")]
    AlreadyReversed { by: EntryId },
    #[error("the fiscal year {0} exists")]
    YearExists(i32),
    #[error("the account code '{0}' is taken")]
    DuplicateAccount(String),
    #[error("the journal code '{0}' is taken")]
    DuplicateJournal(String),
    #[error("{what} has {open} left to settle; this settles {requested}")]
    OverAllocation {
        what: String,
        open: String,
        requested: String,
    },
    #[error("{0} is cancelled; nothing can settle it")]
    Cancelled(String),
    #[error("{0} is settled in part or whole; cancel its payments and notes first")]
    Settled(String),
    #[error("{0}")]
    NotConfigured(String),
    #[error("the document is held ({0}); release it first")]
    Held(String),
}

impl From<FinanceError> for AppError {
    fn from(e: FinanceError) -> AppError {
        let detail = e.to_string();
        match e {
            FinanceError::Unbalanced { .. } => AppError::Unprocessable {
                code: "unbalanced_entry",
                detail,
            },
            FinanceError::NoPeriod { .. } => {
                AppError::Validation(vec![FieldError::new("entry_date", detail)])
            }
            FinanceError::PeriodClosed { .. } => AppError::conflict("period_closed", detail),
            FinanceError::Posted => AppError::conflict("entry_posted", detail),
            FinanceError::AlreadyReversed { .. } => AppError::conflict("already_reversed", detail),
            FinanceError::YearExists(_) => AppError::conflict("duplicate_fiscal_year", detail),
            FinanceError::DuplicateAccount(_) => AppError::conflict("duplicate_code", detail),
            FinanceError::DuplicateJournal(_) => AppError::conflict("duplicate_code", detail),
            FinanceError::OverAllocation { .. } => AppError::conflict("over_allocation", detail),
            FinanceError::Cancelled(_) => AppError::conflict("document_cancelled", detail),
            FinanceError::Held(_) => AppError::conflict("document_held", detail),
            FinanceError::Settled(_) => AppError::conflict("document_settled", detail),
            FinanceError::NotConfigured(_) => AppError::Unprocessable {
                code: "posting_not_configured",
                detail,
            },
        }
    }
}
