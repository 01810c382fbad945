use chrono::NaiveDate;
use erp_core::ids::{BranchId, UserId};
use erp_core::money::{Money, Qty};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::{StageId, TeamId};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Deals created (pipeline) or closed (managers) on or after this date.
    pub from: Option<NaiveDate>,
    /// ... and before this date.
    pub to: Option<NaiveDate>,
    /// One manager.
    pub owner_id: Option<UserId>,
    /// The members of one team.
    pub team_id: Option<TeamId>,
    /// The managers working in one branch.
    pub branch_id: Option<BranchId>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StageLine {
    pub stage_id: StageId,
    pub code: String,
    pub name: String,
    /// Open deals now in the stage.
    pub open_deals: i64,
    pub value: Money,
    pub weighted_value: Money,
    /// Deals that ever entered the stage.
    pub entered: i64,
    /// Of those, the share that went further (a later stage or won), in percent.
    pub conversion_percent: Option<Qty>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PipelineReport {
    pub stages: Vec<StageLine>,
    pub won_deals: i64,
    pub won_value: Money,
    pub lost_deals: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ManagerLine {
    pub user_id: UserId,
    pub username: String,
    pub deals_won: i64,
    pub deals_lost: i64,
    /// Won of closed, in percent.
    pub win_rate_percent: Option<Qty>,
    /// Value of deals won.
    pub revenue: Money,
    /// Average days from a deal's creation to its close.
    pub average_cycle_days: Option<Qty>,
    pub calls: i64,
    pub meetings: i64,
    /// Data quality: their customers without a phone, without an e-mail, without contact
    /// people.
    pub customers_without_phone: i64,
    pub customers_without_email: i64,
    pub customers_without_contacts: i64,
    /// Meetings in the period recorded without their result.
    pub meetings_without_result: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ManagerReport {
    pub items: Vec<ManagerLine>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Week,
    Month,
    Quarter,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevenueQuery {
    /// Deals closed on or after this date.
    pub from: Option<NaiveDate>,
    /// ... and before this date.
    pub to: Option<NaiveDate>,
    /// Default month; weeks start on Monday.
    #[param(inline)]
    pub interval: Option<Interval>,
    pub owner_id: Option<UserId>,
    pub team_id: Option<TeamId>,
    pub branch_id: Option<BranchId>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RevenueLine {
    /// The first day of the week, month or quarter.
    pub period_start: NaiveDate,
    pub deals_won: i64,
    pub revenue: Money,
    /// The revenue targets of the managers in the report for this period, each spread evenly
    /// over the days of its own period; absent when no revenue target falls in the period.
    pub target: Option<Money>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RevenueReport {
    /// Periods with won deals or a revenue target, oldest first.
    pub lines: Vec<RevenueLine>,
    pub total: Money,
}
