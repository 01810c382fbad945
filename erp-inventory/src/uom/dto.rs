use erp_core::money::Factor;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{ItemCategoryId, UomId};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUomRequest {
    /// Short unique code: `ea`, `kg`, `box`.
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UomResponse {
    pub id: UomId,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UomList {
    pub items: Vec<UomResponse>,
}

/// 1 `from_uom` = `factor` × `to_uom`, for every item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UomConversion {
    pub from_uom_id: UomId,
    pub to_uom_id: UomId,
    pub factor: Factor,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UomConversionList {
    pub items: Vec<UomConversion>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategoryRequest {
    pub code: String,
    pub name: String,
    /// The parent in the category tree.
    pub parent_id: Option<ItemCategoryId>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CategoryResponse {
    pub id: ItemCategoryId,
    pub code: String,
    pub name: String,
    pub parent_id: Option<ItemCategoryId>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CategoryList {
    pub items: Vec<CategoryResponse>,
}
