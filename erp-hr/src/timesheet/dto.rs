use chrono::{DateTime, NaiveDate, Utc};
use erp_core::ids::PartnerId;
use erp_core::money::Qty;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::ids::{EmployeeId, TimesheetId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeTarget {
    /// A project by its code (`project`).
    Project,
    /// A customer (`customer_id`); shows on the customer's timeline.
    Customer,
    /// A CRM deal (`deal_id`); shows on its customer's timeline.
    Deal,
    /// An operation of a production order (`production_order_id`, `operation_seq`): the
    /// hours become its actual labour.
    Operation,
}

/// Books hours: for oneself (no `employee_id`, `hr.self`) or for an employee
/// (`hr.attendance.write`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookTimeRequest {
    pub employee_id: Option<EmployeeId>,
    pub work_date: NaiveDate,
    /// Over 0; a day's bookings add up to 24 hours at most.
    pub hours: Qty,
    pub target: TimeTarget,
    pub project: Option<String>,
    pub customer_id: Option<PartnerId>,
    pub deal_id: Option<Uuid>,
    pub production_order_id: Option<Uuid>,
    pub operation_seq: Option<i32>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TimesheetEntry {
    pub id: TimesheetId,
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub work_date: NaiveDate,
    pub hours: Qty,
    pub target: TimeTarget,
    pub project: Option<String>,
    /// The customer (of a deal, too).
    pub customer_id: Option<PartnerId>,
    pub deal_id: Option<Uuid>,
    pub production_order_id: Option<Uuid>,
    pub operation_seq: Option<i32>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

erp_core::page_type!(TimesheetPage, TimesheetEntry);

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimesheetQuery {
    pub employee_id: Option<EmployeeId>,
    /// Days `from` to `to`, at most 92.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What the module owning a target found: the customer it belongs to, and its id.
#[derive(Debug, Default)]
pub struct Resolved {
    pub partner_id: Option<String>,
    pub reference_id: Option<String>,
}
