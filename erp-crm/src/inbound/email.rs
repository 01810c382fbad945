//! E-mails from the mail gateway: logged on the customer they came from, attachments kept as
//! the customer's documents, a sender nobody has made a lead when a rule says so.

use base64::Engine;

use erp_core::auth::Actor;
use erp_core::db::{enum_to_db, new_id, now, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::ids::PartnerId;
use erp_core::partner::dto::PartnerKind;

use super::dto::*;
use super::repo::{contact_with_email, find_customer};
use super::service::{lead_by_rule, sender_partner};
use crate::access;
use crate::automation::service::unknown_caller_rule;
use crate::document::dto::DocumentResponse;
use crate::document::service::{self as document, DocumentOwner};
use crate::interaction::dto::{Direction, InteractionKind};
use crate::interaction::service as interaction;
use crate::model::{CustomerRow, InteractionRow};

/// The most characters of a message's text an interaction keeps; a longer text is kept whole
/// as the document `message.txt`.
const MAX_EMAIL_TEXT: usize = 20_000;

/// The address of a `From` value (`anna@nord.example`, `Anna <anna@nord.example>`),
/// lower-cased, with the display name when one is given; None when it holds no address.
fn sender(from: &str) -> Option<(String, Option<String>)> {
    let from = from.trim();
    let (name, address) = match from.rfind('<') {
        Some(i) if from.ends_with('>') => (
            Some(from[..i].trim().trim_matches('"').trim()),
            &from[i + 1..from.len() - 1],
        ),
        _ => (None, from),
    };
    let address = address.trim().to_lowercase();
    let ok = address.len() <= 254
        && !address.contains(char::is_whitespace)
        && address
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    ok.then(|| {
        let name = name.filter(|n| !n.is_empty()).map(str::to_string);
        (address, name)
    })
}

/// A received e-mail checked: the sender's address and name, and the attachments' bytes.
struct Checked {
    address: String,
    name: Option<String>,
    files: Vec<Vec<u8>>,
}

fn check(req: &InboundEmail) -> Result<Checked, AppError> {
    let mut v = Validator::new();
    let from = sender(&req.from);
    v.check(from.is_some(), "from", "is not an e-mail address");
    v.check(req.to.len() <= 100, "to", "at most 100 recipients");
    v.opt_text("subject", req.subject.as_deref(), 2000);
    v.check(
        req.attachments.len() <= 20,
        "attachments",
        "at most 20 attachments",
    );
    let mut files = Vec::with_capacity(req.attachments.len());
    for (i, a) in req.attachments.iter().enumerate() {
        match base64::engine::general_purpose::STANDARD.decode(a.content_base64.trim()) {
            Ok(bytes) => files.push(bytes),
            Err(_) => v.add(
                format!("attachments[{i}].content_base64"),
                "is not base64 (standard alphabet, padded)",
            ),
        }
    }
    v.finish()?;
    // The validator refused a `from` without an address.
    let Some((address, name)) = from else {
        unreachable!("checked above");
    };
    Ok(Checked {
        address,
        name,
        files,
    })
}

/// The customer who has the sender's address, or a lead the unknown-caller rule makes of the
/// sender; true when the lead is new.
fn customer_of_sender(
    conn: &mut DbConnection,
    actor: &Actor,
    mail: &Checked,
) -> Result<(CustomerRow, bool), AppError> {
    let company = actor.company_id.to_db();
    if let Some(c) = find_customer(conn, &company, None, Some(&mail.address))? {
        return Ok((c, false));
    }
    let Some(rule) = unknown_caller_rule(conn, &company)? else {
        return Err(AppError::field(
            "from",
            "no customer has this address (and no unknown-caller rule makes leads)",
        ));
    };
    let address = &mail.address;
    let partner = sender_partner(
        PartnerKind::Person,
        mail.name.clone().unwrap_or_else(|| address.clone()),
        None,
        Some(address),
    );
    let why = format!("new lead from an e-mail by {address}");
    Ok((
        lead_by_rule(conn, actor, &rule, partner, "e-mail", why)?,
        true,
    ))
}

/// The subject as an interaction's topic: trimmed, at most 500 characters, `(no subject)`
/// when there is none.
fn topic(subject: Option<&str>) -> String {
    subject
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("(no subject)")
        .chars()
        .take(500)
        .collect()
}

/// The interaction's body: the text, or its head with a pointer to `message.txt` when the
/// text is longer than an interaction keeps (the second value then true).
fn body(text: &str) -> (String, bool) {
    if text.chars().count() > MAX_EMAIL_TEXT {
        let head: String = text.chars().take(MAX_EMAIL_TEXT - 40).collect();
        (format!("{head}\n[the whole text is in message.txt]"), true)
    } else {
        (text.to_string(), false)
    }
}

/// Logs a received e-mail on the customer whose address it came from (on the card or a
/// contact person), its attachments kept as the customer's documents; a sender nobody has
/// becomes a lead when an unknown-caller rule says so.
pub fn email_event(
    conn: &mut DbConnection,
    actor: &Actor,
    req: InboundEmail,
) -> Result<EmailLogged, AppError> {
    actor.require(access::INBOUND)?;
    let mail = check(&req)?;
    write_tx(conn, |conn| {
        let (c, created) = customer_of_sender(conn, actor, &mail)?;
        let text = req.text.as_deref().unwrap_or_default();
        let (body, long) = body(text);
        let at = now();
        let row = InteractionRow {
            id: new_id(),
            company_id: actor.company_id.to_db(),
            customer_id: c.partner_id.clone(),
            kind: enum_to_db(&InteractionKind::Email),
            occurred_at: req.received_at.map(|t| t.naive_utc()).unwrap_or(at),
            user_id: c.owner_id.clone().unwrap_or_else(|| actor.user_id.to_db()),
            contact_id: contact_with_email(conn, &c.partner_id, &mail.address)?,
            direction: Some(enum_to_db(&Direction::Inbound)),
            duration_seconds: None,
            outcome: None,
            topic: Some(topic(req.subject.as_deref())),
            result: None,
            body: (!body.is_empty()).then_some(body),
            deal_id: None,
            created_at: at,
        };
        let interaction = interaction::record(conn, actor, &row)?;
        let (mut documents, skipped_attachments) =
            keep_attachments(conn, actor, &c, &req.attachments, &mail.files)?;
        if long {
            documents.push(document::store(
                conn,
                actor,
                (DocumentOwner::Customer, c.partner_id.as_str()),
                &c.partner_id,
                "message.txt".into(),
                "text/plain",
                text.as_bytes(),
            )?);
        }
        Ok(EmailLogged {
            customer_id: PartnerId::from_db(&c.partner_id)?,
            created_lead: created,
            interaction,
            documents,
            skipped_attachments,
        })
    })
}

/// Stores the attachments a customer's document may be (by name, type and content) as the
/// customer's documents; the others are skipped with the reason.
fn keep_attachments(
    conn: &mut DbConnection,
    actor: &Actor,
    c: &CustomerRow,
    attachments: &[EmailAttachment],
    files: &[Vec<u8>],
) -> Result<(Vec<DocumentResponse>, Vec<SkippedAttachment>), AppError> {
    let owner = (DocumentOwner::Customer, c.partner_id.as_str());
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    for (a, bytes) in attachments.iter().zip(files) {
        let content_type = a
            .content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match document::check_file(&a.file_name, &content_type, bytes) {
            Ok(name) => documents.push(document::store(
                conn,
                actor,
                owner,
                &c.partner_id,
                name,
                &content_type,
                bytes,
            )?),
            Err(reason) => skipped.push(SkippedAttachment {
                file_name: a.file_name.clone(),
                reason,
            }),
        }
    }
    Ok((documents, skipped))
}
