//! What an allocation is worth in company currency, and the entry of what it settles without
//! money: an early-payment discount, a write-off and the realised exchange difference.

use chrono::NaiveDate;
use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::CompanyId;

use super::checks::{label, Asked};
use super::model::OpenDocument;
use super::repo;
use super::service::{Source, SourceKind};
use crate::currency::to_company;
use crate::entry::builder::{Dimensions, EntryBuilder};
use crate::ids::AccountId;
use crate::ids::AllocationId;
use crate::ids::{EntryId, InvoiceId, PaymentId};
use crate::journal::dto::JournalKind;
use crate::rule::dto::PostingEvent;

/// An allocation in company currency (×10⁴).
pub(super) struct CompanyValues {
    /// What it clears of the invoice's booked value.
    pub settled: i64,
    /// What it takes of the payment's or note's booked value.
    pub money: i64,
    pub discount: i64,
    pub write_off: i64,
    /// What is left: the realised exchange difference.
    pub exchange: i64,
}

/// Values an allocation in company currency, after the guarded updates took its amounts in
/// the documents' currency, and takes them off the documents' booked values. Each part is
/// converted at its own document's rate; the piece that settles the rest of a document takes
/// all of its booked value that is left, so a settled document leaves nothing behind in
/// company currency. In the company's own currency every part is its amount and nothing is
/// left over.
pub(super) fn in_company_currency(
    conn: &mut DbConnection,
    company: CompanyId,
    own: &str,
    invoice: &OpenDocument,
    source: &Source,
    asked: &Asked,
) -> Result<CompanyValues, AppError> {
    let (money, settled) = (asked.money, asked.settled());
    // The rows are locked by this transaction's updates: what they hold now is final.
    let after = repo::document(conn, company, invoice.id)?.ok_or(AppError::NotFound("invoice"))?;
    let settled_company = if after.open_amount == 0 {
        after.open_company
    } else {
        to_company(settled, invoice.exchange_rate, own)?
    };
    repo::settle(conn, invoice.id, 0, settled_company)?;
    let money_company = match (source.kind, money) {
        (_, 0) => 0,
        (SourceKind::Payment, _) => {
            let (left, left_company) =
                repo::unallocated(conn, company, PaymentId::from(source.id))?
                    .ok_or(AppError::NotFound("payment"))?;
            let value = if left == 0 {
                left_company
            } else {
                to_company(money, source.exchange_rate, own)?
            };
            repo::take_unallocated(conn, PaymentId::from(source.id), 0, value)?;
            value
        }
        (SourceKind::Note, _) => {
            let n = repo::document(conn, company, InvoiceId::from(source.id))?
                .ok_or(AppError::NotFound("invoice"))?;
            let value = if n.open_amount == 0 {
                n.open_company
            } else {
                to_company(money, source.exchange_rate, own)?
            };
            repo::settle(conn, InvoiceId::from(source.id), 0, value)?;
            value
        }
    };
    let discount_company = to_company(asked.discount, invoice.exchange_rate, own)?;
    let write_off_company = to_company(asked.write_off, invoice.exchange_rate, own)?;
    Ok(CompanyValues {
        settled: settled_company,
        money: money_company,
        discount: discount_company,
        write_off: write_off_company,
        exchange: settled_company - money_company - discount_company - write_off_company,
    })
}

/// The entry of a discount, write-off and exchange difference: they settle the receivable
/// (payable) without money, against the discount, write-off and exchange accounts of the
/// account rules.
pub(super) fn post_difference(
    conn: &mut DbConnection,
    actor: &Actor,
    invoice: &OpenDocument,
    source: &Source,
    (values, in_currency): (&CompanyValues, Option<(i64, i64)>),
    date: NaiveDate,
    allocation_id: AllocationId,
) -> Result<EntryId, AppError> {
    let (discount, write_off, exchange) = (values.discount, values.write_off, values.exchange);
    let foreign = |amount: i64| in_currency.map(|_| (invoice.currency.as_str(), amount));
    let (discount_fx, write_off_fx) = in_currency.unwrap_or_default();
    let company = actor.company_id;
    let account = |conn: &mut DbConnection, event: PostingEvent| -> Result<AccountId, AppError> {
        crate::rule::service::required_account(conn, company, event)
    };
    let (open_item, discount_event) = if source.customer {
        (
            PostingEvent::SalesReceivable,
            PostingEvent::PaymentDiscountGranted,
        )
    } else {
        (
            PostingEvent::PurchasePayable,
            PostingEvent::PaymentDiscountReceived,
        )
    };
    // Customer side: the receivable is credited, the discount and write-off debited;
    // supplier side the other way round.
    let sign = if source.customer { 1 } else { -1 };
    let branch = invoice.branch_id;
    let dims = Dimensions {
        branch_id: branch,
        ..Default::default()
    };
    let mut b = EntryBuilder::new();
    b.add_in(
        account(conn, open_item)?,
        Dimensions {
            partner_id: Some(invoice.partner_id),
            ..dims.clone()
        },
        -sign * (discount + write_off + exchange),
        foreign(-sign * (discount_fx + write_off_fx)),
    );
    if discount > 0 {
        b.add_in(
            account(conn, discount_event)?,
            dims.clone(),
            sign * discount,
            foreign(sign * discount_fx),
        );
    }
    if write_off > 0 {
        b.add_in(
            account(conn, PostingEvent::PaymentWriteOff)?,
            dims.clone(),
            sign * write_off,
            foreign(sign * write_off_fx),
        );
    }
    if exchange != 0 {
        // A debit is a loss, a credit a gain, on either side.
        let event = if sign * exchange > 0 {
            PostingEvent::ExchangeLoss
        } else {
            PostingEvent::ExchangeGain
        };
        b.add(account(conn, event)?, dims, sign * exchange);
    }
    let what = match (discount + write_off != 0, exchange != 0) {
        (true, true) => "Discount, write-off and exchange difference",
        (false, true) => "Exchange difference",
        _ => "Discount and write-off",
    };
    let entry = b.post(
        conn,
        actor,
        JournalKind::General,
        date,
        format!("{what} of {}", label(invoice)),
        ("fin_allocation", allocation_id),
    )?;
    Ok(entry.id)
}
