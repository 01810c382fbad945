//! The documents' wire types.

use chrono::{DateTime, Utc};
use erp_core::ids::PartnerId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::ids::DocumentId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentOwner {
    Customer,
    Deal,
    Order,
    Ticket,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    #[param(inline)]
    pub entity_type: DocumentOwner,
    pub entity_id: Uuid,
    /// The name the file is listed and downloaded under.
    pub file_name: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    #[param(inline)]
    pub entity_type: DocumentOwner,
    pub entity_id: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DocumentResponse {
    pub id: DocumentId,
    pub entity_type: DocumentOwner,
    pub entity_id: Uuid,
    pub customer_id: PartnerId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content, to check a download against.
    pub sha256: String,
    pub uploaded_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DocumentList {
    /// Newest first.
    pub items: Vec<DocumentResponse>,
}
