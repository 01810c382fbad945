use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::JournalId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JournalKind {
    General,
    Sales,
    Purchases,
    Bank,
    Cash,
    Stock,
    Payroll,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateJournalRequest {
    pub id: Option<JournalId>,
    /// Unique in the company and the prefix of entry numbers (`SJ` gives `SJ-2026-000123`):
    /// 1 to 8 letters or digits.
    pub code: String,
    pub name: String,
    pub kind: JournalKind,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JournalResponse {
    pub id: JournalId,
    pub code: String,
    pub name: String,
    pub kind: JournalKind,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

erp_core::page_type!(JournalPage, JournalResponse);
