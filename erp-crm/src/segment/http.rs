use actix_web::{get, post, web, HttpResponse};
use erp_core::auth::Actor;
use erp_core::error::{AppError, Problem};
use erp_core::http::{created, Json, Query};
use erp_core::ids::PartnerId;
use erp_core::pagination::PageParams;
use erp_core::Ctx;

use super::service::{
    self, CampaignRequest, CampaignResponse, MemberList, ResponseRequest, SegmentList,
    SegmentRequest, SegmentResponse, SuggestRequest, SuggestionList,
};
use crate::ids::{CampaignId, SegmentId};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_segments)
        .service(save_segment)
        .service(segment_members)
        .service(segment_members_csv)
        .service(create_campaign)
        .service(get_campaign)
        .service(record_response)
        .service(customer_suggestions)
        .service(basket_suggestions);
}

/// List customer segments
#[utoipa::path(tag = "crm", responses((status = 200, body = SegmentList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/segments")]
pub async fn list_segments(ctx: web::Data<Ctx>, actor: Actor) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::list_segments(c, &actor))
            .await?,
    ))
}

/// Saves a segment: filters on status, tags, region, segment, owner, last contact, order
/// totals in a period and products bought. Saving under an existing name replaces it.
#[utoipa::path(tag = "crm", request_body = SegmentRequest, responses((status = 201, body = SegmentResponse), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/segments")]
pub async fn save_segment(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<SegmentRequest>,
) -> Result<HttpResponse, AppError> {
    let s = ctx
        .db
        .run(move |c| service::save_segment(c, &actor, body.0))
        .await?;
    Ok(created(
        &s,
        format!("/api/v1/crm/segments/{}/members", s.id),
    ))
}

/// The customers the segment holds now, with their contact data.
#[utoipa::path(tag = "crm", params(("id" = SegmentId, Path), PageParams), responses((status = 200, body = MemberList), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/segments/{id}/members")]
pub async fn segment_members(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<SegmentId>,
    page: Query<PageParams>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let members = ctx
        .db
        .run(move |c| service::members(c, &actor, id, page.0))
        .await?;
    Ok(HttpResponse::Ok().json(members))
}

/// The members as CSV (customer_id, name, status, phone, email) for a mailing tool.
#[utoipa::path(tag = "crm", params(("id" = SegmentId, Path)), responses((status = 200, description = "CSV", content_type = "text/csv", body = String), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/segments/{id}/members.csv")]
pub async fn segment_members_csv(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<SegmentId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let text = ctx
        .db
        .run(move |c| service::members_csv(c, &actor, id))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .body(text))
}

/// A campaign to a segment over a channel; its members are fixed when it is made.
#[utoipa::path(tag = "crm", request_body = CampaignRequest, responses((status = 201, body = CampaignResponse)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/campaigns")]
pub async fn create_campaign(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<CampaignRequest>,
) -> Result<HttpResponse, AppError> {
    let c = ctx
        .db
        .run(move |conn| service::create_campaign(conn, &actor, body.0))
        .await?;
    Ok(created(&c, format!("/api/v1/crm/campaigns/{}", c.id)))
}

/// A campaign with its delivery counts
#[utoipa::path(tag = "crm", params(("id" = CampaignId, Path)), responses((status = 200, body = CampaignResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/campaigns/{id}")]
pub async fn get_campaign(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<CampaignId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::get_campaign(c, &actor, id))
            .await?,
    ))
}

/// Records a member's response to the campaign.
#[utoipa::path(tag = "crm", params(("id" = CampaignId, Path)), request_body = ResponseRequest, responses((status = 200, body = CampaignResponse), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/campaigns/{id}/responses")]
pub async fn record_response(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<CampaignId>,
    body: Json<ResponseRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::record_response(c, &actor, id, body.0))
            .await?,
    ))
}

/// Items often bought together with what the customer buys (from order history).
#[utoipa::path(tag = "crm", params(("id" = PartnerId, Path)), responses((status = 200, body = SuggestionList), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer_auth" = []), ("api_key" = [])))]
#[get("/crm/customers/{id}/suggestions")]
pub async fn customer_suggestions(
    ctx: web::Data<Ctx>,
    actor: Actor,
    id: web::Path<PartnerId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::suggestions_for_customer(c, &actor, id))
            .await?,
    ))
}

/// Items often bought together with those of a quote or basket.
#[utoipa::path(tag = "crm", request_body = SuggestRequest, responses((status = 200, body = SuggestionList)), security(("bearer_auth" = []), ("api_key" = [])))]
#[post("/crm/suggestions")]
pub async fn basket_suggestions(
    ctx: web::Data<Ctx>,
    actor: Actor,
    body: Json<SuggestRequest>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        ctx.db
            .run(move |c| service::suggestions_for_items(c, &actor, body.0))
            .await?,
    ))
}
