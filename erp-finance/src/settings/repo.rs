use diesel::prelude::*;
use erp_core::db::schema::fin_settings as s;
use erp_core::db::{update_or_insert, DbConnection};
use erp_core::ids::CompanyId;

use super::model::SettingsRow;

pub fn find(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Option<SettingsRow>> {
    s::table
        .find(company_id)
        .select(SettingsRow::as_select())
        .first(conn)
        .optional()
}

pub fn save(conn: &mut DbConnection, row: &SettingsRow) -> QueryResult<()> {
    update_or_insert(
        conn,
        |c| {
            diesel::update(s::table.find(&row.company_id))
                .set((
                    s::tax_rounding.eq(&row.tax_rounding),
                    s::write_off_tolerance.eq(row.write_off_tolerance),
                    s::match_price_tolerance.eq(row.match_price_tolerance),
                    s::match_quantity_tolerance.eq(row.match_quantity_tolerance),
                    s::budget_control.eq(&row.budget_control),
                    s::version.eq(row.version),
                    s::updated_at.eq(row.updated_at),
                ))
                .execute(c)
        },
        |c| diesel::insert_into(s::table).values(row).execute(c),
    )
    .map(|_| ())
}
