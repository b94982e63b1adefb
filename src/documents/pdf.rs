//! A page of text, rectangles and lines, written as PDF with pdf-writer.
//!
//! Text is set in the standard Helvetica fonts with WinAnsi encoding: every PDF viewer has
//! them, nothing is embedded (a sheet is a few kilobytes), and the text stays real text a
//! reader can search, select and copy. Widths come from the fonts' published metrics so
//! that text can be right-aligned, fitted and wrapped. Coordinates here are points from the
//! top-left corner of the page; PDF's own run from the bottom-left.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// The paper a document is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    pub const ALL: [Paper; 2] = [Paper::A4, Paper::Letter];

    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "US Letter",
        }
    }
}

/// The two faces used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    Regular,
    Bold,
}

impl Font {
    fn resource(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
        }
    }
}

/// A colour as red, green and blue from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);

    pub fn from_bytes(r: u8, g: u8, b: u8) -> Rgb {
        Rgb(f32::from(r) / 255.0, f32::from(g) / 255.0, f32::from(b) / 255.0)
    }

    pub fn gray(level: f32) -> Rgb {
        Rgb(level, level, level)
    }

    /// This colour laid over white at `alpha` (PDF has no alpha without extra state).
    pub fn tint(self, alpha: f32) -> Rgb {
        let mix = |c: f32| 1.0 - alpha + c * alpha;
        Rgb(mix(self.0), mix(self.1), mix(self.2))
    }
}

/// Helvetica's advance widths (1/1000 em) for the WinAnsi codes 32..=255.
const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // 32
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 48
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 64
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 80
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 96
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350, // 112
    556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350, // 128
    350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667, // 144
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 160
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 176
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 192
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 208
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, // 224
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, // 240
];

/// Helvetica-Bold's advance widths for the ASCII codes 32..=126; the codes above are
/// measured with [`HELVETICA`] scaled by the faces' average ratio.
const HELVETICA_BOLD_ASCII: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // 32
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 48
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // 64
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // 80
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // 96
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // 112
];

/// WinAnsi codes 0x80..=0x9F and the characters they stand for (0: unused).
const WIN_ANSI_HIGH: [char; 32] = [
    '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', //
    '\0', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
];

/// The base letters of U+0100..=U+017F (Latin Extended-A), for names WinAnsi cannot
/// write: "Łukasz" prints as "Lukasz" rather than "?ukasz".
const LATIN_EXTENDED_A_BASE: &[u8; 128] =
    b"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/// The WinAnsi byte for a character: itself, its base letter, or `?`.
fn win_ansi(c: char) -> u8 {
    let code = u32::from(c);
    match code {
        0x20..=0x7E | 0xA0..=0xFF => code as u8,
        0x09 | 0x0A | 0x0D => b' ',
        _ => {
            if let Some(i) = WIN_ANSI_HIGH.iter().position(|&w| w == c && w != '\0') {
                return 0x80 + i as u8;
            }
            match code {
                0x100..=0x17F => LATIN_EXTENDED_A_BASE[(code - 0x100) as usize],
                0x2212 => b'-',
                0x2192 => b'>',
                0x00D7 => 0xD7,
                _ => b'?',
            }
        }
    }
}

/// `text` in WinAnsi bytes.
pub fn encode(text: &str) -> Vec<u8> {
    text.chars().map(win_ansi).collect()
}

fn byte_width(font: Font, byte: u8) -> f32 {
    let regular = HELVETICA.get(usize::from(byte).wrapping_sub(32)).copied().unwrap_or(556);
    let units = match font {
        Font::Regular => regular,
        Font::Bold => HELVETICA_BOLD_ASCII
            .get(usize::from(byte).wrapping_sub(32))
            .copied()
            .unwrap_or((f32::from(regular) * 1.06) as u16),
    };
    f32::from(units) / 1000.0
}

/// The width of `text` in points at `size`.
pub fn text_width(font: Font, size: f32, text: &str) -> f32 {
    text.chars().map(|c| byte_width(font, win_ansi(c))).sum::<f32>() * size
}

/// `text` cut to fit `width` points, with "…" when cut.
pub fn fit(font: Font, size: f32, text: &str, width: f32) -> String {
    if text_width(font, size, text) <= width {
        return text.to_string();
    }
    let room = width - text_width(font, size, "…");
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += byte_width(font, win_ansi(c)) * size;
        if used > room {
            break;
        }
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// `text` broken into lines no wider than `width` points, at spaces (a word wider than a
/// line is cut with [`fit`]).
pub fn wrap(font: Font, size: f32, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if text_width(font, size, &candidate) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| fit(font, size, &l, width)).collect()
}

/// A face, its size in points and its colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub font: Font,
    pub size: f32,
    pub color: Rgb,
}

impl TextStyle {
    pub const fn new(font: Font, size: f32, color: Rgb) -> TextStyle {
        TextStyle { font, size, color }
    }
}

/// How text is anchored at its x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

/// One page being drawn.
pub struct Page {
    content: Content,
    width: f32,
    height: f32,
}

impl Page {
    pub fn new(paper: Paper) -> Page {
        let (width, height) = paper.size();
        Page { content: Content::new(), width, height }
    }

    pub fn width(&self) -> f32 {
        self.width
    }

    pub fn height(&self) -> f32 {
        self.height
    }

    /// Text with its baseline at `y` points from the top.
    pub fn text(&mut self, x: f32, y: f32, style: TextStyle, align: Align, text: &str) {
        let TextStyle { font, size, color } = style;
        let shift = match align {
            Align::Left => 0.0,
            Align::Right => text_width(font, size, text),
            Align::Center => text_width(font, size, text) / 2.0,
        };
        let bytes = encode(text);
        self.content.set_fill_rgb(color.0, color.1, color.2);
        self.content.begin_text();
        self.content.set_font(font.resource(), size);
        self.content.next_line(x - shift, self.height - y);
        self.content.show(Str(&bytes));
        self.content.end_text();
    }

    /// A filled rectangle; `y` is its top edge.
    pub fn fill_rect(&mut self, x: f32, y: f32, width: f32, height: f32, color: Rgb) {
        self.content.set_fill_rgb(color.0, color.1, color.2);
        self.content.rect(x, self.height - y - height, width, height);
        self.content.fill_nonzero();
    }

    /// A line through `points`; `dash`: lengths of dash and gap.
    pub fn polyline(&mut self, points: &[(f32, f32)], width: f32, color: Rgb, dash: Option<(f32, f32)>) {
        let Some((&(x0, y0), rest)) = points.split_first() else { return };
        self.content.save_state();
        self.content.set_stroke_rgb(color.0, color.1, color.2);
        self.content.set_line_width(width);
        self.content.set_line_join(pdf_writer::types::LineJoinStyle::RoundJoin);
        if let Some((on, off)) = dash {
            self.content.set_dash_pattern([on, off], 0.0);
        }
        self.content.move_to(x0, self.height - y0);
        for &(x, y) in rest {
            self.content.line_to(x, self.height - y);
        }
        self.content.stroke();
        self.content.restore_state();
    }

    /// A filled triangle pointing up with its tip at (x, y).
    pub fn triangle(&mut self, x: f32, y: f32, size: f32, color: Rgb) {
        self.content.set_fill_rgb(color.0, color.1, color.2);
        self.content.move_to(x, self.height - y);
        self.content.line_to(x - size / 2.0, self.height - y - size);
        self.content.line_to(x + size / 2.0, self.height - y - size);
        self.content.close_path();
        self.content.fill_nonzero();
    }
}

/// Pages, then one PDF file.
pub fn document(title: &str, pages: Vec<Page>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(first_page + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(pages.len() as i32);
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info).title(TextStr(title)).creator(TextStr(concat!("Standwatch ", env!("CARGO_PKG_VERSION"))));
    for (page, id) in pages.into_iter().zip(page_ids) {
        let content_id = Ref::new(id.get() + 1);
        let mut writer = pdf.page(id);
        writer.parent(tree).media_box(Rect::new(0.0, 0.0, page.width, page.height)).contents(content_id);
        writer.resources().fonts().pair(Font::Regular.resource(), regular).pair(Font::Bold.resource(), bold);
        writer.finish();
        pdf.stream(content_id, &page.content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_names_keep_their_letters() {
        assert_eq!(encode("José"), b"Jos\xE9".to_vec());
        assert_eq!(encode("Łukasz Ćwik"), b"Lukasz Cwik".to_vec());
        assert_eq!(encode("– “x” …"), vec![0x96, b' ', 0x93, b'x', 0x94, b' ', 0x85]);
        assert_eq!(encode("東"), b"?".to_vec());
        // Every base letter lines up with its code point.
        assert_eq!(win_ansi('\u{17E}'), 0x9E, "ž is WinAnsi's own");
        assert_eq!(win_ansi('\u{17D}'), 0x8E);
        assert_eq!(win_ansi('\u{151}'), b'o', "ő");
        assert_eq!(win_ansi('\u{15F}'), b's', "ş");
        assert_eq!(win_ansi('\u{11B}'), b'e', "ě");
    }

    #[test]
    fn widths_follow_the_metrics() {
        // "Hello" in Helvetica 10 pt: H 722 + e 556 + l 222 + l 222 + o 556 = 2278.
        assert!((text_width(Font::Regular, 10.0, "Hello") - 22.78).abs() < 1e-3);
        assert!(text_width(Font::Bold, 10.0, "Hello") > text_width(Font::Regular, 10.0, "Hello"));
        let cut = fit(Font::Regular, 10.0, "A rather long line of text", 60.0);
        assert!(cut.ends_with('…') && text_width(Font::Regular, 10.0, &cut) <= 60.0, "{cut}");
        let lines = wrap(Font::Regular, 10.0, "one two three four five six seven eight", 60.0);
        assert!(lines.len() > 1 && lines.iter().all(|l| text_width(Font::Regular, 10.0, l) <= 60.0), "{lines:?}");
        assert_eq!(lines.join(" "), "one two three four five six seven eight");
    }

    #[test]
    fn a_document_is_a_pdf_with_its_text() {
        let mut page = Page::new(Paper::Letter);
        page.text(40.0, 60.0, TextStyle::new(Font::Bold, 18.0, Rgb::BLACK), Align::Left, "José (D1)");
        page.fill_rect(40.0, 80.0, 100.0, 20.0, Rgb::gray(0.9));
        page.polyline(&[(40.0, 120.0), (140.0, 110.0)], 1.0, Rgb::BLACK, Some((3.0, 2.0)));
        let bytes = document("Coaching sheet", vec![page]);
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/MediaBox [0 0 612 792]"), "{text}");
        // The text in WinAnsi bytes ("José (D1)", é is E9), written in hex by pdf-writer.
        assert!(text.contains("<4A6F73E92028443129> Tj"), "{text}");
    }
}
