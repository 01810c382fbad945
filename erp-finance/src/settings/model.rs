use chrono::NaiveDateTime;
use diesel::prelude::*;
use erp_core::db::schema::fin_settings;
use erp_core::ids::CompanyId;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fin_settings)]
pub struct SettingsRow {
    pub company_id: CompanyId,
    pub tax_rounding: String,
    /// Money ×10⁴.
    pub write_off_tolerance: i64,
    pub version: i64,
    pub updated_at: NaiveDateTime,
    /// Percent ×10⁴ a bill's price may differ from the order's before it is held.
    pub match_price_tolerance: i64,
    /// Percent ×10⁴ a bill may bill more than was received before it is held.
    pub match_quantity_tolerance: i64,
    /// off, warn or refuse: confirming a purchase order over the remaining budget.
    pub budget_control: String,
}
