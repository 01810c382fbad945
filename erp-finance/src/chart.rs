//! Finance reports drawn as charts (drawing only: the numbers are the JSON reports').

use erp_core::chart::BarChart;

use crate::aging::dto::{AgingReport, Side};
use crate::budget::dto::BudgetReport;
use crate::forecast::dto::CashForecast;

/// What is open by age: not yet due, then 1-30 to over 90 days past due.
pub fn aging(r: &AgingReport) -> BarChart {
    let what = match r.side {
        Side::Receivable => "Receivables",
        Side::Payable => "Payables",
    };
    let mut chart = BarChart::new(
        format!("{what} by age at {}", r.at),
        format!(
            "Open {} in {} by how long past due they are",
            what.to_lowercase(),
            r.currency
        ),
        &["open"],
    );
    let t = &r.totals;
    for (label, amount) in [
        ("not yet due", t.current),
        ("1-30 days", t.days_1_30),
        ("31-60 days", t.days_31_60),
        ("61-90 days", t.days_61_90),
        ("over 90 days", t.over_90),
    ] {
        chart.row(
            label,
            vec![amount.value()],
            None,
            format!("{amount} {}", r.currency),
        );
    }
    chart
}

/// Cash at the end of each week, with the week's inflow and outflow written out; weeks that
/// end below zero are drawn left of zero, in red.
pub fn cash_forecast(r: &CashForecast) -> BarChart {
    let mut chart = BarChart::new(
        format!("Cash forecast from {}", r.from),
        format!(
            "Cash in {} at the end of each week, from {} today and what is expected in and out",
            r.currency, r.opening_cash
        ),
        &["cash at the end of the week"],
    );
    for w in &r.weeks {
        chart.row(
            format!("week of {}", w.starts_on),
            vec![w.closing.value()],
            None,
            format!("in {}, out {}, end {}", w.inflow, w.outflow, w.closing),
        );
    }
    chart
}

/// Posted against planned per account, the budget marked.
pub fn budget(r: &BudgetReport) -> BarChart {
    let mut chart = BarChart::new(
        format!("Budget against actual, {} to {}", r.from, r.to),
        "Per account, what was posted against the budget for the period",
        &["actual"],
    );
    for l in &r.lines {
        let percent = l
            .percent
            .map(|p| format!(" ({}%)", p.normalize()))
            .unwrap_or_default();
        chart.row(
            format!("{} {}", l.code, l.name),
            vec![l.actual.value()],
            Some(l.budget.value()),
            format!("{} of {}{percent}", l.actual, l.budget),
        );
    }
    chart
}
