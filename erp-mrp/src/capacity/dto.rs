use chrono::NaiveDate;
use erp_core::money::Qty;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ids::WorkCenterId;
use crate::run::horizon::BucketSize;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CapacityQuery {
    pub work_center_id: Option<WorkCenterId>,
    /// Default: the last run's horizon start.
    pub start_date: Option<NaiveDate>,
    /// Default: the last run's bucket (week without a run).
    pub bucket: Option<BucketSize>,
    /// 1 to 520; default the last run's count (12 without a run).
    pub buckets: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoadBucket {
    pub start_date: NaiveDate,
    /// Hours of output the work center can give in the bucket.
    pub capacity_hours: Qty,
    /// Hours of planned orders (and, in CRP, released production orders) in the bucket.
    pub load_hours: Qty,
    /// load / capacity, as a percentage (absent when there is no capacity).
    pub utilization_percent: Option<Qty>,
    pub overloaded: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WorkCenterLoad {
    pub work_center_id: WorkCenterId,
    pub code: String,
    pub name: String,
    pub buckets: Vec<LoadBucket>,
    /// Buckets where load is above capacity.
    pub overloaded_buckets: u32,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CapacityReport {
    /// `crp`: detailed from planned and released orders through routings;
    /// `rough_cut`: the MPS through each end item's bill of resources.
    pub method: String,
    pub start_date: NaiveDate,
    pub bucket: BucketSize,
    pub work_centers: Vec<WorkCenterLoad>,
}
