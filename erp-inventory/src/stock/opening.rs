//! Opening stock: a warehouse's balances at go-live, posted as receipts in one request.

use erp_core::auth::Actor;
use erp_core::batch::all_or_nothing;
use erp_core::db::DbConnection;
use erp_core::error::AppError;

use super::dto::{MoveType, OpeningBalances, OpeningBalancesRequest, PostMoveRequest};
use super::post::post_move;
use crate::warehouse;
use crate::warehouse::repo as wh_repo;

/// Posts every line as a receipt into the warehouse (its `STOCK` location unless the line
/// names another of its locations), each by the rules of a single move; all or nothing.
pub fn post_opening_balances(
    conn: &mut DbConnection,
    actor: &Actor,
    req: OpeningBalancesRequest,
) -> Result<OpeningBalances, AppError> {
    actor.require("inventory.stock.post")?;
    let w =
        warehouse::service::load_visible(conn, actor, req.warehouse_id).map_err(|e| match e {
            AppError::NotFound(_) => AppError::field("warehouse_id", "no such warehouse"),
            other => other,
        })?;
    let locations = wh_repo::locations_of(conn, w.id)?;
    let default = locations.iter().find(|l| l.code == "STOCK").map(|l| l.id);
    let effective_at = req.effective_at;
    let moves = all_or_nothing(conn, "lines", req.lines, |conn, line| {
        let location = match line.location_id {
            Some(id) => locations
                .iter()
                .find(|l| l.id == id)
                .map(|l| l.id)
                .ok_or_else(|| {
                    AppError::field("location_id", "is not a location of the warehouse")
                })?,
            None => default.ok_or_else(|| {
                AppError::field(
                    "location_id",
                    "the warehouse has no STOCK location: name one",
                )
            })?,
        };
        let to = location;
        post_move(
            conn,
            actor,
            PostMoveRequest {
                move_type: MoveType::Receipt,
                item_id: line.item_id,
                quantity: line.quantity,
                uom_id: line.uom_id,
                from_location_id: None,
                to_location_id: Some(to),
                lot: line.lot,
                unit_cost: line.unit_cost,
                reference_type: Some("opening_balance".into()),
                reference_id: None,
                reservation_id: None,
                note: None,
                effective_at,
            },
        )
    })?;
    Ok(OpeningBalances { moves })
}
