use diesel::prelude::*;
use erp_core::db::schema::crm_quotes as qt;
use erp_core::db::DbConnection;

use crate::model::QuoteRow;

/// The quotes of a customer, oldest first.
pub fn of_customer(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<QuoteRow>> {
    qt::table
        .filter(qt::customer_id.eq(customer_id))
        .order((qt::created_at, qt::id))
        .select(QuoteRow::as_select())
        .load(conn)
}
