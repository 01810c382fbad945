//! Who may see and change what in CRM. Managers work on their own customers; `crm.all`
//! (the head of sales) reaches everyone's, a team lead the team members'. Personal data (phones, e-mails,
//! addresses) is shown only with `crm.personal_data.read` and changed only with
//! `crm.personal_data.write` (the operator who keeps customer data clean, who does not
//! touch deals). Enforced here, in the services, for every route.

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::{AppError, Validator};
use erp_core::filter;
use erp_core::iam::user;
use erp_core::ids::{PartnerId, UserId};

use crate::model::CustomerRow;

pub(crate) mod repo;

pub const READ: &str = "crm.customer.read";
pub const WRITE: &str = "crm.customer.write";
pub const ALL: &str = "crm.all";
pub const PERSONAL_READ: &str = "crm.personal_data.read";
pub const PERSONAL_WRITE: &str = "crm.personal_data.write";
pub const DEALS: &str = "crm.deal.write";
pub const TASKS: &str = "crm.task.write";
pub const CONFIGURE: &str = "crm.configure";
pub const INBOUND: &str = "crm.inbound";
pub const ORDERS: &str = "crm.order.write";

/// Whether the actor reaches this customer at all: their own, a member's of a team they
/// lead, or anyone's with `crm.all`.
pub fn reaches(conn: &mut DbConnection, actor: &Actor, c: &CustomerRow) -> Result<bool, AppError> {
    if actor.can(ALL) {
        return Ok(true);
    }
    match c.owner_id.as_deref() {
        Some(owner) if owner == actor.user_id.to_db() => Ok(true),
        Some(owner) => reaches_user(conn, actor, owner),
        None => Ok(false),
    }
}

/// Whether the actor works for `user` as well: the user themselves, a member of a team the
/// actor leads, or anyone with `crm.all`.
pub fn reaches_user(conn: &mut DbConnection, actor: &Actor, user: &str) -> Result<bool, AppError> {
    let me = actor.user_id.to_db();
    if actor.can(ALL) || user == me {
        return Ok(true);
    }
    Ok(repo::leads_member(conn, &me, user)?)
}

/// The owners whose customers the actor reaches: `None` for everyone's (`crm.all`), else
/// the actor and the members of the teams the actor leads.
pub fn visible_owners(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<Option<Vec<String>>, AppError> {
    if actor.can(ALL) {
        return Ok(None);
    }
    let me = actor.user_id.to_db();
    let mut owners = repo::members_led_by(conn, &me)?;
    owners.push(me);
    owners.sort();
    owners.dedup();
    Ok(Some(owners))
}

/// The owners a list shows: those visible, narrowed to the one asked for (if visible).
pub fn narrow_owners(visible: Option<Vec<String>>, asked: Option<UserId>) -> Option<Vec<String>> {
    match (visible, asked) {
        (None, asked) => asked.map(|o| vec![o.to_string()]),
        (Some(mine), None) => Some(mine),
        (Some(mine), Some(o)) => Some(mine.into_iter().filter(|m| *m == o.to_string()).collect()),
    }
}

/// A user of the actor's company, for owners and assignees.
pub fn check_user(
    conn: &mut DbConnection,
    actor: &Actor,
    id: UserId,
    field: &str,
) -> Result<String, AppError> {
    let user = erp_core::iam::user::repo::find(conn, id)?
        .filter(|u| u.company_id == actor.company_id && u.active)
        .ok_or_else(|| AppError::field(field, "no such active user"))?;
    Ok(user.id.to_db())
}

/// A filter naming a user (an owner, an assignee): a user of the actor's company, or 404.
pub fn user_filter(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Option<UserId>,
) -> Result<(), AppError> {
    filter::names(id, |u| user::service::load_visible(conn, actor, u))
}

/// A filter naming a customer: one the actor may read, or 404 as if absent.
pub fn customer_filter(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Option<PartnerId>,
) -> Result<(), AppError> {
    filter::names(id, |c| {
        let row = repo::customer(conn, &c.to_string(), &actor.company_id.to_db())?;
        readable(conn, actor, row)
    })
}

/// The customers whose records the actor reaches: `None` for everyone's (`crm.all`), else
/// those of the owners in [`visible_owners`].
pub fn visible_customers(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<Option<Vec<String>>, AppError> {
    match visible_owners(conn, actor)? {
        Some(owners) => Ok(Some(repo::customers_of_owners(
            conn,
            &actor.company_id.to_db(),
            &owners,
        )?)),
        None => Ok(None),
    }
}

/// The customer if the actor may read it; someone else's customer is 404, as if absent.
pub fn readable(
    conn: &mut DbConnection,
    actor: &Actor,
    c: Option<CustomerRow>,
) -> Result<CustomerRow, AppError> {
    if !(actor.can(READ) || actor.can(PERSONAL_READ)) {
        return Err(AppError::Forbidden(READ.into()));
    }
    match c {
        Some(c) if actor.can(PERSONAL_WRITE) || reaches(conn, actor, &c)? => Ok(c),
        _ => Err(AppError::NotFound("customer")),
    }
}

/// The customer if the actor may work on it (log interactions, change the card).
pub fn writable(
    conn: &mut DbConnection,
    actor: &Actor,
    c: Option<CustomerRow>,
) -> Result<CustomerRow, AppError> {
    actor.require(WRITE)?;
    match c {
        Some(c) if reaches(conn, actor, &c)? => Ok(c),
        _ => Err(AppError::NotFound("customer")),
    }
}

/// Checks the actor may read (or, with `write`, work on) a record of this customer: an order,
/// quote, document, ticket. Otherwise the record answers 404 as `entity`, as if absent.
pub fn check_record(
    conn: &mut DbConnection,
    actor: &Actor,
    customer_id: &str,
    company_id: &str,
    write: bool,
    entity: &'static str,
) -> Result<(), AppError> {
    let c = repo::customer(conn, customer_id, company_id)?;
    let ok = if write {
        writable(conn, actor, c).is_ok()
    } else {
        readable(conn, actor, c).is_ok()
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::NotFound(entity))
    }
}

/// Codes of configuration entries (stages, call outcomes): what clients match on.
pub fn check_config_code(v: &mut Validator, code: &str) {
    v.check(
        !code.is_empty()
            && code.len() <= 50
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
        "code",
        "lowercase letters, digits and underscores, at most 50",
    );
}
