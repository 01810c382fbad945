use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{enum_from_db, enum_to_db, new_id, now, uuid_from_db, write_tx, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::PartnerId;
use sha2::{Digest, Sha256};

pub use super::dto::*;
use super::repo;
use crate::access;
use crate::customer::repo as customer_repo;
use crate::ids::DocumentId;
use crate::model::{CustomerRow, DocumentInfo};

const ENTITY: &str = "document";

/// Largest file: 10 MiB.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// The types a document may have, each with the first bytes its files start with (None:
/// text, which must be UTF-8).
pub const ACCEPTED_TYPES: &[(&str, Option<&[u8]>)] = &[
    ("application/pdf", Some(b"%PDF-")),
    ("image/png", Some(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", Some(b"\xff\xd8\xff")),
    ("text/plain", None),
    ("text/csv", None),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some(b"PK\x03\x04"),
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some(b"PK\x03\x04"),
    ),
    (
        "application/vnd.oasis.opendocument.text",
        Some(b"PK\x03\x04"),
    ),
    (
        "application/vnd.oasis.opendocument.spreadsheet",
        Some(b"PK\x03\x04"),
    ),
];

pub use erp_core::http::FileBytes;

/// A file to hand back: its name, type and bytes.
pub struct Download {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

fn to_response(r: &DocumentInfo) -> Result<DocumentResponse, AppError> {
    Ok(DocumentResponse {
        id: DocumentId::from_db(&r.id)?,
        entity_type: enum_from_db(&r.entity_type)?,
        entity_id: uuid_from_db(&r.entity_id)?,
        customer_id: PartnerId::from_db(&r.customer_id)?,
        file_name: r.file_name.clone(),
        content_type: r.content_type.clone(),
        size_bytes: r.size_bytes,
        sha256: r.sha256.clone(),
        uploaded_by: r.uploaded_by.clone(),
        created_at: r.created_at.and_utc(),
    })
}

/// The customer a record belongs to, if the record exists in the company.
pub fn customer_of(
    conn: &mut DbConnection,
    company: &str,
    owner: DocumentOwner,
    id: &str,
) -> Result<Option<CustomerRow>, AppError> {
    let customer_id = match owner {
        DocumentOwner::Customer => Some(id.to_string()),
        DocumentOwner::Deal => crate::deal::repo::find(conn, id, company)?.map(|d| d.customer_id),
        DocumentOwner::Order => crate::order::repo::find(conn, id, company)?.map(|o| o.customer_id),
        DocumentOwner::Ticket => {
            crate::ticket::repo::find(conn, id, company)?.map(|t| t.customer_id)
        }
    };
    match customer_id {
        Some(c) => Ok(customer_repo::find(conn, &c, company)?),
        None => Ok(None),
    }
}

/// Checks a file name: no path, no control characters, at most 200 characters.
fn clean_file_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= 200
        && !name
            .chars()
            .any(|c| c.is_control() || matches!(c, '/' | '\\' | '"'))
        && name != "."
        && name != "..";
    if !ok {
        return Err(AppError::field(
            "file_name",
            "1 to 200 characters, without slashes, quotes or control characters",
        ));
    }
    Ok(name.to_string())
}

/// Whether the bytes are what the type says.
fn check_content(content_type: &str, bytes: &[u8]) -> Result<(), AppError> {
    let Some((_, magic)) = ACCEPTED_TYPES.iter().find(|(t, _)| *t == content_type) else {
        return Err(AppError::UnsupportedMediaType(format!(
            "documents may be {}",
            ACCEPTED_TYPES
                .iter()
                .map(|(t, _)| *t)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    if bytes.is_empty() {
        return Err(AppError::field("body", "the file is empty"));
    }
    let fits = match magic {
        Some(m) => bytes.starts_with(m),
        None => std::str::from_utf8(bytes).is_ok(),
    };
    if !fits {
        return Err(AppError::field(
            "body",
            format!("the content is not {content_type}"),
        ));
    }
    Ok(())
}

pub fn upload(
    conn: &mut DbConnection,
    actor: &Actor,
    q: UploadQuery,
    content_type: &str,
    bytes: Vec<u8>,
) -> Result<DocumentResponse, AppError> {
    actor.require(access::WRITE)?;
    let file_name = clean_file_name(&q.file_name)?;
    check_content(content_type, &bytes)?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        let entity_id = q.entity_id.to_string();
        let c = customer_of(conn, &company, q.entity_type, &entity_id)?;
        let c = access::writable(conn, actor, c)
            .map_err(|_| AppError::field("entity_id", "no such record of yours"))?;
        store(
            conn,
            actor,
            (q.entity_type, &entity_id),
            &c.partner_id,
            file_name,
            content_type,
            &bytes,
        )
    })
}

/// A file's name as a document keeps it, or why the file cannot be kept (its name, its
/// size, its type, its content).
pub fn check_file(file_name: &str, content_type: &str, bytes: &[u8]) -> Result<String, String> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(format!("larger than {MAX_DOCUMENT_BYTES} bytes"));
    }
    let checked = clean_file_name(file_name).and_then(|name| {
        check_content(content_type, bytes)?;
        Ok(name)
    });
    checked.map_err(|e| match e {
        AppError::Validation(errors) => errors
            .into_iter()
            .map(|f| match f.field.as_str() {
                "file_name" => format!("file_name: {}", f.message),
                _ => f.message,
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    })
}

/// Keeps a checked file as a document of a record (`owner`) of customer `customer_id`, with
/// its audit entry; the caller has checked the right to write there.
pub fn store(
    conn: &mut DbConnection,
    actor: &Actor,
    owner: (DocumentOwner, &str),
    customer_id: &str,
    file_name: String,
    content_type: &str,
    bytes: &[u8],
) -> Result<DocumentResponse, AppError> {
    let info = DocumentInfo {
        id: new_id(),
        company_id: actor.company_id.to_db(),
        entity_type: enum_to_db(&owner.0),
        entity_id: owner.1.to_string(),
        customer_id: customer_id.to_string(),
        file_name,
        content_type: content_type.to_string(),
        size_bytes: bytes.len() as i64,
        sha256: Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        uploaded_by: actor.username.clone(),
        created_at: now(),
    };
    repo::insert(conn, &info, bytes)?;
    let out = to_response(&info)?;
    audit::record(conn, actor, ENTITY, &info.id, Change::Created(&out))?;
    Ok(out)
}

pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    q: DocumentQuery,
) -> Result<DocumentList, AppError> {
    actor.require(access::READ)?;
    let company = actor.company_id.to_db();
    let entity_id = q.entity_id.to_string();
    let c = customer_of(conn, &company, q.entity_type, &entity_id)?;
    access::readable(conn, actor, c)?;
    let rows = repo::of_record(conn, &company, &enum_to_db(&q.entity_type), &entity_id)?;
    Ok(DocumentList {
        items: rows.iter().map(to_response).collect::<Result<_, _>>()?,
    })
}

/// The document's row, if the actor reaches its customer.
fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: DocumentId,
    write: bool,
) -> Result<DocumentInfo, AppError> {
    let d = repo::find(conn, &id.to_string(), &actor.company_id.to_db())?
        .ok_or(AppError::NotFound(ENTITY))?;
    access::check_record(conn, actor, &d.customer_id, &d.company_id, write, ENTITY)?;
    Ok(d)
}

pub fn download(
    conn: &mut DbConnection,
    actor: &Actor,
    id: DocumentId,
) -> Result<Download, AppError> {
    actor.require(access::READ)?;
    let d = load(conn, actor, id, false)?;
    let content = repo::content(conn, &d.id)?;
    Ok(Download {
        file_name: d.file_name,
        content_type: d.content_type,
        content,
    })
}

pub fn delete(conn: &mut DbConnection, actor: &Actor, id: DocumentId) -> Result<(), AppError> {
    actor.require(access::WRITE)?;
    write_tx(conn, |conn| {
        let d = load(conn, actor, id, true)?;
        repo::delete(conn, &d.id)?;
        audit::record(
            conn,
            actor,
            ENTITY,
            &d.id,
            Change::Deleted(&serde_json::json!({"file_name": d.file_name, "sha256": d.sha256})),
        )?;
        Ok(())
    })
}
