//! The HR module's errors, each with its stable problem code, converted into the
//! problem+json `AppError` in one place.

use erp_core::error::{AppError, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum HrError {
    #[error("the {what} code '{code}' is taken")]
    DuplicateCode { what: &'static str, code: String },
    #[error("the employee number '{0}' is taken")]
    DuplicateNumber(String),
    #[error("{person} is employed already, as {number}")]
    AlreadyEmployed { person: String, number: String },
    #[error("the user is linked to employee {0} already")]
    UserLinked(String),
    #[error("employee {number} left on {on}; a former employee's record only changes by rehiring")]
    Terminated {
        number: String,
        on: chrono::NaiveDate,
    },
    #[error("the contract {existing} ({span}) covers part of the same time")]
    ContractOverlap { existing: String, span: String },
    #[error("{0}")]
    Cycle(String),
}

impl From<HrError> for AppError {
    fn from(e: HrError) -> AppError {
        let detail = e.to_string();
        match e {
            HrError::DuplicateCode { .. } => AppError::conflict("duplicate_code", detail),
            HrError::DuplicateNumber(_) => AppError::conflict("duplicate_number", detail),
            HrError::AlreadyEmployed { .. } => AppError::conflict("already_employed", detail),
            HrError::UserLinked(_) => AppError::conflict("user_linked", detail),
            HrError::Terminated { .. } => AppError::conflict("employee_terminated", detail),
            HrError::ContractOverlap { .. } => {
                AppError::Validation(vec![FieldError::new("starts_on", detail)])
            }
            HrError::Cycle(_) => AppError::Validation(vec![FieldError::new("parent_id", detail)]),
        }
    }
}
