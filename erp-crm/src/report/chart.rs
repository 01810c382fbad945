//! The reports drawn as charts (drawing only: the numbers are the JSON reports').

use erp_core::chart::BarChart;

use super::dto::{Interval, PipelineReport, RevenueReport};

/// The funnel: value and weighted value of the open deals per stage, then what was won, with
/// the count and how many went on from each stage written out.
pub fn pipeline(r: &PipelineReport) -> BarChart {
    let mut chart = BarChart::new(
        "Pipeline",
        "Open deals per stage by value and weighted value, the share of deals that went on from each stage, and the deals won",
        &["value", "weighted value"],
    );
    for s in &r.stages {
        let on = s
            .conversion_percent
            .map(|p| format!(", {p}% of {} went on", s.entered))
            .unwrap_or_default();
        chart.row(
            s.name.clone(),
            vec![s.value.value(), s.weighted_value.value()],
            None,
            format!("{} open, {}{on}", s.open_deals, s.value),
        );
    }
    chart.row(
        "Won",
        vec![r.won_value.value()],
        None,
        format!(
            "{} won, {}; {} lost",
            r.won_deals, r.won_value, r.lost_deals
        ),
    );
    chart
}

/// Revenue per period against the revenue targets of the period.
pub fn revenue(r: &RevenueReport, interval: Interval) -> BarChart {
    let per = match interval {
        Interval::Week => "week",
        Interval::Month => "month",
        Interval::Quarter => "quarter",
    };
    let mut chart = BarChart::new(
        format!("Revenue by {per}"),
        format!("Value of the deals won per {per} against the revenue targets of the period"),
        &["revenue"],
    );
    for l in &r.lines {
        let against = l.target.map(|t| format!(" of {t}")).unwrap_or_default();
        chart.row(
            l.period_start.to_string(),
            vec![l.revenue.value()],
            l.target.map(|t| t.value()),
            format!("{}{against}, {} deals", l.revenue, l.deals_won),
        );
    }
    chart
}
