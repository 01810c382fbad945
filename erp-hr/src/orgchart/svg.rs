//! The org chart drawn as an SVG image: departments as boxes, top down, each parent
//! centred over its children, joined by elbow lines.

use std::fmt::Write;

use erp_core::text::escape_markup as escape;

use super::dto::{OrgChart, OrgUnit};

const BOX_W: i32 = 200;
const BOX_H: i32 = 64;
const GAP_X: i32 = 24;
const LEVEL_H: i32 = 110;
const MARGIN: i32 = 20;

/// At most `n` characters, with an ellipsis when cut.
fn fit(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut cut: String = s.chars().take(n - 1).collect();
        cut.push('…');
        cut
    }
}

/// The left edge of each unit's box: leaves take the next slot in tree order, a parent sits
/// centred over its first and last child.
fn layout(units: &[OrgUnit]) -> Vec<i32> {
    let mut x = vec![0; units.len()];
    let mut next_leaf = 0;
    // Units are in tree order, so a unit's subtree is the run after it with a greater depth.
    fn place(units: &[OrgUnit], i: usize, x: &mut [i32], next_leaf: &mut i32) -> usize {
        let depth = units[i].depth;
        let mut j = i + 1;
        let mut first_child = None;
        let mut last_child = None;
        while j < units.len() && units[j].depth > depth {
            if units[j].depth == depth + 1 {
                first_child.get_or_insert(j);
                last_child = Some(j);
            }
            j = place(units, j, x, next_leaf);
        }
        x[i] = match (first_child, last_child) {
            (Some(f), Some(l)) => (x[f] + x[l]) / 2,
            _ => {
                let at = *next_leaf;
                *next_leaf += BOX_W + GAP_X;
                at
            }
        };
        j
    }
    let mut i = 0;
    while i < units.len() {
        i = place(units, i, &mut x, &mut next_leaf);
    }
    x
}

pub fn render(chart: &OrgChart) -> String {
    let units = &chart.units;
    let xs = layout(units);
    let width = xs.iter().max().map_or(0, |m| m + BOX_W) + 2 * MARGIN;
    let depth = units.iter().map(|u| u.depth).max().unwrap_or(0);
    let height = (depth + 1) * LEVEL_H - (LEVEL_H - BOX_H) + 2 * MARGIN;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = write!(out, "<title>Org chart as of {}</title>", chart.at);
    let top = |u: &OrgUnit| MARGIN + u.depth * LEVEL_H;
    let mut parent_at: Vec<usize> = Vec::new();
    for (i, u) in units.iter().enumerate() {
        parent_at.truncate(u.depth as usize);
        if let Some(&p) = parent_at.last() {
            let (px, py) = (MARGIN + xs[p] + BOX_W / 2, top(&units[p]) + BOX_H);
            let (cx, cy) = (MARGIN + xs[i] + BOX_W / 2, top(u));
            let mid = py + (cy - py) / 2;
            let _ = write!(
                out,
                r##"<path d="M{px} {py} V{mid} H{cx} V{cy}" fill="none" stroke="#888"/>"##
            );
        }
        parent_at.push(i);
    }
    for (i, u) in units.iter().enumerate() {
        let (x, y) = (MARGIN + xs[i], top(u));
        let manager = u
            .manager
            .as_ref()
            .map_or("no manager".to_string(), |m| m.name.clone());
        let _ = write!(
            out,
            r##"<g><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="#f4f6fb" stroke="#35508c"/><text x="{tx}" y="{l1}" font-weight="bold">{name}</text><text x="{tx}" y="{l2}">{manager}</text><text x="{tx}" y="{l3}" fill="#555">{code} · {filled} of {planned} filled</text></g>"##,
            tx = x + 8,
            l1 = y + 18,
            l2 = y + 36,
            l3 = y + 54,
            name = escape(&fit(&u.name, 28)),
            manager = escape(&fit(&manager, 30)),
            code = escape(&fit(&u.code, 12)),
            filled = u.filled,
            planned = u.planned,
        );
    }
    out.push_str("</svg>");
    out
}
