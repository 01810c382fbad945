//! Queries of the pipeline's stages.

use diesel::prelude::*;
use erp_core::db::schema::crm_stages as st;
use erp_core::db::DbConnection;

use crate::model::StageRow;

/// The company's stages in pipeline order.
pub fn stages(conn: &mut DbConnection, company_id: &str) -> QueryResult<Vec<StageRow>> {
    st::table
        .filter(st::company_id.eq(company_id))
        .order((st::position, st::code))
        .select(StageRow::as_select())
        .load(conn)
}

pub fn save_stage(conn: &mut DbConnection, s: &StageRow) -> QueryResult<()> {
    let n = diesel::update(
        st::table
            .filter(st::company_id.eq(&s.company_id))
            .filter(st::code.eq(&s.code)),
    )
    .set((
        st::name.eq(&s.name),
        st::position.eq(s.position),
        st::probability.eq(s.probability),
        st::kind.eq(&s.kind),
    ))
    .execute(conn)?;
    if n == 0 {
        diesel::insert_into(st::table).values(s).execute(conn)?;
    }
    Ok(())
}
