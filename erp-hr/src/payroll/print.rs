//! The payslip as a printable HTML page and as PDF: the employee, the month, every line with
//! its basis, the totals. HTML text is escaped; the page needs nothing from outside.

use std::fmt::Write;

use erp_core::text::escape_markup as escape;

use erp_core::pdf::{label, Column, Party, Sheet, Table, Total};

use super::dto::{PayKind, PayslipResponse};

/// The payslip's sections, in print order.
const SECTIONS: [(&str, PayKind); 3] = [
    ("Earnings", PayKind::Earning),
    ("Deductions", PayKind::Deduction),
    ("Employer contributions", PayKind::Employer),
];

pub fn render(p: &PayslipResponse, company: &str) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Payslip {y}-{m:02} {num}</title>\
         <style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;width:100%}}\
         td,th{{border-bottom:1px solid #ccc;padding:4px 8px;text-align:left}}td.n,th.n{{text-align:right}}</style></head><body>\
         <h1>Payslip {y}-{m:02}</h1><p>{company}<br>{name} ({num})<br>Days employed: {days}</p>",
        y = p.year,
        m = p.month,
        num = escape(&p.employee_number),
        name = escape(&p.employee_name),
        company = escape(company),
        days = p.days_employed,
    );
    for (title, kind) in SECTIONS {
        let lines: Vec<_> = p.lines.iter().filter(|l| l.kind == kind).collect();
        if lines.is_empty() {
            continue;
        }
        let _ = write!(
            h,
            "<h2>{title}</h2><table><tr><th>Component</th><th>Basis</th><th class=\"n\">Amount ({})</th></tr>",
            escape(&p.currency)
        );
        for l in lines {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                escape(&l.name),
                escape(&l.note),
                l.amount
            );
        }
        h.push_str("</table>");
    }
    let _ = write!(
        h,
        "<h2>Totals</h2><table><tr><td>Gross pay</td><td class=\"n\">{}</td></tr>\
         <tr><td>Deductions</td><td class=\"n\">{}</td></tr>\
         <tr><th>Net pay</th><th class=\"n\">{}</th></tr>\
         <tr><td>Employer contributions</td><td class=\"n\">{}</td></tr></table></body></html>",
        p.gross, p.deductions, p.net, p.employer
    );
    h
}

/// The payslip as a PDF sheet under the company's letterhead.
pub fn sheet(p: &PayslipResponse, issuer: Party) -> Sheet {
    let tables = SECTIONS
        .iter()
        .filter_map(|(title, kind)| {
            let rows: Vec<Vec<String>> = p
                .lines
                .iter()
                .filter(|l| l.kind == *kind)
                .map(|l| vec![l.name.clone(), l.note.clone(), l.amount.to_string()])
                .collect();
            (!rows.is_empty()).then(|| Table {
                heading: Some((*title).to_owned()),
                columns: vec![
                    Column::text("Component"),
                    Column::text("Basis"),
                    Column::number(&format!("Amount {}", p.currency)),
                ],
                rows,
            })
        })
        .collect();
    Sheet {
        title: "Payslip".into(),
        number: format!("{}-{:02} {}", p.year, p.month, p.employee_number),
        issuer,
        recipient: Some((
            "Employee".into(),
            Party {
                name: p.employee_name.clone(),
                lines: vec![format!("Employee number {}", p.employee_number)],
            },
        )),
        facts: vec![
            ("Period".into(), format!("{}-{:02}", p.year, p.month)),
            ("Days employed".into(), p.days_employed.to_string()),
            ("Status".into(), label(&p.status)),
            ("Currency".into(), p.currency.clone()),
        ],
        tables,
        totals: vec![
            Total::new("Gross pay", p.gross),
            Total::new("Deductions", p.deductions),
            Total::strong("Net pay", p.net),
            Total::new("Employer contributions", p.employer),
        ],
        notes: None,
    }
}
