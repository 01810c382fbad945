//! The load chart: load against capacity per bucket for one work center, as SVG.

use std::fmt::Write;

use rust_decimal::prelude::ToPrimitive;

use erp_core::text::escape_markup as escape;

use super::dto::WorkCenterLoad;

/// Bars of load (red where above capacity), a step line of capacity, dates below, hours at
/// the left. Drawing only: the numbers come from the capacity report.
pub fn load_chart(w: &WorkCenterLoad, title: &str) -> String {
    let n = w.buckets.len().max(1);
    let (left, top, bar, gap, height) = (60.0, 40.0, 28.0, 8.0, 240.0);
    let width = left + n as f64 * (bar + gap) + 20.0;
    let max = w
        .buckets
        .iter()
        .flat_map(|b| [b.capacity_hours.value(), b.load_hours.value()])
        .max()
        .and_then(|m| m.to_f64())
        .filter(|m| *m > 0.0)
        .unwrap_or(1.0)
        * 1.1;
    let y = |v: f64| top + height - v / max * height;
    // Ids of the work center's own, so several charts inlined in one page keep theirs apart.
    let code: String = w
        .code
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="load-{code}-title load-{code}-desc" width="{width:.0}" height="{:.0}" viewBox="0 0 {width:.0} {:.0}" font-family="sans-serif" font-size="10">"#,
        top + height + 60.0,
        top + height + 60.0
    );
    let _ = write!(
        s,
        r#"<title id="load-{code}-title">{}</title><desc id="load-{code}-desc">Hours of load per bucket as bars (red above capacity) against the capacity as a line</desc><rect width="100%" height="100%" fill="white"/>"#,
        escape(title)
    );
    let _ = write!(
        s,
        r#"<text x="{left}" y="20" font-size="14">{}</text>"#,
        escape(title)
    );
    for k in 0..=4 {
        let v = max / 1.1 * k as f64 / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{v:.1} h</text>"##,
            width - 20.0,
            y(v),
            y(v),
            left - 4.0,
            y(v) + 3.0
        );
    }
    let mut capacity_path = String::new();
    for (i, b) in w.buckets.iter().enumerate() {
        let x = left + i as f64 * (bar + gap);
        let load = b.load_hours.value().to_f64().unwrap_or(0.0);
        let cap = b.capacity_hours.value().to_f64().unwrap_or(0.0);
        let color = if b.overloaded { "#d9534f" } else { "#5b8def" };
        let _ = write!(
            s,
            r#"<rect class="load" x="{x:.1}" y="{:.1}" width="{bar}" height="{:.1}" fill="{color}"><title>{}: load {} h, capacity {} h</title></rect>"#,
            y(load),
            top + height - y(load),
            b.start_date,
            b.load_hours,
            b.capacity_hours
        );
        let _ = write!(
            capacity_path,
            "{}{x:.1},{:.1} L{:.1},{:.1} ",
            if i == 0 { "M" } else { "L" },
            y(cap),
            x + bar + gap,
            y(cap)
        );
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" transform="rotate(45 {:.1} {:.1})">{}</text>"#,
            x + 2.0,
            top + height + 12.0,
            x + 2.0,
            top + height + 12.0,
            b.start_date.format("%m-%d")
        );
    }
    let _ = write!(
        s,
        r##"<path class="capacity" d="{}" fill="none" stroke="#222" stroke-width="2"/>"##,
        capacity_path.trim()
    );
    let _ = write!(
        s,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="end">bars: load, line: capacity, red: overloaded</text></svg>"##,
        width - 20.0,
        top - 8.0
    );
    s
}
