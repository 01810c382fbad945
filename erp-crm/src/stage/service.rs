//! The pipeline's stages: seeded with the defaults on first use, added or changed by code.

use erp_core::audit::{self, Change};
use erp_core::auth::Actor;
use erp_core::db::{new_id, write_tx, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Qty;
use rust_decimal::Decimal;

use super::dto::*;
use super::repo;
use crate::access;
use crate::ids::StageId;
use crate::model::StageRow;

/// The stages every company starts with.
const DEFAULT_STAGES: [(&str, &str, i64, StageKind); 5] = [
    ("qualification", "Qualification", 10, StageKind::Open),
    ("proposal", "Proposal", 40, StageKind::Open),
    ("negotiation", "Negotiation", 70, StageKind::Open),
    ("won", "Won", 100, StageKind::Won),
    ("lost", "Lost", 0, StageKind::Lost),
];

/// The company's pipeline, seeded with the defaults on first use.
pub fn stages(conn: &mut DbConnection, company_id: &str) -> Result<Vec<StageRow>, AppError> {
    let mut list = repo::stages(conn, company_id)?;
    if list.is_empty() {
        for (i, (code, name, p, kind)) in DEFAULT_STAGES.iter().enumerate() {
            repo::save_stage(
                conn,
                &StageRow {
                    id: new_id(),
                    company_id: company_id.to_string(),
                    code: code.to_string(),
                    name: name.to_string(),
                    position: (i as i32 + 1) * 10,
                    probability: p * 1_000_000,
                    kind: *kind,
                },
            )?;
        }
        list = repo::stages(conn, company_id)?;
    }
    Ok(list)
}

/// A stage of the company's pipeline, or 404.
pub fn load(conn: &mut DbConnection, company_id: &str, id: StageId) -> Result<StageRow, AppError> {
    let id = id.to_string();
    stages(conn, company_id)?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound("stage"))
}

fn stage_response(s: &StageRow) -> Result<StageResponse, AppError> {
    Ok(StageResponse {
        id: StageId::from_db(&s.id)?,
        code: s.code.clone(),
        name: s.name.clone(),
        position: s.position,
        probability: Qty::from_scaled(s.probability),
        kind: s.kind,
    })
}

pub fn list_stages(conn: &mut DbConnection, actor: &Actor) -> Result<StageList, AppError> {
    actor.require(access::READ)?;
    let list = write_tx(conn, |conn| stages(conn, &actor.company_id.to_db()))?;
    Ok(StageList {
        items: list.iter().map(stage_response).collect::<Result<_, _>>()?,
    })
}

pub fn save_stage(
    conn: &mut DbConnection,
    actor: &Actor,
    req: StageRequest,
) -> Result<StageList, AppError> {
    actor.require(access::CONFIGURE)?;
    let mut v = Validator::new();
    access::check_config_code(&mut v, &req.code);
    v.text("name", &req.name, 100);
    v.check(
        req.probability >= Qty::ZERO && req.probability.value() <= Decimal::ONE_HUNDRED,
        "probability",
        "must be between 0 and 100",
    );
    v.finish()?;
    write_tx(conn, |conn| {
        let company = actor.company_id.to_db();
        stages(conn, &company)?;
        repo::save_stage(
            conn,
            &StageRow {
                id: new_id(),
                company_id: company,
                code: req.code.clone(),
                name: req.name.trim().to_string(),
                position: req.position,
                probability: req
                    .probability
                    .to_scaled()
                    .map_err(|e| AppError::field("probability", e.to_string()))?,
                kind: req.kind.unwrap_or(StageKind::Open),
            },
        )?;
        audit::record(
            conn,
            actor,
            "pipeline_stage",
            &req.code,
            Change::Action("save", Some(&req.name)),
        )?;
        Ok::<_, AppError>(())
    })?;
    list_stages(conn, actor)
}
