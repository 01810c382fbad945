//! Quantities entered in any unit, converted exactly to the item's base unit.

use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::money::{Factor, Qty};

use crate::ids::UomId;
use crate::item::{model::Item, repo as item_repo};
use crate::uom::repo as uom_repo;

/// `quantity` of `uom` in the base unit of `item`: through the item's own units (box = 12),
/// or a global conversion either way (kg -> g). Refused when it cannot be exact.
pub fn to_base(
    conn: &mut DbConnection,
    item: &Item,
    quantity: Qty,
    uom: UomId,
    field: &str,
) -> Result<Qty, AppError> {
    if uom == item.base_uom_id {
        return Ok(quantity);
    }
    let q = quantity.value();
    let factor = |e9: i64| Factor::from_scaled(e9).value();
    let converted = if let Some((_, f)) = item_repo::units_of(conn, item.id)?
        .into_iter()
        .find(|(u, _)| *u == uom)
    {
        q * factor(f)
    } else if let Some(f) = uom_repo::conversion(conn, uom, item.base_uom_id)? {
        q * factor(f)
    } else if let Some(f) = uom_repo::conversion(conn, item.base_uom_id, uom)? {
        q / factor(f)
    } else {
        return Err(AppError::field(
            "uom_id",
            "has no conversion to the item's base unit",
        ));
    };
    Qty::new(converted).map_err(|_| {
        AppError::field(field, format!("{quantity} in this unit is not an exact quantity of the base unit (6 decimal places)"))
    })
}
