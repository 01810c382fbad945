//! The CRM module's errors, each with its stable problem code, converted into the
//! problem+json `AppError` in one place.

use erp_core::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum CrmError {
    #[error("this partner has a customer card already")]
    DuplicateCustomer,
    #[error("a team with this name exists")]
    DuplicateTeam,
    #[error("this login is already used")]
    LoginTaken,
    #[error("a segment of this name has campaigns: save under another name")]
    SegmentInUse,
    #[error("only a meeting or visit without a result takes one")]
    ResultNotExpected,
    /// Nothing left to invoice on the order, under its policy (`everything ... is invoiced`).
    #[error("everything {0} is invoiced")]
    NothingToInvoice(&'static str),
    #[error("everything is delivered")]
    NothingToDeliver,
    #[error("the quote is past its valid-until date; make a new one")]
    QuoteExpired,
    /// The pipeline lacks a stage of this kind (open, won, lost).
    #[error("the pipeline has no {0} stage")]
    NoStage(&'static str),
    #[error("the deal is in that stage already")]
    SameStage,
}

impl From<CrmError> for AppError {
    fn from(e: CrmError) -> AppError {
        let code = match &e {
            CrmError::DuplicateCustomer => "duplicate_customer",
            CrmError::DuplicateTeam => "duplicate_name",
            CrmError::LoginTaken => "login_taken",
            CrmError::SegmentInUse => "segment_in_use",
            CrmError::ResultNotExpected => "result_not_expected",
            CrmError::NothingToInvoice(_) => "nothing_to_invoice",
            CrmError::NothingToDeliver => "nothing_to_deliver",
            CrmError::QuoteExpired => "quote_expired",
            CrmError::NoStage("won") => "no_won_stage",
            CrmError::NoStage("lost") => "no_lost_stage",
            CrmError::NoStage(_) => "no_open_stage",
            CrmError::SameStage => "same_stage",
        };
        AppError::conflict(code, e.to_string())
    }
}
