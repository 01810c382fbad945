//! Queries of documents: their description, and their content read only on download.

use diesel::prelude::*;
use erp_core::db::schema::crm_documents as dc;
use erp_core::db::DbConnection;

use crate::model::DocumentInfo;

/// A document of the company, without its content.
pub fn find(conn: &mut DbConnection, id: &str, company: &str) -> QueryResult<Option<DocumentInfo>> {
    dc::table
        .find(id)
        .filter(dc::company_id.eq(company))
        .select(DocumentInfo::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, info: &DocumentInfo, content: &[u8]) -> QueryResult<()> {
    diesel::insert_into(dc::table)
        .values((info, dc::content.eq(content)))
        .execute(conn)
        .map(|_| ())
}

/// The documents of one record, newest first.
pub fn of_record(
    conn: &mut DbConnection,
    company: &str,
    entity_type: &str,
    entity_id: &str,
) -> QueryResult<Vec<DocumentInfo>> {
    dc::table
        .filter(dc::company_id.eq(company))
        .filter(dc::entity_type.eq(entity_type))
        .filter(dc::entity_id.eq(entity_id))
        .order(dc::created_at.desc())
        .select(DocumentInfo::as_select())
        .load(conn)
}

pub fn content(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<u8>> {
    dc::table.find(id).select(dc::content).first(conn)
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(dc::table.find(id)).execute(conn).map(|_| ())
}
