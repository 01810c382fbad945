//! The entry of a posted document: the open item (receivable or payable, with the partner)
//! against each line's revenue or expense account and each rate's tax account. A credit or
//! debit note is the mirror of the document it corrects.

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;

use super::dto::InvoiceKind;
use super::model::{InvoiceLineRow, InvoiceLineTaxRow, InvoiceRow};
use crate::currency::to_company;
use crate::entry::builder::{Dimensions, EntryBuilder};
use crate::entry::dto::EntryResponse;
use crate::ids::AccountId;
use crate::journal::dto::JournalKind;
use crate::rule::dto::PostingEvent;
use crate::tax::model::TaxRow;

/// Posts the entry of `row` in the caller's transaction and returns it with the document's
/// total in company currency. A document in another currency is converted line by line at
/// its rate (each amount rounded once); the open item is their sum, so the entry balances
/// exactly and the receivable (payable) holds what the lines are worth.
pub fn post_document(
    conn: &mut DbConnection,
    actor: &Actor,
    kind: InvoiceKind,
    row: &InvoiceRow,
    lines: &[InvoiceLineRow],
    line_taxes: &[InvoiceLineTaxRow],
    taxes: &[TaxRow],
) -> Result<(EntryResponse, i64), AppError> {
    let own = crate::entry::service::company_currency(conn, row.company_id)?;
    let conv = |amount: i64| to_company(amount, row.exchange_rate, &own);
    // Lines of a document in another currency carry their amount in it too.
    let foreign = (row.currency != own).then_some(row.currency.as_str());
    let (open_item, journal) = if kind.is_customer() {
        (PostingEvent::SalesReceivable, JournalKind::Sales)
    } else {
        (PostingEvent::PurchasePayable, JournalKind::Purchases)
    };
    let open_account = crate::rule::service::required_account(conn, row.company_id, open_item)?;
    // The open item is debited by customer invoices and supplier debit notes, credited by
    // the other two; lines and taxes take the other side.
    let sign: i64 = match kind {
        InvoiceKind::CustomerInvoice | InvoiceKind::SupplierDebitNote => 1,
        InvoiceKind::CustomerCreditNote | InvoiceKind::SupplierBill => -1,
    };
    let branch_id = row.branch_id;
    // The other side first, in company currency and the document's; the open item balances
    // it in both.
    let mut others: Vec<(AccountId, Dimensions, i64, i64)> = Vec::new();
    let price_difference = if lines.iter().any(|l| l.clears.is_some()) {
        Some(crate::rule::service::required_account(
            conn,
            row.company_id,
            PostingEvent::PurchasePriceDifference,
        )?)
    } else {
        None
    };
    for l in lines {
        let dims = Dimensions {
            branch_id,
            partner_id: None,
            cost_center: l.cost_center.clone(),
            project: l.project.clone(),
        };
        // A line that clears goods received takes that value (in company currency) off
        // their account; what it costs more or less is a price difference.
        let net = conv(l.net)?;
        let (on_account, difference) = match l.clears {
            Some(c) => (c, net - c),
            None => (net, 0),
        };
        others.push((
            l.account_id,
            dims.clone(),
            -sign * on_account,
            -sign * l.net,
        ));
        if let (Some(account), true) = (price_difference, difference != 0) {
            // Only documents in company currency clear goods received.
            others.push((account, dims, -sign * difference, 0));
        }
        // Each of the line's taxes to its own account, converted on its own.
        for lt in line_taxes.iter().filter(|t| t.line_no == l.line_no) {
            let tax = taxes.iter().find(|t| t.id == lt.tax_id).ok_or_else(|| {
                AppError::Internal(format!("tax {} of a line is missing", lt.tax_id))
            })?;
            let account = if kind.is_customer() {
                tax.sales_account_id
            } else {
                tax.purchase_account_id
            };
            others.push((
                account,
                Dimensions {
                    branch_id,
                    ..Default::default()
                },
                -sign * conv(lt.tax)?,
                -sign * lt.tax,
            ));
        }
    }
    let open_item: i64 = -others.iter().map(|o| o.2).sum::<i64>();
    let open_foreign: i64 = -others.iter().map(|o| o.3).sum::<i64>();
    let mut b = EntryBuilder::new();
    b.add_in(
        open_account,
        Dimensions {
            branch_id,
            partner_id: Some(row.partner_id),
            ..Default::default()
        },
        open_item,
        foreign.map(|c| (c, open_foreign)),
    );
    for (account, dims, amount, in_currency) in others {
        b.add_in(account, dims, amount, foreign.map(|c| (c, in_currency)));
    }
    let entry = b.post(
        conn,
        actor,
        journal,
        row.invoice_date,
        format!(
            "{} {}",
            kind_label(kind),
            row.reference.as_deref().unwrap_or_default()
        )
        .trim_end()
        .to_string(),
        ("fin_invoice", row.id),
    )?;
    Ok((entry, sign * open_item))
}

pub fn kind_label(kind: InvoiceKind) -> &'static str {
    match kind {
        InvoiceKind::CustomerInvoice => "Customer invoice",
        InvoiceKind::CustomerCreditNote => "Customer credit note",
        InvoiceKind::SupplierBill => "Supplier bill",
        InvoiceKind::SupplierDebitNote => "Supplier debit note",
    }
}
