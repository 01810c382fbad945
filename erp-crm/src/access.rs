//! Who may see and change what in CRM. Managers work on their own customers; `crm.all`
//! (a team lead, the head of sales) reaches everyone's. Personal data (phones, e-mails,
//! addresses) is shown only with `crm.personal_data.read` and changed only with
//! `crm.personal_data.write` (the operator who keeps customer data clean, who does not
//! touch deals). Enforced here, in the services, for every route.

use erp_core::auth::Actor;
use erp_core::error::{AppError, Validator};

use crate::model::CustomerRow;

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

/// Whether the actor reaches this customer at all.
pub fn reaches(actor: &Actor, c: &CustomerRow) -> bool {
    actor.can(ALL) || c.owner_id.as_deref() == Some(actor.user_id.to_db().as_str())
}

/// The customer if the actor may read it; someone else's customer is 404, as if absent.
pub fn readable(actor: &Actor, c: Option<CustomerRow>) -> Result<CustomerRow, AppError> {
    match c {
        Some(c)
            if (actor.can(READ) || actor.can(PERSONAL_READ))
                && (reaches(actor, &c) || actor.can(PERSONAL_WRITE)) =>
        {
            Ok(c)
        }
        _ => Err(AppError::NotFound("customer")),
    }
}

/// The customer if the actor may work on it (log interactions, change the card).
pub fn writable(actor: &Actor, c: Option<CustomerRow>) -> Result<CustomerRow, AppError> {
    actor.require(WRITE)?;
    match c {
        Some(c) if reaches(actor, &c) => Ok(c),
        _ => Err(AppError::NotFound("customer")),
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
