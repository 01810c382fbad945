//! The lookups of inbound calls, leads and e-mails: who a number or an address belongs to.

use diesel::prelude::*;
use erp_core::db::schema::{
    crm_contacts as ct, crm_customers as cu, partner_contacts as pc, partners,
};
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::phone::Dialling;

use crate::model::CustomerRow;

/// The customer of the company with this phone number or e-mail (on the partner or a
/// contact person), if any.
pub fn find_customer(
    conn: &mut DbConnection,
    company_id: &str,
    phone: Option<&str>,
    email: Option<&str>,
) -> Result<Option<CustomerRow>, AppError> {
    let mut partner_ids: Vec<String> = Vec::new();
    let dialling = Dialling::of_company(conn, CompanyId::from_db(company_id)?)?;
    if let Some(p) = phone.and_then(|p| dialling.e164(p).ok()) {
        partner_ids.extend(
            pc::table
                .inner_join(partners::table.on(partners::id.eq(pc::partner_id)))
                .filter(partners::company_id.eq(company_id))
                .filter(pc::channel.eq("phone"))
                .filter(pc::normalized.eq(&p))
                .select(pc::partner_id)
                .load::<String>(conn)?,
        );
        partner_ids.extend(
            ct::table
                .filter(ct::phone_normalized.eq(&p))
                .select(ct::customer_id)
                .load::<String>(conn)?,
        );
    }
    if let Some(e) = email
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
    {
        partner_ids.extend(
            pc::table
                .inner_join(partners::table.on(partners::id.eq(pc::partner_id)))
                .filter(partners::company_id.eq(company_id))
                .filter(pc::channel.eq("email"))
                .filter(pc::normalized.eq(&e))
                .select(pc::partner_id)
                .load::<String>(conn)?,
        );
        partner_ids.extend(
            ct::table
                .filter(ct::email_normalized.eq(&e))
                .select(ct::customer_id)
                .load::<String>(conn)?,
        );
    }
    if partner_ids.is_empty() {
        return Ok(None);
    }
    Ok(cu::table
        .filter(cu::company_id.eq(company_id))
        .filter(cu::partner_id.eq_any(partner_ids))
        .order(cu::created_at)
        .select(CustomerRow::as_select())
        .first(conn)
        .optional()?)
}

/// The contact person of customer `customer_id` with this (normalized) e-mail address, if any.
pub fn contact_with_email(
    conn: &mut DbConnection,
    customer_id: &str,
    email: &str,
) -> QueryResult<Option<String>> {
    ct::table
        .filter(ct::customer_id.eq(customer_id))
        .filter(ct::email_normalized.eq(email))
        .filter(ct::removed_at.is_null())
        .select(ct::id)
        .first(conn)
        .optional()
}
