use chrono::{DateTime, Utc};
use erp_core::money::{Money, Qty};
use erp_inventory::ids::ItemId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{RoutingOperationId, WorkCenterId};

/// How planned order quantities are chosen, with the rule's parameters. Costs are money per
/// order and per unit held one bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum LotSizingRule {
    /// Exactly the net requirement of each bucket.
    #[schema(title = "LotForLot")]
    LotForLot,
    /// Enough whole lots of `quantity` to cover the need.
    #[schema(title = "FixedOrderQuantity")]
    FixedOrderQuantity { quantity: Qty },
    /// sqrt(2 × annual demand × ordering cost / annual holding cost per unit), as fixed lots.
    #[schema(title = "EconomicOrderQuantity")]
    EconomicOrderQuantity {
        annual_demand: Qty,
        ordering_cost: Money,
        annual_holding_cost: Money,
    },
    /// Cover the next `periods` buckets, empty ones included.
    #[schema(title = "PeriodOrderQuantity")]
    PeriodOrderQuantity { periods: u32 },
    /// Grow the lot while the cost per unit (ordering plus holding) falls.
    #[schema(title = "LeastUnitCost")]
    LeastUnitCost {
        ordering_cost: Money,
        holding_cost: Money,
    },
    /// The lot whose holding cost comes closest to the ordering cost.
    #[schema(title = "LeastTotalCost")]
    LeastTotalCost {
        ordering_cost: Money,
        holding_cost: Money,
    },
    /// The largest lot whose part-periods stay within the economic part-period (ordering
    /// cost / holding cost).
    #[schema(title = "PartPeriodBalancing")]
    PartPeriodBalancing {
        ordering_cost: Money,
        holding_cost: Money,
    },
    /// The optimal plan over the horizon.
    #[schema(title = "WagnerWhitin")]
    WagnerWhitin {
        ordering_cost: Money,
        holding_cost: Money,
    },
}

impl LotSizingRule {
    /// The rules that weigh an ordering cost against a holding cost per bucket.
    pub const COST_RULES: [&'static str; 4] = [
        "least_unit_cost",
        "least_total_cost",
        "part_period_balancing",
        "wagner_whitin",
    ];

    /// The rule's name, as its `rule` tag on the wire.
    pub fn name(&self) -> &'static str {
        match self {
            LotSizingRule::LotForLot => "lot_for_lot",
            LotSizingRule::FixedOrderQuantity { .. } => "fixed_order_quantity",
            LotSizingRule::EconomicOrderQuantity { .. } => "economic_order_quantity",
            LotSizingRule::PeriodOrderQuantity { .. } => "period_order_quantity",
            LotSizingRule::LeastUnitCost { .. } => "least_unit_cost",
            LotSizingRule::LeastTotalCost { .. } => "least_total_cost",
            LotSizingRule::PartPeriodBalancing { .. } => "part_period_balancing",
            LotSizingRule::WagnerWhitin { .. } => "wagner_whitin",
        }
    }

    /// (ordering cost, holding cost) of a rule that weighs them; None for the others.
    pub fn costs(&self) -> Option<(Money, Money)> {
        match self {
            LotSizingRule::LeastUnitCost {
                ordering_cost,
                holding_cost,
            }
            | LotSizingRule::LeastTotalCost {
                ordering_cost,
                holding_cost,
            }
            | LotSizingRule::PartPeriodBalancing {
                ordering_cost,
                holding_cost,
            }
            | LotSizingRule::WagnerWhitin {
                ordering_cost,
                holding_cost,
            } => Some((*ordering_cost, *holding_cost)),
            _ => None,
        }
    }

    /// The cost rule called `name` (one of [`Self::COST_RULES`]) with these costs.
    pub fn with_costs(name: &str, ordering_cost: Money, holding_cost: Money) -> Option<Self> {
        Some(match name {
            "least_unit_cost" => LotSizingRule::LeastUnitCost {
                ordering_cost,
                holding_cost,
            },
            "least_total_cost" => LotSizingRule::LeastTotalCost {
                ordering_cost,
                holding_cost,
            },
            "part_period_balancing" => LotSizingRule::PartPeriodBalancing {
                ordering_cost,
                holding_cost,
            },
            "wagner_whitin" => LotSizingRule::WagnerWhitin {
                ordering_cost,
                holding_cost,
            },
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MakeOrBuy {
    Make,
    Buy,
}

/// Planning data of many items, set together: all of them or, when any is refused, none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanningBatchRequest {
    #[schema(min_items = 1, max_items = 1000)]
    pub items: Vec<ItemPlanningInput>,
}

/// One item's planning data in a bulk request (`planning.version`, when given, is checked).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemPlanningInput {
    pub item_id: ItemId,
    pub planning: PlanningRequest,
}

/// The planning data a bulk request set, in the order of the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlanningBatch {
    pub items: Vec<PlanningResponse>,
}

/// Routings of many items, replaced together: all of them or, when any is refused, none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingBatchRequest {
    #[schema(min_items = 1, max_items = 1000)]
    pub items: Vec<ItemRoutingInput>,
}

/// One item's routing in a bulk request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemRoutingInput {
    pub item_id: ItemId,
    pub routing: RoutingRequest,
}

/// The routings a bulk request set, in the order of the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RoutingBatch {
    pub items: Vec<RoutingResponse>,
}

/// The planning data of an item. Lead time and make-or-buy are the item's own fields
/// (shared with purchasing); the rest is kept for planning.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanningRequest {
    /// Days from release to receipt (0 to 3650).
    pub lead_time_days: Option<i32>,
    pub make_or_buy: Option<MakeOrBuy>,
    /// Stock the projection must not fall below (default 0).
    pub safety_stock: Option<Qty>,
    /// Default lot-for-lot.
    pub lot_sizing: Option<LotSizingRule>,
    pub min_order: Option<Qty>,
    pub max_order: Option<Qty>,
    pub order_multiple: Option<Qty>,
    /// Days from the start of the horizon within which the plan should not change by itself:
    /// planned orders due inside it get a `time_fence` action message, for the planner to
    /// firm or cover by hand (default 0).
    pub planning_time_fence_days: Option<i32>,
    /// A kit passed through to its components, never ordered (default false).
    pub phantom: Option<bool>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlanningResponse {
    pub item_id: ItemId,
    pub sku: String,
    /// Absent when the item has none: the run reports a data error.
    pub lead_time_days: Option<i32>,
    pub make_or_buy: MakeOrBuy,
    pub safety_stock: Qty,
    pub lot_sizing: LotSizingRule,
    pub min_order: Option<Qty>,
    pub max_order: Option<Qty>,
    pub order_multiple: Option<Qty>,
    pub planning_time_fence_days: i32,
    pub phantom: bool,
    /// 0 when the item has no planning data of its own yet (defaults shown).
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationInput {
    /// Order of the step (unique, more than 0).
    pub seq: i32,
    pub name: String,
    pub work_center_id: WorkCenterId,
    /// Hours to set up, once per order.
    pub setup_hours: Option<Qty>,
    /// Hours per unit made.
    pub run_hours: Qty,
    /// Hours waiting before the step, and moving after it.
    pub queue_hours: Option<Qty>,
    pub move_hours: Option<Qty>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingRequest {
    /// Replaces all operations; an empty list removes the routing.
    pub operations: Vec<OperationInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OperationResponse {
    pub id: RoutingOperationId,
    pub seq: i32,
    pub name: String,
    pub work_center_id: WorkCenterId,
    pub work_center_code: String,
    pub setup_hours: Qty,
    pub run_hours: Qty,
    pub queue_hours: Qty,
    pub move_hours: Qty,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RoutingResponse {
    pub item_id: ItemId,
    pub operations: Vec<OperationResponse>,
    /// Hours of one order of one unit: setup plus run, over all operations.
    pub hours_per_unit: Qty,
}
