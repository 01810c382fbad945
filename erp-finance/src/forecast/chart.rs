//! The cash forecast drawn as a chart (drawing only: the numbers are the JSON report's).

use erp_core::chart::BarChart;

use super::dto::CashForecast;

/// Cash at the end of each week, with the week's inflow and outflow written out; weeks that
/// end below zero are drawn left of zero, in red.
pub fn draw(r: &CashForecast) -> BarChart {
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
