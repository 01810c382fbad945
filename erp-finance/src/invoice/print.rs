//! An invoice, credit note, bill or debit note on paper: the company's letterhead, the
//! partner's billing address, dates and terms, every line with its net and tax, the taxes by
//! rate, the instalments, and the totals, every figure as the document's JSON gives it.

use erp_core::auth::Actor;
use erp_core::db::DbConnection;
use erp_core::error::AppError;
use erp_core::ids::CompanyId;
use erp_core::org::company::service::letterhead;
use erp_core::partner::service::addressee;
use erp_core::pdf::{label, Column, Sheet, Table, Total};

use super::dto::{InvoiceKind, InvoiceResponse, InvoiceStatus};
use super::service::get_invoice;
use crate::ids::InvoiceId;

/// The document as a printable sheet, for whoever may read invoices.
pub fn printable(conn: &mut DbConnection, actor: &Actor, id: InvoiceId) -> Result<Sheet, AppError> {
    let i = get_invoice(conn, actor, id)?;
    sheet(conn, actor.company_id, &i)
}

/// The sheet of a document already read with its reader's rights.
pub fn sheet(
    conn: &mut DbConnection,
    company_id: CompanyId,
    i: &InvoiceResponse,
) -> Result<Sheet, AppError> {
    let (title, role) = match i.kind {
        InvoiceKind::CustomerInvoice => ("Invoice", "Customer"),
        InvoiceKind::CustomerCreditNote => ("Credit note", "Customer"),
        InvoiceKind::SupplierBill => ("Supplier bill", "Supplier"),
        InvoiceKind::SupplierDebitNote => ("Debit note", "Supplier"),
    };
    let title = match i.status {
        InvoiceStatus::Draft => format!("Draft {}", title.to_lowercase()),
        InvoiceStatus::Cancelled => format!("Cancelled {}", title.to_lowercase()),
        InvoiceStatus::Posted => title.to_owned(),
    };
    Ok(Sheet {
        title,
        number: i.number.clone().unwrap_or_else(|| "not numbered".into()),
        issuer: letterhead(conn, company_id)?,
        recipient: Some((role.into(), addressee(conn, company_id, i.partner_id)?)),
        facts: facts(i),
        tables: tables(i),
        totals: totals(i),
        notes: i.notes.clone(),
    })
}

fn facts(i: &InvoiceResponse) -> Vec<(String, String)> {
    let mut facts = vec![
        ("Date".to_owned(), i.invoice_date.to_string()),
        ("Due".into(), i.due_date.to_string()),
    ];
    if let Some(until) = i.discount_until {
        facts.push((
            "Early payment".into(),
            format!("{} % until {until}", i.discount_rate),
        ));
    }
    if let Some(reference) = &i.reference {
        facts.push(("Reference".into(), reference.clone()));
    }
    facts.push(("Status".into(), label(&i.status)));
    facts.push(("Currency".into(), i.currency.clone()));
    if i.currency != i.company_currency {
        facts.push((
            "Exchange rate".into(),
            format!(
                "{} {} per {}",
                i.exchange_rate, i.company_currency, i.currency
            ),
        ));
    }
    facts
}

fn tables(i: &InvoiceResponse) -> Vec<Table> {
    let lines = Table {
        heading: None,
        columns: vec![
            Column::number("#"),
            Column::text("Description"),
            Column::number("Quantity"),
            Column::number("Unit price"),
            Column::number("Discount %"),
            Column::number("Net"),
            Column::number("Tax"),
        ],
        rows: i
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.line_no.to_string(),
                    l.description.clone(),
                    l.quantity.to_string(),
                    l.unit_price.to_string(),
                    l.discount_percent.to_string(),
                    l.net.to_string(),
                    l.tax.to_string(),
                ]
            })
            .collect(),
    };
    let mut tables = vec![lines];
    if !i.taxes.is_empty() {
        tables.push(Table {
            heading: Some("Taxes".into()),
            columns: vec![
                Column::text("Tax"),
                Column::number("Rate %"),
                Column::number("Base"),
                Column::number("Tax"),
            ],
            rows: i
                .taxes
                .iter()
                .map(|t| {
                    vec![
                        t.code.clone(),
                        t.rate.to_string(),
                        t.base.to_string(),
                        t.tax.to_string(),
                    ]
                })
                .collect(),
        });
    }
    if !i.instalments.is_empty() {
        tables.push(Table {
            heading: Some("Instalments".into()),
            columns: vec![Column::text("Due"), Column::number("Amount")],
            rows: i
                .instalments
                .iter()
                .map(|s| vec![s.due_date.to_string(), s.amount.to_string()])
                .collect(),
        });
    }
    tables
}

fn totals(i: &InvoiceResponse) -> Vec<Total> {
    let mut totals = vec![
        Total::new("Net", i.net),
        Total::new("Tax", i.tax),
        Total::strong(&format!("Total {}", i.currency), i.total),
    ];
    if i.currency != i.company_currency {
        totals.push(Total::new(
            &format!("Total {}", i.company_currency),
            i.total_in_company_currency,
        ));
    }
    if i.status == InvoiceStatus::Posted && i.open_amount != i.total {
        totals.push(Total::new("Still open", i.open_amount));
    }
    totals
}
