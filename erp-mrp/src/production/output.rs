//! Planned against actual production: per item, the production orders due in a period, what
//! they were to make and what has been received; as a report and as a chart.

use chrono::{Datelike, Months};
use erp_core::auth::Actor;
use erp_core::chart::BarChart;
use erp_core::db::{now, DbConnection};
use erp_core::error::{AppError, Validator};
use erp_core::money::Qty;

use super::dto::{OutputLine, OutputQuery, OutputReport};
use super::repo;
use crate::states::ProductionStatus;

pub fn output(
    conn: &mut DbConnection,
    actor: &Actor,
    q: OutputQuery,
) -> Result<OutputReport, AppError> {
    actor.require("mrp.production.read")?;
    let today = now().date();
    let first = today.with_day(1).unwrap_or(today);
    let from = q.from.unwrap_or(first);
    let to =
        q.to.unwrap_or_else(|| (first + Months::new(1)).pred_opt().unwrap_or(first));
    let mut v = Validator::new();
    v.check(from <= to, "to", "must not be before from");
    v.finish()?;
    let mut lines: Vec<OutputLine> = Vec::new();
    let rows = repo::due_between(conn, actor.company_id, from, to)?;
    for o in rows {
        let late = o.due_date < today
            && (o.status == ProductionStatus::Released || o.status == ProductionStatus::InProgress);
        let line = match lines.last_mut() {
            Some(l) if l.sku == o.sku => l,
            _ => {
                lines.push(OutputLine {
                    item_id: o.item_id,
                    sku: o.sku,
                    orders: 0,
                    planned: Qty::ZERO,
                    completed: Qty::ZERO,
                    late_orders: 0,
                });
                lines.last_mut().expect("just pushed")
            }
        };
        line.orders += 1;
        line.late_orders += i64::from(late);
        line.planned = add(line.planned, o.quantity)?;
        line.completed = add(line.completed, o.completed)?;
    }
    Ok(OutputReport { from, to, lines })
}

fn add(sum: Qty, scaled: i64) -> Result<Qty, AppError> {
    Qty::new(sum.value() + Qty::from_scaled(scaled).value())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// The report as bars: planned and received per item, orders and late ones written out.
pub fn chart(r: &OutputReport) -> BarChart {
    let mut chart = BarChart::new(
        format!("Production {} to {}", r.from, r.to),
        "Per item, the quantity of the production orders due in the period against the quantity received",
        &["planned", "received"],
    );
    for l in &r.lines {
        let late = match l.late_orders {
            0 => String::new(),
            n => format!(", {n} late"),
        };
        chart.row(
            l.sku.clone(),
            vec![l.planned.value(), l.completed.value()],
            None,
            format!(
                "{} of {} in {} orders{late}",
                l.completed, l.planned, l.orders
            ),
        );
    }
    chart
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn the_chart_writes_received_against_planned() {
        let r = OutputReport {
            from: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
            lines: vec![OutputLine {
                item_id: erp_inventory::ids::ItemId(uuid::Uuid::nil()),
                sku: "BIKE".into(),
                orders: 3,
                planned: "30".parse().unwrap(),
                completed: "12".parse().unwrap(),
                late_orders: 1,
            }],
        };
        let svg = chart(&r).to_svg();
        assert!(
            svg.contains(">12 of 30 in 3 orders, 1 late</text>"),
            "{svg}"
        );
    }
}
