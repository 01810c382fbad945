//! The merge of two customers into one that keeps all history.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{new_id, now, write_tx, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::PartnerId;
use erp_core::partner::repo as partner_repo;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::repo;
use crate::access;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The duplicate: its history moves to the customer in the path, and it goes.
    pub duplicate_id: PartnerId,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MergeResult {
    pub customer_id: PartnerId,
    pub interactions: usize,
    pub deals: usize,
    pub tasks: usize,
    pub orders: usize,
    pub tickets: usize,
    pub contacts: usize,
}

/// Merges a duplicate into a customer: interactions, deals, tasks, orders, tickets, contact
/// people and campaign responses move over, phones and e-mails are added to the partner,
/// tags are joined; the duplicate's card goes and its partner is deactivated.
pub fn merge(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PartnerId,
    req: MergeRequest,
) -> Result<MergeResult, AppError> {
    actor.require(access::WRITE)?;
    if id == req.duplicate_id {
        return Err(AppError::field(
            "duplicate_id",
            "a customer cannot be merged into itself",
        ));
    }
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let mut keep = {
            let found = repo::find(conn, &id.to_string(), &company)?;
            access::writable(conn, actor, found)
        }?;
        let dup = {
            let found = repo::find(conn, &req.duplicate_id.to_string(), &company)?;
            access::writable(conn, actor, found)
        }
        .map_err(|_| AppError::field("duplicate_id", "no such customer of yours"))?;
        let (k, d) = (keep.partner_id.clone(), dup.partner_id.clone());
        let at = now();
        let moved = repo::move_history(conn, &d, &k, at)?;
        // Phones and e-mails the survivor lacks.
        let mine = partner_repo::contacts_of(conn, &k)?;
        let mut position = mine.len() as i32;
        for mut c in partner_repo::contacts_of(conn, &d)? {
            if mine
                .iter()
                .any(|m| m.channel == c.channel && m.normalized == c.normalized)
            {
                continue;
            }
            position += 1;
            c.id = new_id();
            c.partner_id = k.clone();
            c.position = position;
            c.is_primary = false;
            partner_repo::add_contact(conn, &c)?;
        }
        let theirs: Vec<String> = serde_json::from_str(&dup.tags).unwrap_or_default();
        let v = keep.version;
        keep.tags = joined_tags(&keep.tags, theirs);
        keep.version += 1;
        keep.updated_at = at;
        repo::update_versioned(conn, &keep, v)?;
        if let Some(last) = dup.last_contact_at {
            repo::touch_contact(conn, &k, last)?;
        }
        repo::delete(conn, &d)?;
        partner_repo::retire_customer(conn, &d, at)?;
        let out = MergeResult {
            customer_id: id,
            interactions: moved.interactions,
            deals: moved.deals,
            tasks: moved.tasks,
            orders: moved.orders,
            tickets: moved.tickets,
            contacts: moved.contacts,
        };
        audit::record(
            conn,
            actor,
            "customer",
            &k,
            Change::Action(
                "merge",
                Some(&serde_json::json!({"duplicate_id": d, "moved": &out})),
            ),
        )?;
        Ok(out)
    })
}

/// A card's tags (a JSON array) joined with more, sorted, each once.
pub(super) fn joined_tags(tags: &str, more: Vec<String>) -> String {
    let mut all: Vec<String> = serde_json::from_str(tags).unwrap_or_default();
    all.extend(more);
    all.sort();
    all.dedup();
    serde_json::Value::from(all).to_string()
}
