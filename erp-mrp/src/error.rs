//! The MRP module's errors, each with its stable problem code, converted into the
//! problem+json `AppError` in one place.

use erp_core::error::AppError;
use erp_core::money::Qty;

#[derive(Debug, thiserror::Error)]
pub enum MrpError {
    /// Active BOMs that use each other, found by a run: the SKUs round the ring.
    #[error("the bills of materials form a cycle: {}", .0.join(" -> "))]
    BomCycle(Vec<String>),
    /// A BOM whose activation would close a ring.
    #[error("the bills of materials would form a cycle: {}", .0.join(" -> "))]
    BomWouldCycle(Vec<String>),
    #[error("the structure is deeper than {0} levels")]
    BomTooDeep(u32),
    #[error("{0}")]
    InvalidPlanData(String),
    #[error("item {0} has no active BOM")]
    NoActiveBom(String),
    #[error("the item already has a BOM revision {0}")]
    DuplicateRevision(String),
    #[error("a work center with code {0} exists")]
    DuplicateWorkCenter(String),
    #[error("there is no plan yet: run MRP first")]
    NoPlan,
    #[error("item {0} is not in the current plan: run MRP first")]
    ItemNotPlanned(String),
    #[error("a planning run of this company is still going: wait for it to finish")]
    RunInProgress,
    #[error("the run is {0}: only a succeeded run has a plan")]
    RunNotSucceeded(String),
    #[error("run {0} replaced this run's plan: read /api/v1/mrp/runs/{0}/records")]
    PlanSuperseded(String),
    #[error("every component is issued in full")]
    NothingToIssue,
    #[error("only {0} is still to complete")]
    OverCompletion(Qty),
    /// Anything else that stopped the work (database, validation, rights).
    #[error(transparent)]
    Other(#[from] AppError),
}

impl From<MrpError> for AppError {
    fn from(e: MrpError) -> AppError {
        let detail = e.to_string();
        let unprocessable = |code| AppError::Unprocessable {
            code,
            detail: detail.clone(),
        };
        match e {
            MrpError::BomCycle(_) | MrpError::BomWouldCycle(_) => unprocessable("bom_cycle"),
            MrpError::BomTooDeep(_) => unprocessable("bom_too_deep"),
            MrpError::InvalidPlanData(_) => unprocessable("invalid_plan_data"),
            MrpError::NoActiveBom(_) => AppError::conflict("no_active_bom", detail),
            MrpError::DuplicateRevision(_) => AppError::conflict("duplicate_revision", detail),
            MrpError::DuplicateWorkCenter(_) => AppError::conflict("duplicate_code", detail),
            MrpError::NoPlan | MrpError::ItemNotPlanned(_) => {
                AppError::conflict("not_planned", detail)
            }
            MrpError::RunInProgress => AppError::conflict("run_in_progress", detail),
            MrpError::RunNotSucceeded(_) => AppError::conflict("run_not_succeeded", detail),
            MrpError::PlanSuperseded(_) => AppError::conflict("plan_superseded", detail),
            MrpError::NothingToIssue => AppError::conflict("nothing_to_issue", detail),
            MrpError::OverCompletion(_) => AppError::conflict("over_completion", detail),
            MrpError::Other(e) => e,
        }
    }
}

impl From<diesel::result::Error> for MrpError {
    fn from(e: diesel::result::Error) -> MrpError {
        MrpError::Other(e.into())
    }
}
