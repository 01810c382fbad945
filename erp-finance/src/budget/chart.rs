//! Budget against actual drawn as a chart (drawing only: the numbers are the JSON report's).

use erp_core::chart::BarChart;

use super::dto::BudgetReport;

/// Posted against planned per account, the budget marked.
pub fn draw(r: &BudgetReport) -> BarChart {
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
