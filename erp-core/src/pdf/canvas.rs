//! A4 pages of text and rules, written as PDF with DejaVu Sans embedded.
//!
//! Text is drawn glyph by glyph from the font's own character map, so every character the font
//! has prints: Latin with its accents, Uzbek Latin's ʻ, Cyrillic with Ўў Ққ Ғғ Ҳҳ. A character
//! the font lacks prints as the empty box of glyph 0. Each font goes into the file as a subset
//! of the glyphs used, with a `ToUnicode` map, so a reader can search the text and copy it out.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::LazyLock;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;
use ttf_parser::Face;
use unicode_normalization::UnicodeNormalization;

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;

static REGULAR_DATA: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
static BOLD_DATA: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

// The fonts are part of the binary; failing to parse them is a build defect, caught by the
// first test that draws a page.
static REGULAR: LazyLock<Face<'static>> =
    LazyLock::new(|| Face::parse(REGULAR_DATA, 0).expect("the embedded regular font parses"));
static BOLD: LazyLock<Face<'static>> =
    LazyLock::new(|| Face::parse(BOLD_DATA, 0).expect("the embedded bold font parses"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    fn index(self) -> usize {
        match self {
            Weight::Regular => 0,
            Weight::Bold => 1,
        }
    }

    fn face(self) -> &'static Face<'static> {
        match self {
            Weight::Regular => &REGULAR,
            Weight::Bold => &BOLD,
        }
    }

    fn data(self) -> &'static [u8] {
        match self {
            Weight::Regular => REGULAR_DATA,
            Weight::Bold => BOLD_DATA,
        }
    }

    fn resource(self) -> Name<'static> {
        match self {
            Weight::Regular => Name(b"F1"),
            Weight::Bold => Name(b"F2"),
        }
    }

    fn base_name(self) -> &'static str {
        match self {
            Weight::Regular => "DejaVuSans",
            Weight::Bold => "DejaVuSans-Bold",
        }
    }
}

/// The width of `text` in points at `size`, as [`Canvas::text`] draws it.
pub fn text_width(text: &str, size: f32, weight: Weight) -> f32 {
    let face = weight.face();
    let units: f32 = text
        .nfc()
        .map(|c| advance(face, face.glyph_index(c).map_or(0, |g| g.0)))
        .sum();
    units * size / 1000.0
}

/// A glyph's advance in thousandths of the font size.
fn advance(face: &Face, gid: u16) -> f32 {
    let units = face
        .glyph_hor_advance(ttf_parser::GlyphId(gid))
        .unwrap_or(0);
    f32::from(units) * 1000.0 / f32::from(face.units_per_em())
}

/// The glyphs one font has drawn so far: old glyph id -> the subset's id, and what each
/// subset glyph stands for.
#[derive(Default)]
struct Glyphs {
    remap: GlyphRemapper,
    text: BTreeMap<u16, char>,
}

/// Pages being drawn. Coordinates are in points from the page's bottom-left corner.
pub struct Canvas {
    pages: Vec<Content>,
    current: usize,
    glyphs: [Glyphs; 2],
}

impl Default for Canvas {
    fn default() -> Self {
        Self::new()
    }
}

impl Canvas {
    /// A canvas with one empty page.
    pub fn new() -> Self {
        Canvas {
            pages: vec![Content::new()],
            current: 0,
            glyphs: Default::default(),
        }
    }

    /// Starts a new page and draws on it from now on.
    pub fn add_page(&mut self) {
        self.pages.push(Content::new());
        self.current = self.pages.len() - 1;
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Draws on page `index` (from 0) from now on, e.g. to add footers once the count is known.
    pub fn select_page(&mut self, index: usize) {
        self.current = index.min(self.pages.len() - 1);
    }

    /// Draws `text` with its left end at `x` and its baseline at `y`, in black or `gray`
    /// (0 black, 1 white).
    pub fn text(&mut self, x: f32, y: f32, size: f32, weight: Weight, gray: f32, text: &str) {
        let face = weight.face();
        let glyphs = &mut self.glyphs[weight.index()];
        let mut encoded = Vec::with_capacity(text.len() * 2);
        for c in text.nfc() {
            let old = face.glyph_index(c).map_or(0, |g| g.0);
            let new = glyphs.remap.remap(old);
            if old != 0 {
                glyphs.text.entry(new).or_insert(c);
            }
            encoded.extend_from_slice(&new.to_be_bytes());
        }
        let page = &mut self.pages[self.current];
        page.set_fill_gray(gray);
        page.begin_text();
        page.set_font(weight.resource(), size);
        page.next_line(x, y);
        page.show(Str(&encoded));
        page.end_text();
    }

    /// Draws `text` with its right end at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, size: f32, weight: Weight, text: &str) {
        let x = right - text_width(text, size, weight);
        self.text(x, y, size, weight, 0.0, text);
    }

    /// A horizontal rule from `x1` to `x2` at height `y`.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32) {
        let page = &mut self.pages[self.current];
        page.set_stroke_gray(0.0);
        page.set_line_width(width);
        page.move_to(x1, y);
        page.line_to(x2, y);
        page.stroke();
    }

    /// A filled rectangle in `gray`, e.g. behind a table's header.
    pub fn shade(&mut self, x: f32, y: f32, width: f32, height: f32, gray: f32) {
        let page = &mut self.pages[self.current];
        page.set_fill_gray(gray);
        page.rect(x, y, width, height);
        page.fill_nonzero();
    }

    /// The finished file, with `title` in its document information.
    pub fn finish(self, title: &str) -> Vec<u8> {
        let mut next = 1;
        let mut alloc = || {
            let r = Ref::new(next);
            next += 1;
            r
        };
        let catalog = alloc();
        let tree = alloc();
        let info = alloc();
        let fonts = [alloc(), alloc()];
        let page_ids: Vec<(Ref, Ref)> = self.pages.iter().map(|_| (alloc(), alloc())).collect();

        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_ids.iter().map(|(page, _)| *page))
            .count(page_ids.len() as i32);
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("erp"));

        for (content, (page_id, content_id)) in self.pages.into_iter().zip(&page_ids) {
            let mut page = pdf.page(*page_id);
            page.parent(tree)
                .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
                .contents(*content_id);
            let mut resources = page.resources();
            let mut names = resources.fonts();
            for weight in [Weight::Regular, Weight::Bold] {
                names.pair(weight.resource(), fonts[weight.index()]);
            }
            names.finish();
            resources.finish();
            page.finish();
            let data = deflate(&content.finish());
            pdf.stream(*content_id, &data).filter(Filter::FlateDecode);
        }

        for weight in [Weight::Regular, Weight::Bold] {
            let glyphs = &self.glyphs[weight.index()];
            let ids = [alloc(), alloc(), alloc(), alloc()];
            write_font(&mut pdf, weight, glyphs, fonts[weight.index()], ids);
        }
        pdf.finish()
    }
}

/// One font as a Type 0 font over a CID TrueType font, the subset embedded, with widths
/// and a `ToUnicode` map.
fn write_font(pdf: &mut Pdf, weight: Weight, glyphs: &Glyphs, font: Ref, ids: [Ref; 4]) {
    let [cid, descriptor, file, cmap] = ids;
    let face = weight.face();
    let old: Vec<u16> = glyphs.remap.remapped_gids().collect();
    let name = format!("{}+{}", subset_tag(&old), weight.base_name());

    pdf.type0_font(font)
        .base_font(Name(name.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);

    let mut cid_font = pdf.cid_font(cid);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(Name(name.as_bytes()))
        .system_info(SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        })
        .font_descriptor(descriptor)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid_font
        .widths()
        .consecutive(0, old.iter().map(|&g| advance(face, g)));
    cid_font.finish();

    let scale = |v: i16| f32::from(v) * 1000.0 / f32::from(face.units_per_em());
    let bbox = face.global_bounding_box();
    pdf.font_descriptor(descriptor)
        .name(Name(name.as_bytes()))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            scale(bbox.x_min),
            scale(bbox.y_min),
            scale(bbox.x_max),
            scale(bbox.y_max),
        ))
        .italic_angle(0.0)
        .ascent(scale(face.ascender()))
        .descent(scale(face.descender()))
        .cap_height(scale(face.capital_height().unwrap_or(face.ascender())))
        .stem_v(if weight == Weight::Bold { 140.0 } else { 80.0 })
        .font_file2(file);

    // The embedded fonts are TrueType files that subsetter reads; should it ever refuse one,
    // the whole font goes in rather than no text at all.
    let program = subsetter::subset(weight.data(), 0, &glyphs.remap)
        .unwrap_or_else(|_| weight.data().to_vec());
    let packed = deflate(&program);
    pdf.stream(file, &packed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), program.len() as i32);

    let mut map = UnicodeCmap::new(
        Name(b"Custom"),
        SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"UCS"),
            supplement: 0,
        },
    );
    for (&gid, &c) in &glyphs.text {
        map.pair(gid, c);
    }
    let map = map.finish();
    pdf.cmap(cmap, &map);
}

/// The six capital letters that name a font subset, derived from the glyphs in it.
fn subset_tag(glyphs: &[u16]) -> String {
    let mut hash: u32 = 2_166_136_261;
    for g in glyphs {
        for b in g.to_be_bytes() {
            hash = (hash ^ u32::from(b)).wrapping_mul(16_777_619);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
        .collect()
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_font() {
        let narrow = text_width("iiii", 10.0, Weight::Regular);
        let wide = text_width("WWWW", 10.0, Weight::Regular);
        assert!(wide > 2.0 * narrow, "{wide} vs {narrow}");
        assert!(
            text_width("Total", 10.0, Weight::Bold) > text_width("Total", 10.0, Weight::Regular)
        );
    }

    #[test]
    fn the_font_has_uzbek_and_cyrillic_letters() {
        for c in "Oʻzbekiston gʻalla Ўзбекистон Қўқон Ғалаба Ҳисоб".chars()
        {
            assert!(
                c == ' ' || REGULAR.glyph_index(c).is_some(),
                "no glyph for {c:?}"
            );
        }
    }

    #[test]
    fn a_page_is_a_pdf_with_the_fonts_subset() {
        let mut canvas = Canvas::new();
        canvas.text(50.0, 800.0, 12.0, Weight::Bold, 0.0, "Oʻzbekiston");
        canvas.text(50.0, 780.0, 10.0, Weight::Regular, 0.0, "Ўзбекистон");
        let bytes = canvas.finish("Test");
        assert!(bytes.starts_with(b"%PDF-"));
        // Two subsets of a few glyphs each, not two whole fonts of 700 KB.
        assert!(bytes.len() < 60_000, "{} bytes", bytes.len());
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("+DejaVuSans-Bold"));
        assert!(text.contains("/ToUnicode"));
    }
}
