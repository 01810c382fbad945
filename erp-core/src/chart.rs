//! Charts the server draws as SVG, for dashboards and any front end that embeds them: one
//! shape, horizontal bars per row (one or two series), an optional target mark per row, and
//! the numbers written out as text. Drawing only: every number comes from a JSON report that
//! the chart's route shares its rights and filters with.
//!
//! Accessible by construction: the SVG has `role="img"`, a `<title>` and a `<desc>` it is
//! labelled by, each bar its own `<title>`, and each row its figures as visible text.

use std::fmt::Write;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::text::escape_markup as escape;

/// The colours of the series, in order (colour-blind safe), and of the target mark.
const SERIES: [&str; 2] = ["#3b6fd8", "#e69f00"];
const TARGET: &str = "#222";
const NEGATIVE: &str = "#c0392b";

/// A bar chart: rows top to bottom, each with its bars, target and note.
#[derive(Debug, Clone, Default)]
pub struct BarChart {
    pub title: String,
    /// What the chart shows, for screen readers (`<desc>`).
    pub description: String,
    /// The names of the series, for the legend (one or two).
    pub series: Vec<String>,
    pub rows: Vec<BarRow>,
}

#[derive(Debug, Clone, Default)]
pub struct BarRow {
    pub label: String,
    /// One value per series.
    pub values: Vec<Decimal>,
    /// A mark to reach (a target, a budget, a capacity), if the row has one.
    pub target: Option<Decimal>,
    /// The row's figures as words, right of the bars ("5 of 10, 5 to go").
    pub note: String,
}

impl BarChart {
    pub fn new(title: impl Into<String>, description: impl Into<String>, series: &[&str]) -> Self {
        BarChart {
            title: title.into(),
            description: description.into(),
            series: series.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(
        &mut self,
        label: impl Into<String>,
        values: Vec<Decimal>,
        target: Option<Decimal>,
        note: impl Into<String>,
    ) {
        self.rows.push(BarRow {
            label: label.into(),
            values,
            target,
            note: note.into(),
        });
    }

    /// The chart as an SVG document.
    pub fn to_svg(&self) -> String {
        let (label_w, plot_w, note_w) = (170.0, 360.0, 230.0);
        let (top, row_h, bar_h) = (56.0, 34.0, 11.0);
        let rows = self.rows.len().max(1);
        let height = top + rows as f64 * row_h + 16.0;
        let width = label_w + plot_w + note_w;
        let numbers = self
            .rows
            .iter()
            .flat_map(|r| r.values.iter().copied().chain(r.target))
            .filter_map(|d| d.to_f64());
        let (lo, hi) = numbers.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let span = if hi - lo > 0.0 { hi - lo } else { 1.0 };
        let x = |v: f64| label_w + (v - lo) / span * plot_w;
        // Ids from the title, so that several charts inlined in one page keep theirs apart.
        let id: String = self
            .title
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-{id}-title chart-{id}-desc" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="11">"#
        );
        let _ = write!(
            s,
            r#"<title id="chart-{id}-title">{}</title><desc id="chart-{id}-desc">{}</desc><rect width="100%" height="100%" fill="white"/><text x="8" y="20" font-size="14" font-weight="bold">{}</text>"#,
            escape(&self.title),
            escape(&self.description),
            escape(&self.title)
        );
        for (i, name) in self.series.iter().enumerate().take(SERIES.len()) {
            let lx = label_w + i as f64 * 150.0;
            let _ = write!(
                s,
                r#"<rect x="{lx:.1}" y="30" width="10" height="10" fill="{}"/><text x="{:.1}" y="39">{}</text>"#,
                SERIES[i],
                lx + 14.0,
                escape(name)
            );
        }
        if self.rows.iter().any(|r| r.target.is_some()) {
            let lx = label_w + self.series.len().min(2) as f64 * 150.0;
            let _ = write!(
                s,
                r#"<rect x="{lx:.1}" y="28" width="2" height="14" fill="{TARGET}"/><text x="{:.1}" y="39">target</text>"#,
                lx + 6.0
            );
        }
        if self.rows.is_empty() {
            let _ = write!(
                s,
                r#"<text x="{label_w}" y="{:.1}">Nothing to show for this selection.</text>"#,
                top + 20.0
            );
        }
        let zero = x(0.0);
        for (k, r) in self.rows.iter().enumerate() {
            let y0 = top + k as f64 * row_h;
            let _ = write!(
                s,
                r#"<g class="row"><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                label_w - 8.0,
                y0 + row_h / 2.0,
                escape(&r.label)
            );
            for (i, v) in r.values.iter().enumerate().take(SERIES.len()) {
                let f = v.to_f64().unwrap_or(0.0);
                let (a, b) = if f < 0.0 { (x(f), zero) } else { (zero, x(f)) };
                let colour = if f < 0.0 { NEGATIVE } else { SERIES[i] };
                let series = self.series.get(i).map_or("", String::as_str);
                let _ = write!(
                    s,
                    r#"<rect class="bar" x="{a:.1}" y="{:.1}" width="{:.1}" height="{bar_h}" fill="{colour}"><title>{}: {} {}</title></rect>"#,
                    y0 + 4.0 + i as f64 * (bar_h + 2.0),
                    (b - a).max(0.5),
                    escape(&r.label),
                    escape(series),
                    v.normalize()
                );
            }
            if let Some(t) = r.target {
                let tx = x(t.to_f64().unwrap_or(0.0));
                let _ = write!(
                    s,
                    r#"<rect class="target" x="{:.1}" y="{:.1}" width="2" height="{:.1}" fill="{TARGET}"><title>{}: target {}</title></rect>"#,
                    tx - 1.0,
                    y0 + 1.0,
                    row_h - 6.0,
                    escape(&r.label),
                    t.normalize()
                );
            }
            let _ = write!(
                s,
                r#"<text class="note" x="{:.1}" y="{:.1}">{}</text></g>"#,
                label_w + plot_w + 10.0,
                y0 + row_h / 2.0,
                escape(&r.note)
            );
        }
        if lo < 0.0 {
            let _ = write!(
                s,
                r##"<line x1="{zero:.1}" x2="{zero:.1}" y1="{:.1}" y2="{:.1}" stroke="#888"/>"##,
                top - 4.0,
                height - 12.0
            );
        }
        s.push_str("</svg>");
        s
    }
}

/// A chart answer: the SVG with its media type.
pub fn svg_response(chart: &BarChart) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("image/svg+xml")
        .body(chart.to_svg())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_shows_its_figures_as_text_and_escapes_labels() {
        let mut c = BarChart::new("Targets <Q1>", "Deals closed against target", &["actual"]);
        c.row(
            "Deals & more",
            vec![Decimal::from(5)],
            Some(Decimal::from(10)),
            "5 of 10, 5 to go",
        );
        c.row("Balance", vec![Decimal::from(-3)], None, "-3");
        let svg = c.to_svg();
        assert!(svg.contains("<title id=\"chart-targets--q1--title\">Targets &lt;Q1&gt;</title>"));
        assert!(
            svg.contains("<desc id=\"chart-targets--q1--desc\">Deals closed against target</desc>")
        );
        assert!(
            svg.contains("aria-labelledby=\"chart-targets--q1--title chart-targets--q1--desc\"")
        );
        assert!(svg.contains(">5 of 10, 5 to go</text>"));
        assert!(svg.contains("Deals &amp; more: actual 5"));
        assert!(svg.contains("Deals &amp; more: target 10"));
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
        assert!(
            svg.contains(NEGATIVE),
            "a negative bar is drawn left of zero in its colour"
        );
    }

    #[test]
    fn an_empty_chart_says_so() {
        let svg = BarChart::new("Pipeline", "Deals by stage", &["value"]).to_svg();
        assert!(svg.contains("Nothing to show"));
        assert!(svg.ends_with("</svg>"));
    }
}
