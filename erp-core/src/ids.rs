//! Typed ids: the compiler stops a user id going where a branch id belongs.
//! In the database they are UUID strings; on the wire, UUID strings. A row field of an id type
//! reads and writes its TEXT column itself (`erp-core/src/db/entity_id.rs`), so the one
//! conversion is there; a stored text that is not a UUID is a deserialization error.

crate::entity_id!(CompanyId);
crate::entity_id!(BranchId);
crate::entity_id!(PartnerId);
crate::entity_id!(UserId);
crate::entity_id!(RoleId);
crate::entity_id!(ApiKeyId);
crate::entity_id!(AuditEventId);

/// Each id once, in order: to look up a set of ids with one query rather than one per use.
pub fn distinct<T: Ord>(ids: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = ids.into_iter().collect();
    out.sort();
    out.dedup();
    out
}
