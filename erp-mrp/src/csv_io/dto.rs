use serde::Deserialize;
use utoipa::IntoParams;

use crate::states::BomStatus;

/// Which BOMs a BOM export holds.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BomExportQuery {
    /// Only BOMs in this state (default: all).
    pub status: Option<BomStatus>,
}
