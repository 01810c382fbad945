//! The aging report drawn as a chart (drawing only: the numbers are the JSON report's).

use erp_core::chart::BarChart;

use super::dto::{AgingReport, Side};

/// What is open by age: not yet due, then 1-30 to over 90 days past due.
pub fn draw(r: &AgingReport) -> BarChart {
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
