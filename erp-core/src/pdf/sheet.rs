//! A business document on paper: who issues it and to whom, its facts, its tables of lines,
//! its totals and notes. Quotes, orders, invoices and payslips are all drawn by [`Sheet::render`]
//! from the same figures their JSON carries, printed as the JSON writes them.

use super::canvas::{text_width, Canvas, Weight, PAGE_HEIGHT, PAGE_WIDTH};
use crate::address::Address;

const MARGIN: f32 = 50.0;
const BOTTOM: f32 = 60.0;
const BODY: f32 = 9.0;
const LINE: f32 = 12.0;
const CELL_PAD: f32 = 4.0;

/// A company, customer, supplier or employee as the document names them.
#[derive(Debug, Clone, Default)]
pub struct Party {
    pub name: String,
    /// Address lines, tax number and the like, one per line.
    pub lines: Vec<String>,
}

impl Party {
    /// A party with its postal address and, when it has one, its tax number.
    pub fn with_address(name: &str, address: &Address, tax_id: Option<&str>) -> Self {
        let mut lines = Vec::new();
        for line in [&address.line1, &address.line2].into_iter().flatten() {
            lines.push(line.clone());
        }
        let place: Vec<&str> = [&address.postal_code, &address.city, &address.region]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        if !place.is_empty() {
            lines.push(place.join(" "));
        }
        if let Some(country) = &address.country {
            lines.push(country.clone());
        }
        if let Some(tax_id) = tax_id.filter(|t| !t.is_empty()) {
            lines.push(format!("Tax ID {tax_id}"));
        }
        Party {
            name: name.to_owned(),
            lines,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    /// Numbers are right-aligned and never wrapped; text columns share the width left over.
    pub numeric: bool,
}

impl Column {
    pub fn text(header: &str) -> Self {
        Column {
            header: header.to_owned(),
            numeric: false,
        }
    }

    pub fn number(header: &str) -> Self {
        Column {
            header: header.to_owned(),
            numeric: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub heading: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Total {
    pub label: String,
    pub amount: String,
    pub strong: bool,
}

impl Total {
    pub fn new(label: &str, amount: impl ToString) -> Self {
        Total {
            label: label.to_owned(),
            amount: amount.to_string(),
            strong: false,
        }
    }

    pub fn strong(label: &str, amount: impl ToString) -> Self {
        Total {
            strong: true,
            ..Total::new(label, amount)
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// "Quote", "Invoice", ...
    pub title: String,
    pub number: String,
    pub issuer: Party,
    /// The other side with its role: ("Customer", ...), ("Employee", ...).
    pub recipient: Option<(String, Party)>,
    /// Dates, currency, status and the like, as label and value.
    pub facts: Vec<(String, String)>,
    pub tables: Vec<Table>,
    pub totals: Vec<Total>,
    pub notes: Option<String>,
}

impl Sheet {
    /// The document as a PDF file.
    pub fn render(&self) -> Vec<u8> {
        let mut pen = Pen {
            canvas: Canvas::new(),
            y: PAGE_HEIGHT - MARGIN,
        };
        self.head(&mut pen);
        for table in &self.tables {
            pen.table(table);
        }
        self.draw_totals(&mut pen);
        if let Some(notes) = self.notes.as_deref().filter(|n| !n.trim().is_empty()) {
            pen.need(2.0 * LINE);
            pen.y -= LINE;
            pen.canvas
                .text(MARGIN, pen.y, 8.0, Weight::Bold, 0.35, "Notes");
            for paragraph in notes.lines() {
                for line in wrap(paragraph, PAGE_WIDTH - 2.0 * MARGIN, BODY, Weight::Regular) {
                    pen.need(LINE);
                    pen.y -= LINE;
                    pen.canvas
                        .text(MARGIN, pen.y, BODY, Weight::Regular, 0.0, &line);
                }
            }
        }
        let title = format!("{} {}", self.title, self.number);
        let mut canvas = pen.canvas;
        let pages = canvas.page_count();
        for page in 0..pages {
            canvas.select_page(page);
            let footer = format!("{title} · page {} of {pages}", page + 1);
            let x = (PAGE_WIDTH - text_width(&footer, 8.0, Weight::Regular)) / 2.0;
            canvas.text(x, 30.0, 8.0, Weight::Regular, 0.35, &footer);
        }
        canvas.finish(&title)
    }

    /// The issuer top left, the title and number top right, then the recipient on the left
    /// and the facts on the right.
    fn head(&self, pen: &mut Pen) {
        let right = PAGE_WIDTH - MARGIN;
        let half = (PAGE_WIDTH - 2.0 * MARGIN) / 2.0 - 10.0;
        let top = pen.y;
        pen.canvas
            .text_right(right, top - 16.0, 18.0, Weight::Bold, &self.title);
        pen.canvas
            .text_right(right, top - 32.0, 11.0, Weight::Regular, &self.number);
        let mut left = top - 14.0;
        for line in wrap(&self.issuer.name, half, 13.0, Weight::Bold) {
            pen.canvas
                .text(MARGIN, left, 13.0, Weight::Bold, 0.0, &line);
            left -= 15.0;
        }
        for line in &self.issuer.lines {
            for part in wrap(line, half, 8.5, Weight::Regular) {
                pen.canvas
                    .text(MARGIN, left, 8.5, Weight::Regular, 0.2, &part);
                left -= 11.0;
            }
        }
        let mut y = left.min(top - 40.0) - 18.0;

        let block_top = y;
        if let Some((role, party)) = &self.recipient {
            pen.canvas.text(MARGIN, y, 8.0, Weight::Bold, 0.35, role);
            y -= LINE;
            for line in wrap(&party.name, half, 10.0, Weight::Bold) {
                pen.canvas.text(MARGIN, y, 10.0, Weight::Bold, 0.0, &line);
                y -= LINE;
            }
            for line in &party.lines {
                for part in wrap(line, half, BODY, Weight::Regular) {
                    pen.canvas
                        .text(MARGIN, y, BODY, Weight::Regular, 0.0, &part);
                    y -= LINE;
                }
            }
        }
        let label_x = PAGE_WIDTH / 2.0 + 10.0;
        let mut fy = block_top;
        for (label, value) in &self.facts {
            pen.canvas
                .text(label_x, fy, BODY, Weight::Regular, 0.35, label);
            let room = right - label_x - text_width(label, BODY, Weight::Regular) - 12.0;
            for line in wrap(value, room, BODY, Weight::Regular) {
                pen.canvas
                    .text_right(right, fy, BODY, Weight::Regular, &line);
                fy -= LINE;
            }
        }
        pen.y = y.min(fy) - 10.0;
    }

    fn draw_totals(&self, pen: &mut Pen) {
        if self.totals.is_empty() {
            return;
        }
        let right = PAGE_WIDTH - MARGIN;
        let label_x = PAGE_WIDTH / 2.0 + 10.0;
        pen.need(LINE * (self.totals.len() as f32 + 1.0));
        pen.y -= 6.0;
        for total in &self.totals {
            let weight = if total.strong {
                Weight::Bold
            } else {
                Weight::Regular
            };
            if total.strong {
                pen.canvas.rule(label_x, right, pen.y - 2.0, 0.6);
            }
            pen.y -= LINE + 2.0;
            pen.canvas
                .text(label_x, pen.y, 10.0, weight, 0.0, &total.label);
            pen.canvas
                .text_right(right, pen.y, 10.0, weight, &total.amount);
        }
        pen.y -= 6.0;
    }
}

/// The drawing position, which turns the page when the next piece does not fit.
struct Pen {
    canvas: Canvas,
    y: f32,
}

impl Pen {
    /// Turns the page unless `height` points fit below the pen; true when it turned.
    fn need(&mut self, height: f32) -> bool {
        if self.y - height >= BOTTOM {
            return false;
        }
        self.canvas.add_page();
        self.y = PAGE_HEIGHT - MARGIN;
        true
    }

    fn table(&mut self, table: &Table) {
        let widths = column_widths(table);
        if let Some(heading) = &table.heading {
            self.need(3.0 * LINE);
            self.y -= LINE + 4.0;
            self.canvas
                .text(MARGIN, self.y, 10.0, Weight::Bold, 0.0, heading);
            self.y -= 4.0;
        }
        self.need(2.0 * LINE + 6.0);
        self.header(table, &widths);
        for row in &table.rows {
            let cells: Vec<Vec<String>> = table
                .columns
                .iter()
                .zip(&widths)
                .zip(row)
                .map(|((column, &width), cell)| {
                    if column.numeric {
                        vec![cell.clone()]
                    } else {
                        wrap(cell, width - 2.0 * CELL_PAD, BODY, Weight::Regular)
                    }
                })
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = lines as f32 * LINE + 4.0;
            if self.need(height) {
                self.header(table, &widths);
            }
            let top = self.y;
            let mut x = MARGIN;
            for ((column, width), lines) in table.columns.iter().zip(&widths).zip(&cells) {
                for (i, line) in lines.iter().enumerate() {
                    let y = top - LINE * (i as f32 + 1.0);
                    if column.numeric {
                        self.canvas.text_right(
                            x + width - CELL_PAD,
                            y,
                            BODY,
                            Weight::Regular,
                            line,
                        );
                    } else {
                        self.canvas
                            .text(x + CELL_PAD, y, BODY, Weight::Regular, 0.0, line);
                    }
                }
                x += width;
            }
            self.y = top - height;
            self.canvas
                .rule(MARGIN, PAGE_WIDTH - MARGIN, self.y + 2.0, 0.2);
        }
    }

    fn header(&mut self, table: &Table, widths: &[f32]) {
        let height = LINE + 6.0;
        self.canvas.shade(
            MARGIN,
            self.y - height,
            PAGE_WIDTH - 2.0 * MARGIN,
            height,
            0.9,
        );
        let y = self.y - LINE;
        let mut x = MARGIN;
        for (column, width) in table.columns.iter().zip(widths) {
            if column.numeric {
                self.canvas
                    .text_right(x + width - CELL_PAD, y, 8.0, Weight::Bold, &column.header);
            } else {
                self.canvas
                    .text(x + CELL_PAD, y, 8.0, Weight::Bold, 0.0, &column.header);
            }
            x += width;
        }
        self.y -= height;
    }
}

/// Numeric columns as wide as their widest figure; text columns share the rest equally, and
/// never fall below what their header needs.
fn column_widths(table: &Table) -> Vec<f32> {
    let full = PAGE_WIDTH - 2.0 * MARGIN;
    let natural: Vec<f32> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let header = text_width(&column.header, 8.0, Weight::Bold);
            let cells = if column.numeric {
                table
                    .rows
                    .iter()
                    .filter_map(|row| row.get(i))
                    .map(|cell| text_width(cell, BODY, Weight::Regular))
                    .fold(0.0, f32::max)
            } else {
                0.0
            };
            header.max(cells) + 2.0 * CELL_PAD
        })
        .collect();
    let fixed: f32 = table
        .columns
        .iter()
        .zip(&natural)
        .filter(|(c, _)| c.numeric)
        .map(|(_, w)| w)
        .sum();
    let texts = table.columns.iter().filter(|c| !c.numeric).count();
    let share = if texts == 0 {
        0.0
    } else {
        (full - fixed) / texts as f32
    };
    let mut widths: Vec<f32> = table
        .columns
        .iter()
        .zip(&natural)
        .map(|(c, &w)| if c.numeric { w } else { share.max(w) })
        .collect();
    // When figures leave no room, every column shrinks in proportion: still on the page.
    let sum: f32 = widths.iter().sum();
    if sum > full {
        for w in &mut widths {
            *w *= full / sum;
        }
    }
    widths
}

/// `text` broken into lines no wider than `width`: at spaces where it can, inside a word
/// where a word alone is too wide.
pub fn wrap(text: &str, width: f32, size: f32, weight: Weight) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size, weight) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if text_width(&line, size, weight) > width && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_fits_the_width() {
        let text = "Ўзбекистон Республикаси Oʻzbekiston Respublikasi a-very-long-part-number-that-cannot-fit";
        let lines = wrap(text, 80.0, BODY, Weight::Regular);
        assert!(lines.len() > 3);
        for line in &lines {
            assert!(text_width(line, BODY, Weight::Regular) <= 80.0, "{line}");
        }
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
    }

    #[test]
    fn a_long_table_runs_over_pages() {
        let rows = (1..=120)
            .map(|i| vec![i.to_string(), format!("Item {i}"), format!("{i}.00")])
            .collect();
        let sheet = Sheet {
            title: "Invoice".into(),
            number: "INV-1".into(),
            tables: vec![Table {
                heading: None,
                columns: vec![
                    Column::number("#"),
                    Column::text("Item"),
                    Column::number("Amount"),
                ],
                rows,
            }],
            ..Sheet::default()
        };
        let pdf = String::from_utf8_lossy(&sheet.render()).into_owned();
        assert!(pdf.contains("/Count 3"), "three pages for 120 rows");
    }
}
