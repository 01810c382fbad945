//! Reads back the text of a PDF the server drew, piece by piece, the way a viewer's search
//! does: each page's content stream is inflated, each shown string is decoded through its
//! font's `ToUnicode` map. It reads only what `erp_core::pdf` writes (Type 0 fonts with
//! two-byte codes, literal and hex strings); CI also reads the same files with poppler's `pdftotext`.

use std::collections::HashMap;
use std::io::Read;

/// Each piece of text in drawing order, page after page.
pub fn text_pieces(pdf: &[u8]) -> Vec<String> {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let objects = objects(pdf);
    let mut pieces = Vec::new();
    let mut pages: Vec<&Object> = objects
        .values()
        .filter(|o| o.dict.contains("/Type /Page") && !o.dict.contains("/Type /Pages"))
        .collect();
    pages.sort_by_key(|o| o.number);
    for page in pages {
        let fonts: HashMap<String, HashMap<u16, String>> = ["F1", "F2"]
            .iter()
            .filter_map(|name| {
                let font = reference(&page.dict, &format!("/{name}"))?;
                let cmap = reference(&objects[&font].dict, "/ToUnicode")?;
                Some((name.to_string(), unicode_map(&objects[&cmap].data)))
            })
            .collect();
        let content = reference(&page.dict, "/Contents").expect("a page has contents");
        shown_strings(&objects[&content].data, &fonts, &mut pieces);
    }
    pieces
}

struct Object {
    number: u32,
    dict: String,
    data: Vec<u8>,
}

fn objects(pdf: &[u8]) -> HashMap<u32, Object> {
    let mut out = HashMap::new();
    let mut at = 0;
    while let Some(start) = find(pdf, b" 0 obj", at) {
        let line_start = pdf[..start]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let number: u32 = String::from_utf8_lossy(&pdf[line_start..start])
            .trim()
            .parse()
            .expect("object number");
        let body = start + b" 0 obj".len();
        let end = find(pdf, b"endobj", body).expect("endobj");
        let (dict, data) = match find(&pdf[..end], b"stream\n", body) {
            Some(s) => {
                let dict = String::from_utf8_lossy(&pdf[body..s]).into_owned();
                let length: usize = after(&dict, "/Length ")
                    .expect("stream length")
                    .parse()
                    .expect("length is a number");
                let raw = &pdf[s + 7..s + 7 + length];
                let data = if dict.contains("/FlateDecode") {
                    let mut inflated = Vec::new();
                    flate2::read::ZlibDecoder::new(raw)
                        .read_to_end(&mut inflated)
                        .expect("stream inflates");
                    inflated
                } else {
                    raw.to_vec()
                };
                (dict, data)
            }
            None => (
                String::from_utf8_lossy(&pdf[body..end]).into_owned(),
                vec![],
            ),
        };
        out.insert(number, Object { number, dict, data });
        at = end;
    }
    out
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The token after `key` in a dictionary.
fn after(dict: &str, key: &str) -> Option<String> {
    let rest = &dict[dict.find(key)? + key.len()..];
    Some(
        rest.trim_start()
            .split(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .next()?
            .to_string(),
    )
}

/// The object number of `key N 0 R`.
fn reference(dict: &str, key: &str) -> Option<u32> {
    let rest = &dict[dict.find(&format!("{key} "))? + key.len()..];
    rest.split_whitespace().next()?.parse().ok()
}

/// `<gggg> <uuuu...>` pairs of a ToUnicode map: glyph code to text (UTF-16BE).
fn unicode_map(cmap: &[u8]) -> HashMap<u16, String> {
    let text = String::from_utf8_lossy(cmap);
    let mut map = HashMap::new();
    let mut in_block = false;
    for line in text.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            in_block = true;
        } else if line == "endbfchar" {
            in_block = false;
        } else if in_block {
            let hex: Vec<&str> = line
                .split(['<', '>'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if let [code, unicode] = hex[..] {
                let code = u16::from_str_radix(code, 16).expect("hex glyph code");
                let units: Vec<u16> = (0..unicode.len() / 4)
                    .map(|i| u16::from_str_radix(&unicode[i * 4..i * 4 + 4], 16).expect("hex"))
                    .collect();
                map.insert(code, String::from_utf16_lossy(&units));
            }
        }
    }
    map
}

/// Follows `/Fn size Tf` and `(...) Tj` through a content stream.
fn shown_strings(
    content: &[u8],
    fonts: &HashMap<String, HashMap<u16, String>>,
    out: &mut Vec<String>,
) {
    let mut font = "";
    let mut i = 0;
    let mut last_name = String::new();
    while i < content.len() {
        match content[i] {
            b'/' => {
                let end = content[i + 1..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace())
                    .map_or(content.len(), |p| p + i + 1);
                last_name = String::from_utf8_lossy(&content[i + 1..end]).into_owned();
                i = end;
            }
            b'(' | b'<' => {
                let (bytes, end) = if content[i] == b'(' {
                    literal(content, i)
                } else {
                    hex(content, i)
                };
                let map = &fonts[font];
                let text: String = bytes
                    .chunks(2)
                    .map(|c| {
                        let code = u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]);
                        map.get(&code).cloned().unwrap_or_else(|| "\u{fffd}".into())
                    })
                    .collect();
                out.push(text);
                i = end;
            }
            b'T' if content.get(i + 1) == Some(&b'f') => {
                font = fonts
                    .get_key_value(last_name.as_str())
                    .map(|(k, _)| k.as_str())
                    .unwrap_or("");
                i += 2;
            }
            _ => i += 1,
        }
    }
}

/// A hex string starting at `start` (its `<`): the bytes and the index after its `>`.
fn hex(content: &[u8], start: usize) -> (Vec<u8>, usize) {
    let end = start
        + content[start..]
            .iter()
            .position(|&b| b == b'>')
            .expect("hex string ends");
    let digits: Vec<u8> = content[start + 1..end]
        .iter()
        .filter(|b| b.is_ascii_hexdigit())
        .copied()
        .collect();
    let bytes = digits
        .chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).expect("ascii");
            u8::from_str_radix(&format!("{text:0<2}"), 16).expect("hex digit")
        })
        .collect();
    (bytes, end + 1)
}

/// A literal string starting at `start` (its `(`): the bytes and the index after its `)`.
fn literal(content: &[u8], start: usize) -> (Vec<u8>, usize) {
    let mut bytes = Vec::new();
    let mut depth = 0;
    let mut i = start;
    loop {
        let b = content[i];
        match b {
            b'\\' => {
                let next = content[i + 1];
                if next.is_ascii_digit() {
                    let digits: Vec<u8> = content[i + 1..]
                        .iter()
                        .take(3)
                        .take_while(|d| (b'0'..=b'7').contains(d))
                        .copied()
                        .collect();
                    let value = digits.iter().fold(0u32, |v, d| v * 8 + u32::from(d - b'0'));
                    bytes.push(value as u8);
                    i += 1 + digits.len();
                    continue;
                }
                bytes.push(match next {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'b' => 8,
                    b'f' => 12,
                    other => other,
                });
                i += 2;
                continue;
            }
            b'(' => {
                depth += 1;
                if depth > 1 {
                    bytes.push(b);
                }
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return (bytes, i + 1);
                }
                bytes.push(b);
            }
            _ => bytes.push(b),
        }
        i += 1;
    }
}
