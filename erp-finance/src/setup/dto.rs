use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupRequest {
    /// The fiscal year to open (default: the current calendar year), January to December.
    #[schema(minimum = 1900, maximum = 9998)]
    pub fiscal_year: Option<i32>,
}

/// What the setup created; a second call creates only what is missing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SetupResponse {
    pub accounts_created: usize,
    pub journals_created: usize,
    pub fiscal_year: i32,
    pub periods_created: usize,
    /// Account rules of automatic postings (stock), when the company had none.
    pub rules_created: usize,
}
