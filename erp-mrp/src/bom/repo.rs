use diesel::prelude::*;
use erp_core::db::schema::{bom_lines as bl, boms};
use erp_core::db::DbConnection;
use erp_core::ids::CompanyId;
use erp_core::pagination::PageRequest;
use erp_inventory::ids::ItemId;

use crate::model::{Bom, BomLineRow, PlanningBom, PlanningLine};
use crate::states::BomStatus;

pub fn find(conn: &mut DbConnection, id: &str, company_id: CompanyId) -> QueryResult<Option<Bom>> {
    boms::table
        .find(id)
        .filter(boms::company_id.eq(company_id))
        .select(Bom::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, b: &Bom) -> QueryResult<()> {
    diesel::insert_into(boms::table)
        .values(b)
        .execute(conn)
        .map(|_| ())
}

pub fn update_versioned(conn: &mut DbConnection, b: &Bom, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(
        boms::table
            .filter(boms::id.eq(&b.id))
            .filter(boms::version.eq(expected)),
    )
    .set((
        boms::status.eq(&b.status),
        boms::output_quantity.eq(b.output_quantity),
        boms::notes.eq(&b.notes),
        boms::version.eq(b.version),
        boms::updated_at.eq(b.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn revisions_of(conn: &mut DbConnection, item_id: ItemId) -> QueryResult<Vec<String>> {
    boms::table
        .filter(boms::item_id.eq(item_id))
        .select(boms::revision)
        .load(conn)
}

pub fn active_of(conn: &mut DbConnection, item_id: ItemId) -> QueryResult<Option<Bom>> {
    boms::table
        .filter(boms::item_id.eq(item_id))
        .filter(boms::status.eq(BomStatus::Active))
        .select(Bom::as_select())
        .first(conn)
        .optional()
}

pub fn lines_of(conn: &mut DbConnection, bom_id: &str) -> QueryResult<Vec<BomLineRow>> {
    bl::table
        .filter(bl::bom_id.eq(bom_id))
        .order(bl::line_no)
        .select(BomLineRow::as_select())
        .load(conn)
}

pub fn replace_lines(
    conn: &mut DbConnection,
    bom_id: &str,
    lines: &[BomLineRow],
) -> QueryResult<()> {
    diesel::delete(bl::table.filter(bl::bom_id.eq(bom_id))).execute(conn)?;
    for l in lines {
        diesel::insert_into(bl::table).values(l).execute(conn)?;
    }
    Ok(())
}

/// (item, component) for every line of the active BOMs of `items`.
pub fn active_components_of(
    conn: &mut DbConnection,
    items: &[ItemId],
) -> QueryResult<Vec<(ItemId, ItemId)>> {
    let mut out = Vec::new();
    for chunk in items.chunks(5000) {
        out.extend(
            bl::table
                .inner_join(boms::table.on(boms::id.eq(bl::bom_id)))
                .filter(boms::item_id.eq_any(chunk))
                .filter(boms::status.eq(BomStatus::Active))
                .select((boms::item_id, bl::component_id))
                .distinct()
                .load::<(ItemId, ItemId)>(conn)?,
        );
    }
    Ok(out)
}

/// A function reading every active BOM of a company with its lines in line order, as the
/// row types `$bom` (with `id`) and `$line` (with `bom_id`, `line_no`) select them.
macro_rules! active_boms {
    ($(#[$doc:meta])* $name:ident, $bom:ty, $line:ty) => {
        $(#[$doc])*
        pub fn $name(
            conn: &mut DbConnection,
            company_id: CompanyId,
        ) -> QueryResult<Vec<($bom, Vec<$line>)>> {
            let heads: Vec<$bom> = boms::table
                .filter(boms::company_id.eq(company_id))
                .filter(boms::status.eq(BomStatus::Active))
                .select(<$bom>::as_select())
                .load(conn)?;
            let lines: Vec<$line> = bl::table
                .inner_join(boms::table.on(boms::id.eq(bl::bom_id)))
                .filter(boms::company_id.eq(company_id))
                .filter(boms::status.eq(BomStatus::Active))
                .select(<$line>::as_select())
                .load(conn)?;
            // Grouped and put in line order here: sorting the company's lines in SQL cost more.
            let mut by_bom: std::collections::HashMap<String, Vec<$line>> =
                std::collections::HashMap::new();
            for l in lines {
                by_bom.entry(l.bom_id.clone()).or_default().push(l);
            }
            Ok(heads
                .into_iter()
                .map(|b| {
                    let mut lines = by_bom.remove(&b.id).unwrap_or_default();
                    lines.sort_unstable_by_key(|l| l.line_no);
                    (b, lines)
                })
                .collect())
        }
    };
}

active_boms!(
    /// Every active BOM of the company with its lines, whole rows.
    active_structure,
    Bom,
    BomLineRow
);

active_boms!(
    /// The same as a planning run reads it: the few columns it needs (whole rows cost twice
    /// as much to read).
    active_for_planning,
    PlanningBom,
    PlanningLine
);

pub struct BomFilter {
    pub item_id: Option<ItemId>,
    pub status: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    company_id: CompanyId,
    f: &BomFilter,
    page: &PageRequest,
) -> QueryResult<Vec<Bom>> {
    let mut q = boms::table
        .filter(boms::company_id.eq(company_id))
        .into_boxed();
    if let Some(i) = &f.item_id {
        q = q.filter(boms::item_id.eq(*i));
    }
    if let Some(s) = &f.status {
        q = q.filter(boms::status.eq(s.clone()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(boms::updated_at.ge(since));
    }
    if let Some(after) = &page.after {
        q = q.filter(boms::id.gt(after.clone()));
    }
    q.order(boms::id.asc())
        .limit(page.fetch_limit())
        .select(Bom::as_select())
        .load(conn)
}
